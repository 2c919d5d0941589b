import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {runCheck, type CheckOptions} from '../../src/check/run.js'
import {silentReporter} from '../../src/reporter.js'
import {tempDir} from '../io/helpers.js'

type Files = Record<string, string | Buffer | object>
const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n'
const h = (v: string) => ({from: 'human', value: v})
const g = (v: string) => ({from: 'gpt', value: v})

/** Writes a dataset dir (objects become pretty JSON) and returns its path. */
function tree(files: Files): string {
  const dir = tempDir()
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name)
    mkdirSync(join(path, '..'), {recursive: true})
    writeFileSync(path, typeof content === 'string' || Buffer.isBuffer(content) ? content : JSON.stringify(content, null, 2))
  }
  return dir
}

async function check(files: Files, opts: Partial<CheckOptions> & {yaml?: string} = {}) {
  const dir = tree(files)
  let config: string | undefined
  if (opts.yaml !== undefined) {
    config = join(dir, 'train.yaml')
    writeFileSync(config, `dataset_dir: ${dir}\n${opts.yaml}`)
  }
  return {dir, result: await runCheck({datasetDir: config ? undefined : dir, datasets: [], ...opts, config}, silentReporter)}
}

const alpacaDemo = [{instruction: 'Give three tips.', input: '', output: 'Eat, sleep, move.'}, {instruction: 'Add', input: '2 and 3', output: '5'}]

interface Case {
  name: string
  files: Files
  opts?: Partial<CheckOptions> & {yaml?: string}
  code: string
  /** Expected location: file name suffix and/or line, or dataset. */
  at?: {file?: string; line?: number; dataset?: string}
}

const info = (entries: object) => ({'dataset_info.json': entries})

const CASES: Case[] = [
  {name: '#2 ShareGPT turn order wrong', files: {...info({d: {file_name: 'd.jsonl', formatting: 'sharegpt'}}), 'd.jsonl': jsonl([{conversations: [h('a'), g('b')]}, {conversations: [g('x'), h('y')]}])}, code: 'LF401', at: {file: 'd.jsonl', line: 2}},
  {name: '#3 odd message count', files: {...info({d: {file_name: 'd.jsonl', formatting: 'sharegpt'}}), 'd.jsonl': jsonl([{conversations: [h('a'), g('b'), h('c')]}])}, code: 'LF402', at: {file: 'd.jsonl', line: 1}},
  {name: '#4 role values not matching tags', files: {...info({d: {file_name: 'd.json', formatting: 'sharegpt', tags: {role_tag: 'from', content_tag: 'value', user_tag: 'user', assistant_tag: 'assistant'}}}), 'd.json': [{conversations: [h('a'), g('b')]}]}, code: 'LF401', at: {file: 'd.json', line: 2}},
  {name: '#5 role/content keys not matching tags', files: {...info({d: {file_name: 'd.jsonl', formatting: 'sharegpt', columns: {messages: 'messages'}}}), 'd.jsonl': jsonl([{messages: [{role: 'user', content: 'a'}, {role: 'assistant', content: 'b'}]}])}, code: 'LF414', at: {file: 'd.jsonl', line: 1}},
  {name: '#6 partial tags block drops system_tag', files: {...info({d: {file_name: 'd.jsonl', formatting: 'sharegpt', columns: {messages: 'messages'}, tags: {role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant'}}}), 'd.jsonl': jsonl([{messages: [{role: 'system', content: 's'}, {role: 'user', content: 'a'}, {role: 'assistant', content: 'b'}]}])}, code: 'LF206', at: {file: 'd.jsonl', line: 1}},
  {name: '#7 partial columns block nulls input', files: {...info({d: {file_name: 'd.json', columns: {prompt: 'instruction', response: 'output'}}}), 'd.json': alpacaDemo}, code: 'LF205', at: {file: 'd.json', line: 2}},
  {name: '#8 wrong keys inside columns', files: {...info({d: {file_name: 'd.json', columns: {instruction: 'instruction', output: 'output'}}}), 'd.json': alpacaDemo}, code: 'LF204', at: {dataset: 'd'}},
  {name: '#9 mapped column missing from the file', files: {...info({d: {file_name: 'd.jsonl', columns: {prompt: 'question', response: 'answer'}}}), 'd.jsonl': jsonl(alpacaDemo)}, code: 'LF308', at: {file: 'd.jsonl'}},
  {name: '#10 conversation data without formatting', files: {...info({d: {file_name: 'd.jsonl'}}), 'd.jsonl': jsonl([{conversations: [h('a'), g('b')]}])}, code: 'LF209', at: {file: 'd.jsonl', line: 1}},
  {name: '#10 formatting typo', files: {...info({d: {file_name: 'd.json', formatting: 'ShareGPT'}}), 'd.json': alpacaDemo}, code: 'LF203', at: {dataset: 'd'}},
  {name: '#11 non-string response', files: {...info({d: {file_name: 'd.jsonl'}}), 'd.jsonl': jsonl([alpacaDemo[0], {instruction: 'q', input: '', output: {answer: 1}}])}, code: 'LF403', at: {file: 'd.jsonl', line: 2}},
  {name: '#12 non-string instruction', files: {...info({d: {file_name: 'd.jsonl'}}), 'd.jsonl': jsonl([alpacaDemo[0], {instruction: 42, input: '', output: 'x'}])}, code: 'LF411', at: {file: 'd.jsonl', line: 2}},
  {name: '#13 text-only data with stage sft', files: {...info({d: {file_name: 'd.jsonl', columns: {prompt: 'text'}}}), 'd.jsonl': jsonl([{text: 'just text'}])}, code: 'LF420', at: {dataset: 'd'}},
  {name: '#14 empty output', files: {...info({d: {file_name: 'd.jsonl'}}), 'd.jsonl': jsonl([alpacaDemo[0], {instruction: 'q', input: '', output: ''}])}, code: 'LF422', at: {file: 'd.jsonl', line: 2}},
  {name: '#15 dataset not registered (typo)', files: {...info({alpaca_en_demo: {file_name: 'd.json'}}), 'd.json': alpacaDemo}, opts: {datasets: ['alpca_en_demo']}, code: 'LF207', at: {dataset: 'alpca_en_demo'}},
  {name: '#16 dataset_info.json missing', files: {'d.json': alpacaDemo}, code: 'LF201'},
  {name: '#17 dataset_info.json invalid JSON', files: {'dataset_info.json': '{\n  "d": {"file_name": "d.json"},\n}\n', 'd.json': alpacaDemo}, code: 'LF202', at: {file: 'dataset_info.json', line: 3}},
  {name: '#18 file_name misspelled', files: {...info({d: {file_name: 'd_typo.json'}}), 'd.json': alpacaDemo}, code: 'LF301', at: {file: 'd_typo.json'}},
  {name: '#19 unsupported extension', files: {...info({d: {file_name: 'd.xlsx'}}), 'd.xlsx': 'binary'}, code: 'LF302', at: {file: 'd.xlsx'}},
  {name: '#20 folder with a stray README', files: {...info({d: {file_name: 'shards'}}), 'shards/a.jsonl': jsonl(alpacaDemo), 'shards/README.md': '# x'}, code: 'LF303', at: {file: 'shards'}},
  {name: '#21 JSON in a .txt file', files: {...info({d: {file_name: 'd.txt'}}), 'd.txt': JSON.stringify(alpacaDemo)}, code: 'LF307', at: {file: 'd.txt'}},
  {name: '#22 field changes type between rows', files: {...info({d: {file_name: 'd.jsonl', formatting: 'sharegpt'}}), 'd.jsonl': jsonl([{conversations: [h('a'), g('b')]}, {conversations: [h('a'), {from: 'gpt', value: ['b']}]}])}, code: 'LF421', at: {file: 'd.jsonl', line: 2}},
  {name: '#23 top-level object instead of a list', files: {...info({d: {file_name: 'd.json'}}), 'd.json': '{\n  "data": []\n}\n'}, code: 'LF306', at: {file: 'd.json', line: 1}},
  {name: '#24 empty file', files: {...info({d: {file_name: 'd.jsonl'}}), 'd.jsonl': ''}, code: 'LF304', at: {file: 'd.jsonl'}},
  {name: '#25 not UTF-8 (GBK)', files: {...info({d: {file_name: 'd.jsonl'}}), 'd.jsonl': Buffer.concat([Buffer.from('{"instruction": "'), Buffer.from([0xc4, 0xe3, 0xba, 0xc3]), Buffer.from('", "output": "x"}\n')])}, code: 'LF305', at: {file: 'd.jsonl'}},
  {name: '#26 image count vs <image> placeholders', files: {...info({d: {file_name: 'd.json', formatting: 'sharegpt', columns: {messages: 'messages', images: 'images'}, tags: {role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant'}}}), 'd.json': [{messages: [{role: 'user', content: 'What is this?'}, {role: 'assistant', content: 'A cat.'}], images: ['cat.jpg']}], 'cat.jpg': 'x'}, code: 'LF426', at: {file: 'd.json', line: 2}},
  {name: '#27 media path missing', files: {...info({d: {file_name: 'd.json', formatting: 'sharegpt', columns: {messages: 'messages', images: 'images'}, tags: {role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant'}}}), 'd.json': [{messages: [{role: 'user', content: '<image>What?'}, {role: 'assistant', content: 'A cat.'}], images: ['missing.jpg']}]}, code: 'LF427', at: {file: 'd.json', line: 2}},
  {name: '#29 template does not exist', files: {...info({d: {file_name: 'd.json'}}), 'd.json': alpacaDemo}, opts: {yaml: 'dataset: d\ntemplate: qwen4\n'}, code: 'LF103', at: {file: 'train.yaml', line: 3}},
  {name: '#30 reasoning template on non-reasoning data', files: {...info({d: {file_name: 'd.json'}}), 'd.json': alpacaDemo}, opts: {yaml: 'dataset: d\ntemplate: qwen3\n', tokenizer: 'qwen'}, code: 'LF109', at: {dataset: 'd'}},
  {name: '#31 cutoff_len truncates examples', files: {...info({d: {file_name: 'd.json'}}), 'd.json': alpacaDemo}, opts: {tokenizer: 'qwen', cutoffLen: 20}, code: 'LF501', at: {dataset: 'd'}},
  {name: '#32 packing drops over-long examples', files: {...info({d: {file_name: 'd.json'}}), 'd.json': alpacaDemo}, opts: {yaml: 'dataset: d\ntemplate: qwen\ncutoff_len: 20\npacking: true\n', tokenizer: 'qwen'}, code: 'LF502', at: {dataset: 'd'}},
  {name: '#34 interleave_probs count', files: {...info({d: {file_name: 'd.json'}, e: {file_name: 'd.json'}}), 'd.json': alpacaDemo}, opts: {yaml: 'dataset: d,e\nmix_strategy: interleave_under\ninterleave_probs: 0.5,0.3,0.2\n'}, code: 'LF104', at: {file: 'train.yaml', line: 4}},
  {name: '#34 interleave_probs with concat', files: {...info({d: {file_name: 'd.json'}}), 'd.json': alpacaDemo}, opts: {yaml: 'dataset: d\ninterleave_probs: 1.0\n'}, code: 'LF104', at: {file: 'train.yaml', line: 3}},
  {name: '#36 streaming with a float val_size', files: {...info({d: {file_name: 'd.json'}}), 'd.json': alpacaDemo}, opts: {yaml: 'dataset: d\nstreaming: true\nmax_steps: 10\nval_size: 0.1\n'}, code: 'LF104', at: {file: 'train.yaml', line: 5}},
  {name: '#37 eval without an eval set', files: {...info({d: {file_name: 'd.json'}}), 'd.json': alpacaDemo}, opts: {yaml: 'dataset: d\ndo_eval: true\n'}, code: 'LF104'},
  {name: '#38 streaming without max_steps', files: {...info({d: {file_name: 'd.json'}}), 'd.json': alpacaDemo}, opts: {yaml: 'dataset: d\nstreaming: true\n'}, code: 'LF104'},
  {name: '#39 ranking data with stage sft', files: {...info({d: {file_name: 'd.json', ranking: true, columns: {prompt: 'instruction', chosen: 'chosen', rejected: 'rejected'}}}), 'd.json': [{instruction: 'q', chosen: 'a', rejected: 'b'}]}, code: 'LF208', at: {dataset: 'd'}},
  {name: '#40 chosen equals rejected', files: {...info({d: {file_name: 'd.json', ranking: true, columns: {prompt: 'instruction', chosen: 'chosen', rejected: 'rejected'}}}), 'd.json': [{instruction: 'q', chosen: 'a', rejected: 'a'}]}, opts: {stage: 'dpo'}, code: 'LF430', at: {file: 'd.json', line: 2}},
  {name: '#40 preference pair not strings', files: {...info({d: {file_name: 'd.json', ranking: true, columns: {prompt: 'instruction', chosen: 'chosen', rejected: 'rejected'}}}), 'd.json': [{instruction: 'q', chosen: ['a', 'b'], rejected: 'c'}]}, opts: {stage: 'dpo'}, code: 'LF405', at: {file: 'd.json', line: 2}},
  {name: '#41 kto_tag as a string', files: {...info({d: {file_name: 'd.jsonl', columns: {prompt: 'instruction', response: 'output', kto_tag: 'label'}}}), 'd.jsonl': jsonl([{instruction: 'q', output: 'a', label: 'true'}])}, opts: {stage: 'kto'}, code: 'LF428', at: {file: 'd.jsonl', line: 1}},
  {name: '#42 tools not valid JSON', files: {...info({d: {file_name: 'd.jsonl', formatting: 'sharegpt', columns: {messages: 'conversations', tools: 'tools'}}}), 'd.jsonl': jsonl([{conversations: [h('a'), g('b')], tools: ' '}])}, code: 'LF415', at: {file: 'd.jsonl', line: 1}},
  {name: '#43 system turn mid-conversation', files: {...info({d: {file_name: 'd.jsonl', formatting: 'sharegpt'}}), 'd.jsonl': jsonl([{conversations: [h('a'), {from: 'system', value: 's'}, h('b'), g('c')]}])}, code: 'LF401', at: {file: 'd.jsonl', line: 1}},
  {name: '#45 max_samples caps training', files: {...info({d: {file_name: 'd.json'}}), 'd.json': alpacaDemo}, opts: {yaml: 'dataset: d\nmax_samples: 1\n'}, code: 'LF106', at: {dataset: 'd'}},
  {name: '#46 stale tokenized_path', files: {...info({d: {file_name: 'd.json'}}), 'd.json': alpacaDemo, 'tok/data.arrow': 'x'}, opts: {yaml: 'dataset: d\ntokenized_path: TOKDIR\n'}, code: 'LF107'},
  {name: '#47 unknown YAML key', files: {...info({d: {file_name: 'd.json'}}), 'd.json': alpacaDemo}, opts: {yaml: 'dataset: d\nlearning_rat: 1.0e-4\n'}, code: 'LF102', at: {file: 'train.yaml', line: 3}},
  {name: '#48 mask_history with train_on_prompt', files: {...info({d: {file_name: 'd.json'}}), 'd.json': alpacaDemo}, opts: {yaml: 'dataset: d\nmask_history: true\ntrain_on_prompt: true\n'}, code: 'LF104'},
  {name: 'CSV cell pandas reads as null', files: {...info({d: {file_name: 'd.csv'}}), 'd.csv': 'instruction,input,output\nq,,a\nq2,,None\n'}, code: 'LF424', at: {file: 'd.csv', line: 3}},
  {name: 'CSV response column of numbers', files: {...info({d: {file_name: 'd.csv'}}), 'd.csv': 'instruction,input,output\nq,,1\nq2,,2.5\n'}, code: 'LF425', at: {file: 'd.csv'}},
  {name: 'exact duplicates', files: {...info({d: {file_name: 'd.jsonl'}}), 'd.jsonl': jsonl([alpacaDemo[0], alpacaDemo[1], alpacaDemo[0]])}, code: 'LF423', at: {file: 'd.jsonl', line: 3}},
  {name: 'function call turn not JSON', files: {...info({d: {file_name: 'd.jsonl', formatting: 'sharegpt'}}), 'd.jsonl': jsonl([{conversations: [h('a'), {from: 'function_call', value: 'call f'}, {from: 'observation', value: '1'}, g('b')]}])}, code: 'LF416', at: {file: 'd.jsonl', line: 1}},
  {name: 'hub dataset is not checked offline', files: {...info({d: {hf_hub_url: 'org/d'}})}, code: 'LF210', at: {dataset: 'd'}},
]

describe('lfdata check: one broken case per LF failure mode', () => {
  it.each(CASES)('$name → $code', async (c) => {
    const files = {...c.files}
    const opts = {...c.opts}
    const {dir, result} = await (async () => {
      if (opts.yaml?.includes('TOKDIR')) {
        const d = tree(files)
        const config = join(d, 'train.yaml')
        writeFileSync(config, `dataset_dir: ${d}\n${opts.yaml.replace('TOKDIR', join(d, 'tok'))}`)
        return {dir: d, result: await runCheck({datasets: [], config}, silentReporter)}
      }
      return check(files, opts)
    })()
    const hit = result.diagnostics.find((d) => d.code === c.code)
    expect(hit, `${c.code} not in ${JSON.stringify(result.diagnostics.map((d) => [d.code, d.message]))}`).toBeDefined()
    if (c.at?.file) expect(hit!.file).toBe(join(dir, c.at.file))
    if (c.at?.line !== undefined) expect(hit!.line).toBe(c.at.line)
    if (c.at?.dataset) expect(hit!.dataset).toBe(c.at.dataset)
    if (hit!.severity === 'error') expect(result.errors).toBeGreaterThan(0)
  })

  it('covers at least 35 cases', () => expect(CASES.length).toBeGreaterThanOrEqual(35))
})

describe('lfdata check on clean data', () => {
  it('LF-style demo datasets registered as LF ships them: no errors, no warnings', async () => {
    const glaive = [{conversations: [h('What is 2+2?'), {from: 'function_call', value: '{"name": "calc", "arguments": {"expr": "2+2"}}'}, {from: 'observation', value: '{"result": 4}'}, g('4.')], tools: '[{"name": "calc", "description": "math", "parameters": {"type": "object", "properties": {"expr": {"type": "string"}}}}]'}]
    const {result} = await check({
      ...info({
        alpaca_en_demo: {file_name: 'alpaca_en_demo.json'},
        identity: {file_name: 'identity.json'},
        glaive_toolcall_en_demo: {file_name: 'glaive_toolcall_en_demo.json', formatting: 'sharegpt', columns: {messages: 'conversations', tools: 'tools'}},
      }),
      'alpaca_en_demo.json': alpacaDemo,
      'identity.json': [{instruction: 'hi', input: '', output: 'Hello! I am {{name}}, an AI assistant developed by {{author}}.'}],
      'glaive_toolcall_en_demo.json': glaive,
    })
    expect(result.diagnostics).toEqual([])
    expect(result.datasets.map((d) => d.summary)).toEqual([
      'alpaca_en_demo: would train on 2 of 2 examples', 'identity: would train on 1 of 1 examples', 'glaive_toolcall_en_demo: would train on 1 of 1 examples',
    ])
  })

  it('drop decisions agree with LF\'s converter per record and reason', async () => {
    const rows = [{conversations: [h('a'), g('b')]}, {conversations: [g('a'), h('b')]}, {conversations: [h('a')]}, {conversations: [h('a'), g('b'), h('c'), g('d')]}]
    const {result} = await check({...info({d: {file_name: 'd.jsonl', formatting: 'sharegpt'}}), 'd.jsonl': jsonl(rows)})
    expect(result.datasets[0]).toMatchObject({records: 4, kept: 2, dropped: {invalid_role_order: 1, invalid_message_count: 1}})
    expect(result.datasets[0]!.summary).toBe('d: would train on 2 of 4 examples (2 dropped: invalid_role_order: 1, invalid_message_count: 1)')
  })
})
