import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {tempDir} from '../io/helpers.js'
import {lfdata} from '../e2e.js'

describe('lfdata stats (spawned)', () => {
  it('measures a converted file through its manifest and reports LF drops by reason', async () => {
    const dir = tempDir()
    const data = join(dir, 'd.jsonl')
    const rows = [
      {conversations: [{from: 'human', value: 'hi'}, {from: 'gpt', value: 'hello'}]},
      {conversations: [{from: 'human', value: 'a'}, {from: 'human', value: 'b'}]},
      {conversations: [{from: 'human', value: 'one'}]},
    ]
    writeFileSync(data, rows.map((r) => JSON.stringify(r)).join('\n') + '\n')
    const started = Date.now()
    const r = await lfdata(['stats', data, '--tokenizer', 'qwen', '--template', 'qwen3_nothink', '--json', '--plot', join(dir, 'p.svg')])
    expect(r.code, r.stderr).toBe(0)
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(r.json).toMatchObject({examples: 1, dropped: {invalid_role_order: 1, invalid_message_count: 1}, tokenizer: 'qwen', template: 'qwen3_nothink'})
    // <|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n = 9 tokens; hello<|im_end|>\n = 3.
    expect(r.json.lengths).toMatchObject({min: 12, p50: 12, p99: 12, max: 12, total: 12})
    expect(r.json.cutoff_len).toMatchObject({suggested: 128, truncated_examples: 0})
    expect(r.json.histogram.counts.reduce((a: number, b: number) => a + b, 0)).toBe(1)
  })

  it('resolves --dataset through dataset_info.json, with a partial columns block nulling defaults like LF', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'a.json'), JSON.stringify([{instruction: 'q', input: '', output: 'a'}, {instruction: 'x', output: 5}]))
    writeFileSync(join(dir, 'dataset_info.json'), JSON.stringify({a: {file_name: 'a.json'}, b: {file_name: 'a.json', columns: {prompt: 'instruction'}}}))
    // --stage sft: without it, b (a prompt and no response column) reads as pre-training data (datasetStage).
    const r = await lfdata(['stats', '--dataset', 'a,b', '--dataset-dir', dir, '--tokenizer', 'llama3', '--stage', 'sft', '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.json.datasets.map((d: {examples: number}) => d.examples)).toEqual([1, 0])
    expect(r.json.dropped).toEqual({non_string_response: 3})
    expect(r.json.template).toBe('llama3')
  })

  it("applies the template's own crash rules: llama2's default tool format and bare-JSON function turns", async () => {
    const dir = tempDir()
    const data = join(dir, 'd.jsonl')
    const call = {from: 'function_call', value: '<tool_call>{"name": "f", "arguments": {}}</tool_call>'}
    const rows = [
      {conversations: [{from: 'human', value: 'q'}, {from: 'gpt', value: 'a'}], tools: JSON.stringify([{name: 'f', parameters: {}}])},
      {conversations: [{from: 'human', value: 'q'}, call, {from: 'observation', value: 'r'}, {from: 'gpt', value: 'a'}]},
      {conversations: [{from: 'human', value: 'q'}, {from: 'gpt', value: 'a'}]},
    ]
    writeFileSync(data, rows.map((r) => JSON.stringify(r)).join('\n') + '\n')
    const llama2 = await lfdata(['stats', data, '--tokenizer', 'llama3', '--template', 'llama2', '--json'])
    expect(llama2.code, llama2.stderr).toBe(0)
    expect(llama2.json).toMatchObject({examples: 1, dropped: {invalid_tool_json: 1, invalid_function_json: 1}})
    const qwen = await lfdata(['stats', data, '--tokenizer', 'qwen', '--template', 'qwen', '--json'])
    expect(qwen.code, qwen.stderr).toBe(0)
    expect(qwen.json).toMatchObject({examples: 3, dropped: {}})
  })

  it('gives identical results with token counting on worker threads', async () => {
    const dir = tempDir()
    const data = join(dir, 'd.jsonl')
    writeFileSync(data, Array.from({length: 3000}, (_, i) => JSON.stringify({instruction: `问题 ${i} question ${'word '.repeat(i % 50)}`, input: '', output: `回答 ${i} ${'ok '.repeat(i % 30)}`})).join('\n') + '\n')
    const a = await lfdata(['stats', data, '--tokenizer', 'qwen', '--workers', '0', '--json'])
    const b = await lfdata(['stats', data, '--tokenizer', 'qwen', '--workers', '2', '--json'])
    expect(a.code, a.stderr).toBe(0)
    expect(b.code, b.stderr).toBe(0)
    expect({...b.json, seconds: 0}).toEqual({...a.json, seconds: 0})
  })

  it('lists presets when the tokenizer is unknown (exit 2)', async () => {
    const r = await lfdata(['stats', 'x.jsonl', '--tokenizer', 'nope'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('qwen, llama3')
  })
})
