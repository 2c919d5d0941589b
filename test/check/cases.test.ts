import {mkdirSync, utimesSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {runCheck, type CheckOptions} from '../../src/pipeline/check.js'
import {silentReporter} from '../../src/reporter.js'
import {assistant, check, gpt, human, info, jsonl, user, type Files} from './helpers.js'

/**
 * One broken dataset per row of reference/lf-failure-modes.md that data and config can reveal (the row number
 * leads the name), each asserting the code, where it points, and the exit code the command gives.
 */
interface Case {
  name: string
  files: Files
  opts?: Partial<CheckOptions> & {yaml?: string}
  code: string
  /** file: path inside the tree; line/record/dataset as reported. */
  at: {file?: string; line?: number; record?: number; dataset?: string}
  /** Substring of the diagnostic's detail (first occurrence). */
  detail?: string
  exit: 0 | 4
}

const alpaca = [{instruction: 'Give three tips.', input: '', output: 'Eat, sleep, move.'}, {instruction: 'Add', input: '2 and 3', output: '5'}]
const chat = (...turns: object[]) => ({conversations: turns})
const sharegpt = (file = 'd.jsonl', extra: object = {}) => info({d: {file_name: file, formatting: 'sharegpt', ...extra}})
const roleTags = {role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant'}
const mllm = (extra: object = {}) => info({d: {file_name: 'd.json', formatting: 'sharegpt', columns: {messages: 'messages', images: 'images'}, tags: roleTags, ...extra}})
const pairs = info({d: {file_name: 'd.json', ranking: true, columns: {prompt: 'instruction', chosen: 'chosen', rejected: 'rejected'}}})
const plain = info({d: {file_name: 'd.json'}})
const twoSets = info({d: {file_name: 'd.json'}, e: {file_name: 'd.json'}})
const csvRows = (n: number, row: (i: number) => string) => ['instruction,input,output,id', ...Array.from({length: n}, (_, i) => row(i))].join('\n') + '\n'

const ERRORS: Case[] = [
  {name: '#1 every example dropped', files: {...sharegpt(), 'd.jsonl': jsonl([chat(gpt('x'), human('y')), chat(human('a'))])}, code: 'LF420', at: {dataset: 'd'}, exit: 4},
  {name: '#2 two user turns in a row', files: {...sharegpt(), 'd.jsonl': jsonl([chat(human('a'), gpt('b')), chat(human('a'), human('b'), gpt('c'), gpt('d'))])}, code: 'LF401', at: {file: 'd.jsonl', line: 2, record: 2}, detail: 'turn 2', exit: 4},
  {name: '#2 conversation starts with the assistant', files: {...sharegpt(), 'd.jsonl': jsonl([chat(human('a'), gpt('b')), chat(gpt('x'), human('y'))])}, code: 'LF401', at: {file: 'd.jsonl', line: 2}, exit: 4},
  {name: '#3 SFT conversation ends on a user turn', files: {...sharegpt(), 'd.jsonl': jsonl([chat(human('a'), gpt('b'), human('c'))])}, code: 'LF402', at: {file: 'd.jsonl', line: 1}, exit: 4},
  {name: '#3 ranking conversation ends on an assistant turn', files: {...sharegpt('d.jsonl', {ranking: true, columns: {messages: 'conversations', chosen: 'chosen', rejected: 'rejected'}}), 'd.jsonl': jsonl([{...chat(human('a'), gpt('b')), chosen: gpt('c'), rejected: gpt('d')}])}, code: 'LF402', at: {file: 'd.jsonl', line: 1}, exit: 4},
  {name: '#4 role values do not match the default tags', files: {...info({d: {file_name: 'd.json', formatting: 'sharegpt', columns: {messages: 'messages'}, tags: {role_tag: 'role', content_tag: 'content'}}}), 'd.json': [{messages: [user('a'), assistant('b')]}]}, code: 'LF401', at: {file: 'd.json', line: 2}, exit: 4},
  {name: '#5 role/content keys do not match the tags', files: {...info({d: {file_name: 'd.jsonl', formatting: 'sharegpt', columns: {messages: 'messages'}}}), 'd.jsonl': jsonl([{messages: [user('a'), assistant('b')]}])}, code: 'LF414', at: {file: 'd.jsonl', line: 1}, detail: '"from"', exit: 4},
  {name: '#6 partial tags block nulls system_tag', files: {...info({d: {file_name: 'd.jsonl', formatting: 'sharegpt', columns: {messages: 'messages'}, tags: roleTags}}), 'd.jsonl': jsonl([{messages: [user('a'), assistant('b')]}, {messages: [{role: 'system', content: 's'}, user('a'), assistant('b')]}])}, code: 'LF206', at: {file: 'd.jsonl', line: 2}, detail: 'system_tag', exit: 4},
  {name: '#7 partial columns block nulls input', files: {...info({d: {file_name: 'd.json', columns: {prompt: 'instruction', response: 'output'}}}), 'd.json': alpaca}, code: 'LF205', at: {file: 'd.json', line: 7, record: 2}, detail: '"input"', exit: 4},
  {name: '#8 alpaca keys inside columns', files: {...info({d: {file_name: 'd.json', columns: {instruction: 'instruction', output: 'output'}}}), 'd.json': alpaca}, code: 'LF211', at: {file: 'dataset_info.json', line: 2, dataset: 'd'}, detail: 'did you mean "prompt"', exit: 4},
  {name: '#9 mapped column not in the file', files: {...info({d: {file_name: 'd.jsonl', columns: {prompt: 'question', query: 'input', response: 'answer'}}}), 'd.jsonl': jsonl(alpaca)}, code: 'LF308', at: {file: 'd.jsonl', dataset: 'd'}, detail: 'columns.prompt is "question"', exit: 4},
  {name: '#9 default input column absent (KeyError \'input\')', files: {...plain, 'd.json': [{instruction: 'q', output: 'a'}]}, code: 'LF308', at: {file: 'd.json'}, detail: 'LF\'s default', exit: 4},
  {name: '#9 semicolon-separated .csv (pandas splits on commas)', files: {...info({d: {file_name: 'd.csv'}}), 'd.csv': 'instruction;input;output\nq;;a\n'}, code: 'LF308', at: {file: 'd.csv'}, detail: 'instruction;input;output', exit: 4},
  {name: '#10 conversations without formatting: sharegpt', files: {...info({d: {file_name: 'd.jsonl'}}), 'd.jsonl': jsonl([chat(human('a'), gpt('b'))])}, code: 'LF209', at: {file: 'd.jsonl', line: 1}, exit: 4},
  {name: '#10 formatting typo', files: {...info({d: {file_name: 'd.json', formatting: 'ShareGPT'}}), 'd.json': alpaca}, code: 'LF203', at: {file: 'dataset_info.json', line: 2, dataset: 'd'}, detail: 'did you mean "sharegpt"', exit: 4},
  {name: '#11 output is an object', files: {...info({d: {file_name: 'd.jsonl'}}), 'd.jsonl': jsonl([alpaca[0], {instruction: 'q', input: '', output: {answer: 1}}])}, code: 'LF403', at: {file: 'd.jsonl', line: 2, record: 2}, exit: 4},
  {name: '#11 empty CSV response cell is NaN', files: {...info({d: {file_name: 'd.csv'}}), 'd.csv': 'instruction,input,output\nq,,a\nq2,,\n'}, code: 'LF403', at: {file: 'd.csv', line: 3}, exit: 4},
  {name: '#12 instruction is a number', files: {...info({d: {file_name: 'd.jsonl'}}), 'd.jsonl': jsonl([alpaca[0], {instruction: 42, input: '', output: 'x'}])}, code: 'LF411', at: {file: 'd.jsonl', line: 2}, exit: 4},
  {name: '#12 CSV instruction column of numbers', files: {...info({d: {file_name: 'd.csv'}}), 'd.csv': 'instruction,input,output\n1,,a\n2,,b\n'}, code: 'LF425', at: {file: 'd.csv', line: 2}, exit: 4},
  {name: '#13 text-only data with stage sft', files: {...info({d: {file_name: 'd.jsonl', columns: {prompt: 'text'}}}), 'd.jsonl': jsonl([{text: 'just text'}])}, opts: {yaml: 'dataset: d\nstage: sft\n'}, code: 'LF420', at: {dataset: 'd'}, detail: 'non_string_response', exit: 4},
  {name: '#15 dataset name typo', files: {...info({alpaca_en_demo: {file_name: 'd.json'}}), 'd.json': alpaca}, opts: {datasets: ['alpca_en_demo']}, code: 'LF207', at: {file: 'dataset_info.json', dataset: 'alpca_en_demo'}, detail: 'Did you mean "alpaca_en_demo"', exit: 4},
  {name: '#15 file name given as the dataset', files: {...plain, 'd.json': alpaca}, opts: {yaml: 'dataset: data/d.json\n'}, code: 'LF207', at: {dataset: 'data/d.json'}, detail: 'not file paths', exit: 4},
  {name: '#16 dataset_info.json not found', files: {'d.json': alpaca}, code: 'LF201', at: {file: 'dataset_info.json'}, exit: 4},
  {name: '#17 trailing comma in dataset_info.json', files: {'dataset_info.json': '{\n  "d": {"file_name": "d.json"},\n}\n', 'd.json': alpaca}, code: 'LF202', at: {file: 'dataset_info.json', line: 3}, exit: 4},
  {name: '#17 dataset_info.json with a BOM (json.load rejects it)', files: {'dataset_info.json': '\uFEFF{"d": {"file_name": "d.json"}}', 'd.json': alpaca}, code: 'LF202', at: {file: 'dataset_info.json', line: 1}, detail: 'BOM', exit: 4},
  {name: '#18 file_name misspelled', files: {...info({d: {file_name: 'd_typo.json'}}), 'd.json': alpaca}, code: 'LF301', at: {file: 'd_typo.json', dataset: 'd'}, exit: 4},
  {name: '#19 .xlsx file', files: {...info({d: {file_name: 'd.xlsx'}}), 'd.xlsx': 'binary'}, code: 'LF302', at: {file: 'd.xlsx'}, exit: 4},
  {name: '#19 gzipped JSONL', files: {...info({d: {file_name: 'd.jsonl.gz'}}), 'd.jsonl.gz': 'x'}, code: 'LF302', at: {file: 'd.jsonl.gz'}, exit: 4},
  {name: '#19 HF snapshot folder (README.md, .gitattributes)', files: {...info({d: {file_name: 'snap'}}), 'snap/README.md': '# x', 'snap/.gitattributes': '*'}, code: 'LF302', at: {file: 'snap'}, exit: 4},
  {name: '#20 folder with a stray README', files: {...info({d: {file_name: 'shards'}}), 'shards/a.jsonl': jsonl(alpaca), 'shards/README.md': '# x'}, code: 'LF303', at: {file: 'shards'}, detail: 'README.md', exit: 4},
  {name: '#20 folder with an lfdata manifest', files: {...info({d: {file_name: 'shards'}}), 'shards/a.json': alpaca, 'shards/a.json.lfdata.json': {inputs: []}}, code: 'LF303', at: {file: 'shards'}, detail: 'lfdata.json', exit: 4},
  {name: '#20 folder files with different columns', files: {...info({d: {file_name: 'shards'}}), 'shards/a.jsonl': jsonl(alpaca), 'shards/b.jsonl': jsonl([{...alpaca[0], system: 's'}])}, code: 'LF310', at: {file: 'shards/b.jsonl'}, exit: 4},
  {name: '#21 JSON in a .txt file', files: {...info({d: {file_name: 'd.txt'}}), 'd.txt': JSON.stringify(alpaca)}, code: 'LF307', at: {file: 'd.txt', line: 1}, exit: 4},
  {name: '#22 content changes from string to list', files: {...sharegpt(), 'd.jsonl': jsonl([chat(human('a'), gpt('b')), chat(human('a'), {from: 'gpt', value: ['b']})])}, code: 'LF421', at: {file: 'd.jsonl', line: 2, record: 2}, detail: 'array here, string at', exit: 4},
  {name: '#22 CSV column numeric in the first 10,000 rows, text later', files: {...info({d: {file_name: 'd.csv'}}), 'd.csv': csvRows(10_001, (i) => `q${i},,a${i},${i < 10_000 ? i : 'x-1'}`)}, code: 'LF421', at: {file: 'd.csv', line: 10_002}, detail: 'first chunk: number', exit: 4},
  {name: '#23 top-level object instead of a list', files: {...plain, 'd.json': '{\n  "data": []\n}\n'}, code: 'LF306', at: {file: 'd.json', line: 1}, exit: 4},
  {name: '#23 broken JSON Lines line', files: {...info({d: {file_name: 'd.jsonl'}}), 'd.jsonl': jsonl(alpaca) + '{"instruction": "q", "output": \n'}, code: 'LF306', at: {file: 'd.jsonl', line: 3}, exit: 4},
  {name: '#23 CSV row with more fields than the header', files: {...info({d: {file_name: 'd.csv'}}), 'd.csv': 'instruction,input,output\nq,,a\nq,,a,extra\n'}, code: 'LF306', at: {file: 'd.csv', line: 3}, exit: 4},
  {name: '#24 empty file', files: {...info({d: {file_name: 'd.jsonl'}}), 'd.jsonl': ''}, code: 'LF304', at: {file: 'd.jsonl'}, exit: 4},
  {name: '#25 GBK bytes', files: {...info({d: {file_name: 'd.jsonl'}}), 'd.jsonl': Buffer.concat([Buffer.from('{"instruction": "'), Buffer.from([0xc4, 0xe3, 0xba, 0xc3]), Buffer.from('", "input": "", "output": "x"}\n')])}, code: 'LF305', at: {file: 'd.jsonl'}, exit: 4},
  {name: '#26 image without an <image> placeholder', files: {...mllm(), 'd.json': [{messages: [user('What is this?'), assistant('A cat.')], images: ['cat.jpg']}], 'cat.jpg': 'x'}, code: 'LF426', at: {file: 'd.json', line: 2}, detail: '1 image(s), 0 <image>', exit: 4},
  {name: '#26 images given as a string, two placeholders', files: {...mllm(), 'd.json': [{messages: [user('<image><image>Compare'), assistant('Same.')], images: 'cat.jpg'}], 'cat.jpg': 'x'}, code: 'LF426', at: {file: 'd.json', line: 2}, exit: 4},
  {name: '#27 image path relative to the JSON file, not media_dir', files: {...mllm({file_name: 'sub/d.json'}), 'sub/d.json': [{messages: [user('<image>What?'), assistant('A cat.')], images: ['cat.jpg']}], 'sub/cat.jpg': 'x'}, code: 'LF427', at: {file: 'sub/d.json', line: 2}, detail: 'cat.jpg', exit: 4},
  {name: '#28 images with a text-only template', files: {...mllm(), 'd.json': [{messages: [user('<image>What?'), assistant('A cat.')], images: ['cat.jpg']}], 'cat.jpg': 'x'}, opts: {yaml: 'dataset: d\ntemplate: qwen\n'}, code: 'LF110', at: {file: 'd.json', line: 2}, exit: 4},
  {name: '#29 template does not exist', files: {...plain, 'd.json': alpaca}, opts: {yaml: 'dataset: d\ntemplate: qwen4\n'}, code: 'LF103', at: {file: 'train.yaml', line: 3}, detail: 'did you mean "qwen"', exit: 4},
  {name: '#33 pre-training corpus shorter than one block', files: {...info({d: {file_name: 'd.jsonl', columns: {prompt: 'text'}}}), 'd.jsonl': jsonl([{text: 'a short document'}])}, opts: {yaml: 'dataset: d\nstage: pt\ntemplate: qwen\ncutoff_len: 1024\n', tokenizer: 'qwen'}, code: 'LF503', at: {dataset: 'd'}, exit: 4},
  {name: '#34 interleave_probs count differs from datasets', files: {...twoSets, 'd.json': alpaca}, opts: {yaml: 'dataset: d,e\nmix_strategy: interleave_under\ninterleave_probs: 0.5,0.3,0.2\n'}, code: 'LF104', at: {file: 'train.yaml', line: 4}, exit: 4},
  {name: '#34 interleave_probs with concat', files: {...plain, 'd.json': alpaca}, opts: {yaml: 'dataset: d\ninterleave_probs: 1.0\n'}, code: 'LF104', at: {file: 'train.yaml', line: 3}, exit: 4},
  {name: '#34 interleave_probs do not sum to 1', files: {...twoSets, 'd.json': alpaca}, opts: {yaml: 'dataset: d,e\nmix_strategy: interleave_over\ninterleave_probs: 0.5,0.6\n'}, code: 'LF104', at: {file: 'train.yaml', line: 4}, exit: 4},
  {name: '#35 mix_strategy typo', files: {...twoSets, 'd.json': alpaca}, opts: {yaml: 'dataset: d,e\nmix_strategy: interleave\n'}, code: 'LF104', at: {file: 'train.yaml', line: 3}, exit: 4},
  {name: '#36 fractional val_size while streaming', files: {...plain, 'd.json': alpaca}, opts: {yaml: 'dataset: d\nstreaming: true\nmax_steps: 10\nval_size: 0.1\n'}, code: 'LF104', at: {file: 'train.yaml', line: 5}, exit: 4},
  {name: '#36 val_size 1.0 means 100%', files: {...plain, 'd.json': alpaca}, opts: {yaml: 'dataset: d\nval_size: 1.0\n'}, code: 'LF104', at: {file: 'train.yaml', line: 3}, exit: 4},
  {name: '#36 val_size leaves no training example', files: {...plain, 'd.json': alpaca}, opts: {yaml: 'dataset: d\nval_size: 5\n'}, code: 'LF104', at: {file: 'train.yaml', line: 3}, detail: 'of 2 rows', exit: 4},
  {name: '#37 do_eval without an eval set', files: {...plain, 'd.json': alpaca}, opts: {yaml: 'dataset: d\ndo_eval: true\n'}, code: 'LF104', at: {file: 'train.yaml'}, exit: 4},
  {name: '#38 streaming without max_steps', files: {...plain, 'd.json': alpaca}, opts: {yaml: 'dataset: d\nstreaming: true\n'}, code: 'LF104', at: {file: 'train.yaml'}, exit: 4},
  {name: '#38 streaming with max_samples', files: {...plain, 'd.json': alpaca}, opts: {yaml: 'dataset: d\nstreaming: true\nmax_steps: 5\nmax_samples: 1\n'}, code: 'LF104', at: {file: 'train.yaml', line: 5}, exit: 4},
  {name: '#39 ranking data with stage sft', files: {...pairs, 'd.json': [{instruction: 'q', chosen: 'a', rejected: 'b'}]}, opts: {stage: 'sft'}, code: 'LF208', at: {file: 'dataset_info.json', line: 2, dataset: 'd'}, exit: 4},
  {name: '#39 stage dpo on data without ranking', files: {...plain, 'd.json': alpaca}, opts: {yaml: 'dataset: d\nstage: dpo\n'}, code: 'LF208', at: {dataset: 'd'}, exit: 4},
  {name: '#40 chosen is a list of candidates', files: {...pairs, 'd.json': [{instruction: 'q', chosen: ['a', 'b'], rejected: 'c'}]}, opts: {stage: 'dpo'}, code: 'LF405', at: {file: 'd.json', line: 2}, exit: 4},
  {name: '#41 kto_tag written as a string', files: {...info({d: {file_name: 'd.jsonl', columns: {prompt: 'instruction', response: 'output', kto_tag: 'label'}}}), 'd.jsonl': jsonl([{instruction: 'q', output: 'a', label: true}, {instruction: 'q', output: 'b', label: 'false'}])}, code: 'LF428', at: {file: 'd.jsonl', line: 2}, detail: '"false"', exit: 4},
  {name: '#42 tools is a blank string', files: {...sharegpt('d.jsonl', {columns: {messages: 'conversations', tools: 'tools'}}), 'd.jsonl': jsonl([{...chat(human('a'), gpt('b')), tools: ' '}])}, code: 'LF415', at: {file: 'd.jsonl', line: 1}, exit: 4},
  {name: '#42 tools is a JSON list, not a JSON string', files: {...sharegpt('d.jsonl', {columns: {messages: 'conversations', tools: 'tools'}}), 'd.jsonl': jsonl([{...chat(human('a'), gpt('b')), tools: [{name: 'f'}]}])}, code: 'LF415', at: {file: 'd.jsonl', line: 1}, detail: 'list', exit: 4},
  {name: '#42 function call turn is not JSON', files: {...sharegpt(), 'd.jsonl': jsonl([chat(human('a'), {from: 'function_call', value: 'call f'}, {from: 'observation', value: '1'}, gpt('b'))])}, code: 'LF416', at: {file: 'd.jsonl', line: 1}, exit: 4},
  {name: '#43 system turn mid-conversation', files: {...sharegpt(), 'd.jsonl': jsonl([chat(human('a'), {from: 'system', value: 's'}, human('b'), gpt('c'))])}, code: 'LF401', at: {file: 'd.jsonl', line: 1}, exit: 4},
  {name: '#45 max_samples as a comma list', files: {...plain, 'd.json': alpaca}, opts: {yaml: 'dataset: d\nmax_samples: 100,200\n'}, code: 'LF104', at: {file: 'train.yaml', line: 3}, exit: 4},
  {name: '#47 misspelt YAML key', files: {...plain, 'd.json': alpaca}, opts: {yaml: 'dataset: d\nlearning_rat: 1.0e-4\n'}, code: 'LF102', at: {file: 'train.yaml', line: 3}, detail: 'did you mean "learning_rate"', exit: 4},
  {name: '#48 mask_history with train_on_prompt', files: {...plain, 'd.json': alpaca}, opts: {yaml: 'dataset: d\nmask_history: true\ntrain_on_prompt: true\n'}, code: 'LF104', at: {file: 'train.yaml', line: 3}, exit: 4},
  {name: '#48 train_on_prompt outside SFT', files: {...pairs, 'd.json': [{instruction: 'q', chosen: 'a', rejected: 'b'}]}, opts: {yaml: 'dataset: d\nstage: dpo\ntrain_on_prompt: true\n'}, code: 'LF104', at: {file: 'train.yaml', line: 4}, exit: 4},
  {name: '#48 train_on_prompt with an efficient_eos template', files: {...plain, 'd.json': alpaca}, opts: {yaml: 'dataset: d\ntemplate: glm4\ntrain_on_prompt: true\n'}, code: 'LF104', at: {file: 'train.yaml', line: 4}, exit: 4},
  {name: '#48 do_predict without predict_with_generate', files: {...plain, 'd.json': alpaca}, opts: {yaml: 'dataset: d\neval_dataset: d\ndo_predict: true\n'}, code: 'LF104', at: {file: 'train.yaml', line: 4}, exit: 4},
  {name: 'history that is not [prompt, response] pairs', files: {...info({d: {file_name: 'd.jsonl', columns: {prompt: 'instruction', query: 'input', response: 'output', history: 'history'}}}), 'd.jsonl': jsonl([{...alpaca[0], history: [['q', 'a', 'extra']]}])}, code: 'LF413', at: {file: 'd.jsonl', line: 1}, exit: 4},
  {name: 'message content is a number', files: {...sharegpt(), 'd.jsonl': jsonl([chat(human('a'), {from: 'gpt', value: 4})])}, code: 'LF412', at: {file: 'd.jsonl', line: 1}, exit: 4},
  {name: 'CSV answer "None" is read as null', files: {...info({d: {file_name: 'd.csv'}}), 'd.csv': 'instruction,input,output\nq,,a\nq2,,None\n'}, code: 'LF424', at: {file: 'd.csv', line: 3}, detail: '"None"', exit: 4},
]

const WARNINGS: Case[] = [
  {name: '#14 empty output', files: {...info({d: {file_name: 'd.jsonl'}}), 'd.jsonl': jsonl([alpaca[0], {instruction: 'q', input: '', output: ''}])}, code: 'LF422', at: {file: 'd.jsonl', line: 2}, exit: 0},
  {name: '#30 reasoning template on data without <think>', files: {...plain, 'd.json': alpaca}, opts: {yaml: 'dataset: d\ntemplate: qwen3\n'}, code: 'LF109', at: {dataset: 'd'}, exit: 0},
  {name: '#31 cutoff_len truncates examples', files: {...plain, 'd.json': alpaca}, opts: {tokenizer: 'qwen', template: 'qwen', cutoffLen: 20}, code: 'LF501', at: {dataset: 'd'}, detail: 'of 2 examples', exit: 0},
  {name: '#32 pt packing drops batch tails', files: {...info({d: {file_name: 'd.jsonl', columns: {prompt: 'text'}}}), 'd.jsonl': jsonl([{text: 'one two three four five six seven eight nine ten'}])}, opts: {yaml: 'dataset: d\nstage: pt\ntemplate: qwen\ncutoff_len: 4\n', tokenizer: 'qwen'}, code: 'LF504', at: {dataset: 'd'}, exit: 0},
  {name: '#35 concat while streaming does not mix datasets', files: {...twoSets, 'd.json': alpaca}, opts: {yaml: 'dataset: d,e\nstreaming: true\nmax_steps: 10\n'}, code: 'LF105', at: {file: 'train.yaml'}, exit: 0},
  {name: '#40 chosen equals rejected', files: {...pairs, 'd.json': [{instruction: 'q', chosen: 'a', rejected: 'a'}]}, opts: {stage: 'dpo'}, code: 'LF430', at: {file: 'd.json', line: 2}, exit: 0},
  {name: '#41 KTO data with one label', files: {...info({d: {file_name: 'd.jsonl', columns: {prompt: 'instruction', response: 'output', kto_tag: 'label'}}}), 'd.jsonl': jsonl([{instruction: 'q', output: 'a', label: true}])}, code: 'LF429', at: {dataset: 'd'}, exit: 0},
  {name: '#44 formatting openai', files: {...info({d: {file_name: 'd.jsonl', formatting: 'openai', columns: {messages: 'messages'}, tags: {...roleTags, system_tag: 'system'}}}), 'd.jsonl': jsonl([{messages: [user('a'), assistant('b')]}])}, code: 'LF212', at: {dataset: 'd'}, exit: 0},
  {name: '#45 max_samples below the row count', files: {...plain, 'd.json': alpaca}, opts: {yaml: 'dataset: d\nmax_samples: 1\n'}, code: 'LF106', at: {file: 'train.yaml', line: 3, dataset: 'd'}, detail: 'first 1 of 2', exit: 0},
  {name: '#45 max_samples put in dataset_info.json', files: {...info({d: {file_name: 'd.json', max_samples: 1}}), 'd.json': alpaca}, code: 'LF204', at: {file: 'dataset_info.json', line: 2, dataset: 'd'}, detail: 'num_samples', exit: 0},
  {name: '#46 stale tokenized_path', files: {...plain, 'd.json': alpaca, 'tok/dataset_dict.json': '{}'}, opts: {yaml: 'dataset: d\ntokenized_path: {DIR}/tok\n'}, code: 'LF107', at: {file: 'train.yaml', line: 3}, exit: 0},
  {name: 'dataset listed twice (LF loads it once)', files: {...plain, 'd.json': alpaca}, opts: {yaml: 'dataset: d,d\n'}, code: 'LF111', at: {file: 'train.yaml', line: 2}, exit: 0},
  {name: 'dataset defined twice in dataset_info.json', files: {'dataset_info.json': '{\n  "d": {"file_name": "x.json"},\n  "d": {"file_name": "d.json"}\n}\n', 'd.json': alpaca}, code: 'LF213', at: {file: 'dataset_info.json', line: 3}, exit: 0},
  {name: 'data file with a BOM', files: {...info({d: {file_name: 'd.jsonl'}}), 'd.jsonl': '\uFEFF' + jsonl(alpaca)}, code: 'LF309', at: {file: 'd.jsonl', line: 1}, exit: 0},
  {name: 'exact duplicates', files: {...info({d: {file_name: 'd.jsonl'}}), 'd.jsonl': jsonl([alpaca[0], alpaca[1], {id: 3, ...alpaca[0]}])}, code: 'LF423', at: {file: 'd.jsonl', line: 3}, detail: 'd.jsonl:1', exit: 0},
  {name: 'hub dataset is not checked offline', files: {...info({d: {hf_hub_url: 'org/d'}})}, code: 'LF210', at: {file: 'dataset_info.json', line: 2}, exit: 0},
  {name: '#16 where dataset_dir resolves', files: {...plain, 'd.json': alpaca}, opts: {yaml: 'dataset: d\n'}, code: 'LF108', at: {file: 'train.yaml', line: 1}, exit: 0},
]

async function run(c: Case) {
  const {dir, result, exit} = await check(c.files, c.opts)
  const hit = result.diagnostics.find((d) => d.code === c.code)
  expect(hit, `${c.code} not in ${JSON.stringify(result.diagnostics.map((d) => [d.code, d.message, d.detail]))}`).toBeDefined()
  if (c.at.file !== undefined) expect(hit!.file).toBe(join(dir, c.at.file))
  if (c.at.line !== undefined) expect(hit!.line).toBe(c.at.line)
  if (c.at.record !== undefined) expect(hit!.record).toBe(c.at.record)
  if (c.at.dataset !== undefined) expect(hit!.dataset).toBe(c.at.dataset)
  if (c.detail !== undefined) expect(hit!.detail).toContain(c.detail)
  expect(exit, JSON.stringify(result.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.detail]))).toBe(c.exit)
}

describe('lfdata check: one broken case per LF failure mode', () => {
  it.each(ERRORS)('$name → $code, exit 4', run)
  it.each(WARNINGS)('$name → $code, exit 0', run)

  it('has at least 35 cases that fail the check', () => expect(new Set(ERRORS.map((c) => c.name)).size).toBeGreaterThanOrEqual(35))
})

describe('tokenized_path', () => {
  it('is stale when a data file changed after it was written', async () => {
    const files = {...plain, 'd.json': alpaca, 'tok/dataset_dict.json': '{}'}
    const {dir} = await check(files)
    const old = new Date(Date.now() - 60_000)
    utimesSync(join(dir, 'tok/dataset_dict.json'), old, old)
    mkdirSync(join(dir, 'cfg'), {recursive: true})
    writeFileSync(join(dir, 'cfg/train.yaml'), `dataset_dir: ${dir}\ndataset: d\ntokenized_path: ${join(dir, 'tok')}\n`)
    const result = await runCheck({datasets: [], config: join(dir, 'cfg/train.yaml')}, silentReporter)
    expect(result.diagnostics.find((d) => d.code === 'LF107')?.detail).toMatch(/^stale: .*d\.json changed after/)
  })
})
