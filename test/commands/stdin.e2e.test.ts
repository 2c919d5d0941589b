import {readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {gzipSync} from 'node:zlib'
import {describe, expect, it} from 'vitest'

import {tempDir} from '../io/helpers.js'
import {lfdata} from '../e2e.js'

const FIX = new URL('../../fixtures/', import.meta.url).pathname
const readJsonl = (p: string) => readFileSync(p, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
const chats = [
  {messages: [{role: 'user', content: 'hi'}, {role: 'assistant', content: 'hello'}]},
  {system: 'be brief', messages: [{role: 'user', content: 'q'}, {role: 'assistant', content: 'a'}]},
]

describe('stdin (-) without --input-format: the format is sniffed from the data', () => {
  const cases: [string, string | Buffer, string][] = [
    ['CSV', 'question,answer\nq1,a1\n"q,2",a2\n', 'csv'],
    ['TSV', 'question\tanswer\nq1\ta1\nq,2\ta2\n', 'tsv'],
    ['JSON Lines', '{"question":"q1","answer":"a1"}\n{"question":"q,2","answer":"a2"}\n', 'jsonl'],
    ['a JSON array', '\uFEFF [\n{"question":"q1","answer":"a1"},{"question":"q,2","answer":"a2"}]', 'json'],
    ['gzipped JSON Lines', gzipSync('{"question":"q1","answer":"a1"}\n{"question":"q,2","answer":"a2"}\n'), 'jsonl'],
  ]
  for (const [name, stdin, format] of cases) {
    it(`convert reads ${name}`, async () => {
      const dir = tempDir()
      const r = await lfdata(['convert', '-', '-o', 'out.jsonl', '--json'], {cwd: dir, stdin})
      expect(r.code).toBe(0)
      expect(r.json.mapping).toEqual({instruction: 'question', output: 'answer'})
      expect(readJsonl(join(dir, 'out.jsonl'))).toEqual([{instruction: 'q1', input: '', output: 'a1'}, {instruction: 'q,2', input: '', output: 'a2'}])
      expect((JSON.parse(readFileSync(join(dir, 'out.jsonl.lfdata.json'), 'utf8')) as {inputs: unknown[]}).inputs[0]).toMatchObject({path: '-', format})
    })
  }

  it('convert reads Parquet from stdin (copied to a temp file, which is removed)', async () => {
    const dir = tempDir()
    const tmp = tempDir()
    const r = await lfdata(['convert', '-', '-o', 'out.jsonl', '--json'], {cwd: dir, stdin: readFileSync(join(FIX, 'io/hf-chats.parquet')), env: {TMPDIR: tmp}})
    expect(r.code).toBe(0)
    expect(readdirSync(tmp)).toEqual([])
    expect(r.json.records_out).toBeGreaterThan(0)
    expect((await lfdata(['convert', join(FIX, 'io/hf-chats.parquet'), '-o', 'direct.jsonl'], {cwd: dir})).code).toBe(0)
    expect(readFileSync(join(dir, 'out.jsonl'), 'utf8')).toBe(readFileSync(join(dir, 'direct.jsonl'), 'utf8'))
  })

  it('stats - measures stdin, system prompts of later records included', async () => {
    const dir = tempDir()
    const file = join(dir, 'chats.jsonl')
    const text = chats.map((c) => JSON.stringify(c)).join('\n') + '\n'
    const fromStdin = await lfdata(['stats', '-', '--tokenizer', 'qwen', '--json'], {cwd: dir, stdin: text})
    expect(fromStdin.code).toBe(0)
    expect(fromStdin.json.examples).toBe(2)
    writeFileSync(file, text)
    const fromFile = await lfdata(['stats', file, '--tokenizer', 'qwen', '--json'], {cwd: dir})
    expect(fromFile.json.lengths).toEqual(fromStdin.json.lengths)
    // The second record is measured with its own short system prompt, not qwen's longer default one.
    const alone = await lfdata(['stats', '-', '--tokenizer', 'qwen', '--json'], {cwd: dir, stdin: JSON.stringify(chats[1]) + '\n'})
    expect(alone.json.lengths.max).toBeLessThan(fromStdin.json.lengths.max)
    expect(fromStdin.json.lengths.min).toBe(alone.json.lengths.max)
  })

  it('stats - stops (exit 3) when a record after the 1000-record look-ahead brings a column it would have read', async () => {
    const dir = tempDir()
    const lines = Array.from({length: 1100}, (_, i) => JSON.stringify(i === 1050 ? {...chats[1], system: 'late'} : chats[0]))
    const r = await lfdata(['stats', '-', '--tokenizer', 'qwen'], {cwd: dir, stdin: lines.join('\n') + '\n'})
    expect(r.code).toBe(3)
    expect(r.stderr).toContain('column "system" first appears after the first 1000 records of stdin')
    expect(r.stderr).toContain('-:1051')
  })
})
