import {describe, expect, it} from 'vitest'

import {check, gpt, human, info, jsonl, type Files} from './helpers.js'
import {LF_DEMO_INFO, lfDemoDir} from './lf-demo.js'

describe('lfdata check on clean data', () => {
  it('passes LF\'s demo datasets registered as LF ships them: no errors, no warnings, every example trained', async () => {
    const {result, exit} = await check(lfDemoDir())
    expect(exit).toBe(0)
    expect(result.diagnostics).toEqual([])
    expect(result.datasets.map((d) => [d.name, d.stage, d.trained === d.records && d.loads])).toEqual(Object.keys(LF_DEMO_INFO).map((name) => [
      name,
      name.startsWith('dpo') ? 'dpo' : name.startsWith('kto') ? 'kto' : ['wiki_demo', 'c4_demo'].includes(name) ? 'pt' : 'sft',
      true,
    ]))
    expect(result.datasets.find((d) => d.name === 'identity')!.summary).toBe('identity (sft, inferred): would train on 2 of 2 examples')
  })

  it('passes LF\'s example train YAMLs (sft, multimodal sft, dpo, kto, pt) on those datasets', async () => {
    const yamls = [
      'stage: sft\ndo_train: true\nfinetuning_type: lora\ndataset: identity,alpaca_en_demo\ntemplate: qwen3_nothink\ncutoff_len: 2048\nmax_samples: 1000\npreprocessing_num_workers: 16\n',
      'stage: sft\ndataset: mllm_demo,mllm_video_audio_demo,identity,alpaca_en_demo\ntemplate: qwen3_omni_nothink\nimage_max_pixels: 262144\nvideo_max_pixels: 16384\n',
      'stage: dpo\ndataset: dpo_en_demo\ntemplate: qwen3_nothink\npref_beta: 0.1\npref_loss: sigmoid\n',
      'stage: kto\ndataset: kto_en_demo\ntemplate: qwen3_nothink\npref_beta: 0.1\n',
      'stage: pt\ndataset: c4_demo,wiki_demo\ntemplate: qwen3_nothink\n',
      'stage: sft\ndataset: alpaca_en_demo\neval_dataset: identity\ntemplate: llama3\nper_device_eval_batch_size: 1\neval_strategy: steps\neval_steps: 500\n',
    ]
    for (const yaml of yamls) {
      const {result, exit} = await check(lfDemoDir(), {yaml: `model_name_or_path: Qwen/Qwen3-4B-Instruct-2507\n${yaml}`})
      expect(result.diagnostics.filter((d) => d.severity !== 'info'), yaml).toEqual([])
      expect(exit).toBe(0)
    }
  })
})

describe('no false alarms on data LF accepts', () => {
  const qa = [{instruction: 'q1', input: '', output: 'a1'}, {instruction: 'q2', input: '', output: 'a2'}]
  const cases: [string, Files, Parameters<typeof check>[1]?][] = [
    ['val_size 1 (an integer) holds out one example', {...info({d: {file_name: 'd.json'}}), 'd.json': qa}, {yaml: 'dataset: d\nval_size: 1\n'}],
    ['CSV with an empty input column', {...info({d: {file_name: 'd.csv'}}), 'd.csv': 'instruction,input,output\nq1,,a1\nq2,,a2\n'}],
    ['CSV kto_tag column of True/False (pandas reads booleans)', {...info({d: {file_name: 'd.csv', columns: {prompt: 'instruction', response: 'output', kto_tag: 'label'}}}), 'd.csv': 'instruction,output,label\nq1,a1,True\nq2,a2,False\n'}],
    ['.jsonl file holding a JSON array (HF datasets reads it)', {...info({d: {file_name: 'd.jsonl'}}), 'd.jsonl': qa}],
    ['.json file holding JSON Lines', {...info({d: {file_name: 'd.json'}}), 'd.json': jsonl(qa)}],
    ['partial columns omitting a column that is always empty', {...info({d: {file_name: 'd.json', columns: {prompt: 'instruction', response: 'output'}}}), 'd.json': qa}],
    ['folder of JSON and JSONL shards (one LF type)', {...info({d: {file_name: 'shards'}}), 'shards/a.json': qa, 'shards/b.jsonl': jsonl([{instruction: 'q3', input: 'x', output: 'a3'}])}],
    ['tools as an empty list', {...info({d: {file_name: 'd.jsonl', formatting: 'sharegpt', columns: {messages: 'conversations', tools: 'tools'}}}), 'd.jsonl': jsonl([{conversations: [human('a'), gpt('b')], tools: []}])}],
    ['reasoning template on data with thought blocks', {...info({d: {file_name: 'd.json'}}), 'd.json': [{instruction: 'q', input: '', output: '<think>\nhmm\n</think>\n\na'}]}, {yaml: 'dataset: d\ntemplate: qwen3\n'}],
  ]
  it.each(cases)('%s', async (_name, files, opts) => {
    const {result, exit} = await check(files, opts)
    expect(result.diagnostics.filter((d) => d.severity !== 'info')).toEqual([])
    expect(exit).toBe(0)
  })
})
