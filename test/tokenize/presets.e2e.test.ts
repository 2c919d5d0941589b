import {readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join, resolve} from 'node:path'

import {describe, expect, it} from 'vitest'

import type {StatsResult} from '../../src/pipeline/stats.js'
import {TEMPLATES} from '../../src/templates/templates.js'
import {PRESETS} from '../../src/tokenize/load.js'
import {lfdata} from '../e2e.js'
import {tempDir} from '../io/helpers.js'
import {presetTokenizerPath} from './preset-files.js'

/**
 * The demo chats without the record LF's preprocessing raises on (an assistant turn whose content is null: a
 * tool call the sharegpt converter does not read), which would stop stats as it stops LF; and the demo CSV.
 */
function measurableChats(): string {
  const path = join(tempDir(), 'chats.jsonl')
  const lines = readFileSync(resolve('fixtures/demo/chats.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '')
  const measurable = lines.filter((l) => (JSON.parse(l) as {messages?: {content: unknown}[]}).messages?.every((m) => typeof m.content === 'string') ?? true)
  writeFileSync(path, measurable.join('\n') + '\n')
  return path
}
const demo = [measurableChats(), resolve('fixtures/demo/qa.csv')]
const stats = (r: {json?: unknown}) => r.json as StatsResult
const lengthsOf = (json: StatsResult) => ({lengths: json.lengths, prompt: json.prompt_tokens, response: json.response_tokens, histogram: json.histogram})

describe.each(['llama3.1', 'llama2', 'gemma3', 'deepseek3', 'gpt-oss'])('stats --tokenizer %s (spawned)', (name) => {
  const preset = PRESETS[name]!
  // The implied template when lfdata has it, else one with text, BOS and EOS slots.
  const template = TEMPLATES[preset.template] ? preset.template : 'default'

  it.each(demo)('measures %s as the same tokenizer loaded from its tokenizer.json path does', async (file) => {
    const cache = tempDir()
    const path = presetTokenizerPath(name)
    const byPreset = await lfdata(['stats', file, '--tokenizer', name, '--template', template, '--json'])
    expect(byPreset.code, byPreset.stderr).toBe(0)
    expect(stats(byPreset).vocabulary).toBe(`${preset.model} vocabulary, ${preset.tokens.toLocaleString('en-US')} tokens`)
    expect(stats(byPreset).lengths.total).toBeGreaterThan(0)
    // Twice by path: the first run builds the counter and caches its snapshot, the second loads the snapshot.
    for (const run of [1, 2]) {
      const byPath = await lfdata(['stats', file, '--tokenizer', path, '--template', template, '--json'], {env: {LFDATA_CACHE_DIR: cache}})
      expect(byPath.code, byPath.stderr).toBe(0)
      expect(stats(byPath).vocabulary).toBeNull()
      expect(lengthsOf(stats(byPath)), `run ${run}`).toEqual(lengthsOf(stats(byPreset)))
      expect(readdirSync(join(cache, 'tokenizers')).filter((f) => f.endsWith('.counting'))).toHaveLength(1)
    }
  })
})

describe('stats says what a preset is and what its template lacks (spawned)', () => {
  it('prints the vocabulary and the implied template', async () => {
    const r = await lfdata(['stats', demo[1]!, '--tokenizer', 'llama2'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('tokenizer llama2 (Llama 2 vocabulary, 32,000 tokens) · template llama2 ·')
  })

  it('warns when the template needs special tokens the tokenizer lacks, and counts each as one new token', async () => {
    const r = await lfdata(['stats', demo[1]!, '--tokenizer', 'llama2', '--template', 'qwen', '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toContain('template qwen needs <|im_end|>, which tokenizer llama2 lacks: LF adds it as a new special token')
    // The same template on Qwen's own vocabulary has no warning.
    const own = await lfdata(['stats', demo[1]!, '--tokenizer', 'qwen', '--template', 'qwen', '--json'])
    expect(own.code, own.stderr).toBe(0)
    expect(own.stderr).not.toContain('lacks')
  })

  it('knows the special tokens Llama 3.1 added to Llama 3 (the package lacks them)', async () => {
    const r = await lfdata(['stats', demo[1]!, '--tokenizer', 'llama3.1', '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(stats(r).template).toBe('llama3')
    expect(r.stderr).not.toContain('lacks')
  })

  it('check --tokenizer gives the same warning', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'chats.jsonl'), readFileSync(demo[0]!))
    writeFileSync(join(dir, 'dataset_info.json'), JSON.stringify({chats: {file_name: 'chats.jsonl', formatting: 'sharegpt', columns: {messages: 'messages'}}}))
    const r = await lfdata(['check', '--dataset-dir', dir, '--tokenizer', 'gemma3', '--template', 'llama3'])
    expect(r.stderr).toContain('template llama3 needs <|eot_id|>, <|eom_id|>, which tokenizer gemma3 lacks: LF adds them')
  })
})
