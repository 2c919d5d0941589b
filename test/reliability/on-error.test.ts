// --on-error skip: a line or row that does not parse becomes a parse_error reject (line, error, text) and the run
// goes on; the default (fail) stops at it with exit 3 and writes nothing.
import {readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {lfdata} from '../e2e.js'
import {tempDir} from '../io/helpers.js'

const readJsonl = (p: string) => readFileSync(p, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as {instruction?: string; line?: number; code?: string; text: string})

interface Case {
  name: string
  file: string
  content: string
  /** Instructions of the records kept, in order. */
  kept: string[]
  /** Line numbers and error codes of the skipped lines/rows. */
  skipped: [number, string][]
}

const CASES: Case[] = [
  {
    name: 'JSON Lines: broken lines resync at the next line',
    file: 'a.jsonl',
    content: ['{"instruction":"q1","output":"a1"}', '{"instruction":"q2","output":', '"just a string"', '', '{"instruction":"q3","output":"a3"}', `{"instruction":${'['.repeat(5000)}${']'.repeat(5000)},"output":"x"}`, '{"instruction":"q4","output":"a4"}'].join('\n') + '\n',
    kept: ['q1', 'q3', 'q4'],
    skipped: [[2, 'E_JSONL_PARSE'], [3, 'E_JSONL_NOT_OBJECT'], [6, 'E_JSON_DEPTH']],
  },
  {
    name: 'JSON array: a bad element is skipped, the next one read',
    file: 'a.json',
    content: '[\n{"instruction":"q1","output":"a1"},\n{"instruction":"q2","output":tru},\n7,\n{"instruction":"q3","output":"a3"}\n]\n',
    kept: ['q1', 'q3'],
    skipped: [[3, 'E_JSON_PARSE'], [4, 'E_JSON_NOT_OBJECT']],
  },
  {
    name: 'CSV: a row with too many fields, and an unterminated quote at the end',
    file: 'a.csv',
    content: 'instruction,output\nq1,a1\nq2,a2,extra\nq4,a4\nq5,"open\nnever closed\n',
    kept: ['q1', 'q4'],
    skipped: [[3, 'E_CSV_FIELDS'], [5, 'E_CSV_QUOTE']],
  },
  {
    // Documented: a quoted field runs to its closing quote, so after a stray quote the rest of the field up to
    // the next quote (here: the end of the file) is one bad row; its text is in the rejects file, nothing is lost silently.
    name: 'CSV: a malformed quote takes the rows up to the next quote with it',
    file: 'a.csv',
    content: 'instruction,output\nq1,a1\n"q3"x,a3\nq4,a4\n',
    kept: ['q1'],
    skipped: [[3, 'E_CSV_QUOTE']],
  },
]

describe('convert --on-error', () => {
  for (const c of CASES) {
    it(`skip — ${c.name}`, async () => {
      const dir = tempDir()
      writeFileSync(join(dir, c.file), c.content)
      const r = await lfdata(['convert', c.file, '-o', 'out.jsonl', '--on-error', 'skip', '--rejects', 'rej.jsonl'], {cwd: dir})
      expect(r.code, r.stderr).toBe(0)
      expect(readJsonl(join(dir, 'out.jsonl')).map((x) => x.instruction)).toEqual(c.kept)
      const rejects = readJsonl(join(dir, 'rej.jsonl'))
      expect(rejects.map((x) => [x.line, x.code])).toEqual(c.skipped)
      if (c.name.includes('malformed quote')) expect(rejects[0]!.text).toContain('q4,a4')
      for (const x of rejects) expect(x).toMatchObject({source: c.file, reason: 'parse_error', detail: expect.any(String), text: expect.any(String)})
      // The summary counts them; records in = written + dropped.
      expect(r.stdout).toMatch(new RegExp(`parse_error\\s+${c.skipped.length}\\s`))
      expect(r.stdout).toContain(`${c.kept.length + c.skipped.length} records in → ${c.kept.length} written`)
    })

    it(`fail (default) — ${c.name}: exit 3 at the first bad line, nothing written`, async () => {
      const dir = tempDir()
      writeFileSync(join(dir, c.file), c.content)
      const r = await lfdata(['convert', c.file, '-o', 'out.jsonl', '--rejects', 'rej.jsonl'], {cwd: dir})
      expect(r.code).toBe(3)
      expect(r.stderr).toContain(`${c.file}:${c.skipped[0]![0]}`)
      expect(readdirSync(dir)).toEqual([c.file])
    })
  }

  it('skip on stdin, inside the look-ahead: counted once', async () => {
    const dir = tempDir()
    const r = await lfdata(['convert', '-', '-o', 'out.jsonl', '--on-error', 'skip', '--json'], {cwd: dir, stdin: CASES[0]!.content})
    expect(r.code).toBe(0)
    expect(r.json.dropped).toEqual({parse_error: 3})
    expect(r.json.records_in).toBe(6)
  })

  it('stats --on-error skip counts the bad lines as dropped and measures the rest', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'a.jsonl'), CASES[0]!.content)
    const r = await lfdata(['stats', 'a.jsonl', '--tokenizer', 'qwen', '--on-error', 'skip', '--json'], {cwd: dir})
    expect(r.code).toBe(0)
    expect(r.json.examples).toBe(3)
    expect(r.json.dropped).toEqual({parse_error: 3})
    const failed = await lfdata(['stats', 'a.jsonl', '--tokenizer', 'qwen'], {cwd: dir})
    expect(failed.code).toBe(3)
    expect(failed.stderr).toContain('a.jsonl:2')
  })
})
