import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {tempDir} from '../io/helpers.js'
import {lfdata} from '../e2e.js'
import {presetTokenizerPath} from '../tokenize/preset-files.js'

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
    const r = await lfdata(['stats', data, '--tokenizer', 'qwen', '--template', 'qwen3_nothink', '--json', '--plot', join(dir, 'p.svg')])
    expect(r.code, r.stderr).toBe(0)
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
    // LF raises on the first record under llama2 (its default tool format reads parameters.properties): the
    // run would stop, so no length is LF's — exit 3 naming the dataset and the record.
    const llama2 = await lfdata(['stats', data, '--tokenizer', 'llama3', '--template', 'llama2'])
    expect(llama2.code).toBe(3)
    expect(llama2.stderr).toMatch(/LF's preprocessing raises on record 1 of dataset .*d\.jsonl: KeyError: 'properties'/)
    const qwen = await lfdata(['stats', data, '--tokenizer', 'qwen', '--template', 'qwen', '--json'])
    expect(qwen.code, qwen.stderr).toBe(0)
    expect(qwen.json).toMatchObject({examples: 3, dropped: {}})
    // glm4's tool format refuses parallel calls while rendering (ValueError): found on record 2, not guessed.
    const parallel = {from: 'function_call', value: '[{"name": "f", "arguments": {}}, {"name": "g", "arguments": {}}]'}
    writeFileSync(data, [rows[2], {conversations: [{from: 'human', value: 'q'}, parallel, {from: 'observation', value: 'r'}, {from: 'gpt', value: 'a'}]}].map((r) => JSON.stringify(r)).join('\n') + '\n')
    const glm4 = await lfdata(['stats', data, '--tokenizer', 'qwen', '--template', 'glm4', '--json'])
    expect(glm4.code).toBe(3)
    expect(glm4.json).toMatchObject({error: {exit: 3, line: 2}})
    expect((glm4.json as {error: {message: string}}).error.message).toContain('GLM-4 does not support parallel functions')
  })

  it('applies LF training switches: enable_thinking, mask_history, train_on_prompt, default_system, tool_format', async () => {
    const dir = tempDir()
    const data = join(dir, 'd.jsonl')
    const turns = [{from: 'human', value: 'Q1'}, {from: 'gpt', value: '<think>\nstep\n</think>\n\nA1'}, {from: 'human', value: 'Q2'}, {from: 'gpt', value: 'A2'}]
    writeFileSync(data, JSON.stringify({conversations: turns}) + '\n')
    const run = async (...extra: string[]) => {
      const r = await lfdata(['stats', data, '--tokenizer', 'qwen', '--template', 'qwen3', '--json', ...extra])
      expect(r.code, r.stderr).toBe(0)
      return r.json as {prompt_tokens: number; response_tokens: number; trained_tokens: number; lengths: {max: number}; switches: Record<string, unknown>}
    }
    const on = await run()
    const off = await run('--enable-thinking', 'false')
    // false: the thought is removed and the empty block moves to the prompt side of both turns.
    expect(off.lengths.max).toBeLessThan(on.lengths.max)
    expect(off.prompt_tokens).toBeGreaterThan(on.prompt_tokens)
    expect(off.switches).toMatchObject({enable_thinking: false})
    // mask_history: the history's thought is dropped (discarding_history_cot) and only the last reply is trained.
    const masked = await run('--mask-history')
    expect(masked.lengths.max).toBeLessThan(on.lengths.max)
    expect(masked.trained_tokens).toBeLessThan(masked.response_tokens)
    const prompt = await run('--train-on-prompt')
    expect(prompt.trained_tokens).toBe(prompt.lengths.max)
    const sys = await run('--default-system', 'You are a very long and detailed default system prompt.')
    expect(sys.prompt_tokens).toBeGreaterThan(on.prompt_tokens)
    const both = await lfdata(['stats', data, '--tokenizer', 'qwen', '--mask-history', '--train-on-prompt'])
    expect(both.code).toBe(2)
    expect(both.stderr).toContain('`mask_history` is incompatible with `train_on_prompt`.')
    // tool_format: the same tool data under another format renders another prompt.
    writeFileSync(data, JSON.stringify({conversations: turns.slice(2), tools: JSON.stringify([{name: 'f', description: 'd', parameters: {type: 'object', properties: {}}}])}) + '\n')
    expect((await run('--tool-format', 'glm4_moe')).prompt_tokens).not.toBe((await run()).prompt_tokens)
  })

  it('prints float and big-int tool-call arguments as Python json.dumps does (1.0 stays 1.0)', async () => {
    const dir = tempDir()
    const data = join(dir, 'd.jsonl')
    const row = (args: string) => ({conversations: [{from: 'human', value: 'q'}, {from: 'function_call', value: `{"name": "f", "arguments": ${args}}`}, {from: 'observation', value: 'r'}, {from: 'gpt', value: 'a'}]})
    const lengthOf = async (args: string) => {
      writeFileSync(data, JSON.stringify(row(args)) + '\n')
      const r = await lfdata(['stats', data, '--tokenizer', 'qwen', '--template', 'qwen', '--json'])
      expect(r.code, r.stderr).toBe(0)
      return (r.json as {lengths: {max: number}}).lengths.max
    }
    // "1.0" is one token more than "1" for Qwen ("1", ".", "0"); 1e-07 prints as Python writes it, not 1e-7.
    expect(await lengthOf('{"x": 1.0}')).toBe((await lengthOf('{"x": 1}')) + 2)
    expect(await lengthOf('{"x": 1e-7}')).toBe(await lengthOf('{"x": 1e-07}'))
    expect(await lengthOf('{"x": 12345678901234567890}')).toBeGreaterThan(await lengthOf('{"x": 1}'))
  })

  it("without a template: parses the tokenizer's chat_template as LF does, or uses empty, and says which", async () => {
    const dir = tempDir()
    const data = join(dir, 'd.jsonl')
    writeFileSync(data, JSON.stringify({instruction: 'Hi', input: '', output: 'Hello'}) + '\n')
    // The Qwen vocabulary in a folder whose name implies no template.
    const qwen = dirname(presetTokenizerPath('qwen'))
    const config = JSON.parse(readFileSync(join(qwen, 'tokenizer_config.json'), 'utf8')) as Record<string, unknown>
    const tok = (name: string, cfg: Record<string, unknown>) => {
      mkdirSync(join(dir, name))
      writeFileSync(join(dir, name, 'tokenizer.json'), readFileSync(join(qwen, 'tokenizer.json')))
      writeFileSync(join(dir, name, 'tokenizer_config.json'), JSON.stringify(cfg))
      return join(dir, name)
    }
    const withChat = await lfdata(['stats', data, '--tokenizer', tok('plain', config), '--json'])
    expect(withChat.code, withChat.stderr).toBe(0)
    expect(withChat.json).toMatchObject({template: 'parsed', template_source: expect.stringContaining("parsed from the tokenizer's chat_template")})
    const qwen3 = await lfdata(['stats', data, '--tokenizer', 'qwen', '--template', 'qwen3', '--json'])
    // The Qwen3 chat_template parses into qwen3's layout (a reasoning template): the same length.
    const max = (r: {json?: unknown}) => (r.json as {lengths: {max: number}}).lengths.max
    expect(max(withChat)).toBe(max(qwen3))
    const {chat_template: _, ...bare} = config
    const empty = await lfdata(['stats', data, '--tokenizer', tok('bare', bare)])
    expect(empty.code, empty.stderr).toBe(0)
    expect(empty.stdout).toContain('template empty: empty (the tokenizer has no chat_template')
  })

  it('reports examples with media instead of guessing their length; placeholders without media make LF raise', async () => {
    const dir = tempDir()
    const data = join(dir, 'd.jsonl')
    const chat = (q: string, extra: object = {}) => JSON.stringify({messages: [{role: 'user', content: q}, {role: 'assistant', content: 'A cat.'}], ...extra})
    writeFileSync(data, [chat('<image>What is it?', {images: ['cat.png']}), chat('Hi', {images: []})].join('\n') + '\n')
    const vl = await lfdata(['stats', data, '--tokenizer', 'qwen', '--template', 'qwen2_vl', '--json'])
    expect(vl.code, vl.stderr).toBe(0)
    expect(vl.json).toMatchObject({examples: 1, media_examples: 1})
    const human = await lfdata(['stats', data, '--tokenizer', 'qwen', '--template', 'qwen2_vl'])
    expect(human.stdout).toContain('1 examples with images/videos/audios not measured')
    // A text-only template has no image token: LF refuses the image (_validate_input).
    const text = await lfdata(['stats', data, '--tokenizer', 'qwen', '--template', 'qwen'])
    expect(text.code).toBe(3)
    expect(text.stderr).toContain('This model does not support image input')
    // A multimodal template counts placeholders: "<image>" in a text-only example does not match zero images.
    writeFileSync(data, [chat('Hi'), chat('Write <image> tags')].join('\n') + '\n')
    const placeholder = await lfdata(['stats', data, '--tokenizer', 'qwen', '--template', 'qwen2_vl', '--json'])
    expect(placeholder.code).toBe(3)
    expect(placeholder.json).toMatchObject({error: {line: 2}})
    expect((await lfdata(['stats', data, '--tokenizer', 'qwen', '--template', 'qwen', '--json'])).json).toMatchObject({examples: 2})
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
