// Every malformed file of the corpus through every command that reads data: the documented exit code, a
// one-line error naming the file and the line or byte offset, no stack trace, and nothing written.
import {mkdirSync, readFileSync, readdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {lfdata, type CommandJson, type RunResult} from '../e2e.js'
import {tempDir} from '../io/helpers.js'
import {CASES, type BadInput} from './corpus.js'
import {writeTinyTokenizer} from './tiny-tokenizer.js'

const tried = {convert: 0, stats: 0, check: 0}
afterAll(() => console.log(`reliability: ${CASES.length} bad-input cases; files tried: convert ${tried.convert}, stats ${tried.stats}, check ${tried.check}`))

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** One `Error:` line (maybe followed by a hint line) naming the file, and the line or byte offset when given. */
function expectOneLineError(r: RunResult, c: BadInput, exit: number): void {
  const lines = r.stderr.split('\n')
  const errors = lines.filter((l) => l.startsWith('Error: '))
  expect(errors, r.stderr).toHaveLength(1)
  const next = lines[lines.indexOf(errors[0]!) + 1] ?? ''
  expect(next === '' || next.startsWith('  hint: '), `the message continues on a second line: ${next}`).toBe(true)
  const where = exit !== 3 ? '' : c.where === 'offset' ? ' \\(byte \\d+\\)' : (c.where ?? 'line') === 'line' ? ':\\d+' : ''
  expect(errors[0]).toMatch(new RegExp(`${escape(c.file)}${where}`))
}

// stats runs the corpus with a one-token-per-byte tokenizer that loads at once, and a few cases with the qwen
// preset (whose ~1.3 s load would otherwise dominate this suite).
const TINY = writeTinyTokenizer(join(tempDir(), 'tiny'))
const QWEN_CASES = new Set(['truncated JSONL line', 'invalid UTF-8 in CSV', 'header-only CSV', 'non-string values (numbers, booleans, null)'])
const RUNS = [
  {command: 'convert', args: (file: string) => ['convert', file, '-o', 'out.jsonl'], cases: CASES},
  {command: 'stats', args: (file: string) => ['stats', file, '--tokenizer', TINY, '--template', 'default'], cases: CASES},
  {command: 'stats', label: 'stats --tokenizer qwen', args: (file: string) => ['stats', file, '--tokenizer', 'qwen'], cases: CASES.filter((c) => QWEN_CASES.has(c.name))},
] as const

function runIn(command: 'convert' | 'stats', args: string[], c: BadInput): () => Promise<void> {
  return async () => {
    const dir = tempDir()
    writeFileSync(join(dir, c.file), c.content())
    const r = await lfdata(args, {cwd: dir})
    tried[command]++
    const exit = (command === 'stats' ? c.statsExit : undefined) ?? c.exit ?? 3
    expect(r.stderr).not.toMatch(/^\s+at /m)
    expect(r.code, r.stderr).toBe(exit)
    if (exit === 0) {
      if (command === 'convert' && c.output !== undefined) expect(readFileSync(join(dir, 'out.jsonl'), 'utf8')).toBe(c.output)
      return
    }
    expectOneLineError(r, c, exit)
    // Nothing left behind: no output, no manifest, no temp file.
    expect(readdirSync(dir)).toEqual([c.file])
  }
}

describe.concurrent('bad-input corpus', () => {
  it('has at least 30 malformed files', () => expect(CASES.filter((c) => (c.exit ?? 3) !== 0).length).toBeGreaterThanOrEqual(30))

  for (const run of RUNS) {
    for (const c of run.cases) {
      it(`${'label' in run ? run.label : run.command}: ${c.name}`, runIn(run.command, run.args(c.file), c), 120_000)
    }
  }
})

/** check reads every file as LF would, so one run over a dataset dir holding the whole corpus covers it. */
describe('bad-input corpus through check', () => {
  const id = (i: number) => `c${String(i).padStart(2, '0')}`
  let run: RunResult<CommandJson['check'] & {error?: unknown}>
  let diagnostics: {severity: string; code: string; file?: string; line?: number; dataset?: string}[] = []

  beforeAll(async () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'data'))
    const info: Record<string, {file_name: string}> = {}
    CASES.forEach((c, i) => {
      writeFileSync(join(dir, 'data', `${id(i)}_${c.file}`), c.content())
      info[id(i)] = {file_name: `${id(i)}_${c.file}`}
    })
    writeFileSync(join(dir, 'data', 'dataset_info.json'), JSON.stringify(info, null, 2))
    run = await lfdata(['check', '--dataset-dir', 'data', '--json'], {cwd: dir})
    tried.check += CASES.length
    diagnostics = run.json?.diagnostics ?? []
  }, 180_000)

  it('exits 4 with a JSON report and no stack trace', () => {
    expect(run.stderr).not.toMatch(/^\s+at /m)
    expect(run.code, run.stderr).toBe(4)
    expect(run.json, run.stdout.slice(0, 500)).toBeDefined()
  })

  CASES.forEach((c, i) => {
    if (!(c.checkError ?? (c.exit ?? 3) === 3)) return
    it(`check: ${c.name} → an error naming the file`, () => {
      const file = `${id(i)}_${c.file}`
      // LF308 (the default columns block names a column the file lacks) fires on most of the corpus; it is not about the damage.
      const errors = diagnostics.filter((d) => d.severity === 'error' && d.code !== 'LF308' && (d.file?.endsWith(file) ?? false))
      expect(errors.length, JSON.stringify(diagnostics.filter((d) => d.dataset === id(i)))).toBeGreaterThan(0)
      if ((c.where ?? 'line') === 'line' && (c.exit ?? 3) === 3) expect(errors.some((d) => typeof d.line === 'number')).toBe(true)
    })
  })

  CASES.forEach((c, i) => {
    if (!c.lfReads) return
    it(`check: ${c.name} → readable, as LF reads it`, () => {
      const file = `${id(i)}_${c.file}`
      const unreadable = diagnostics.filter((d) => /^LF30[456]$/.test(d.code) && (d.file?.endsWith(file) ?? false))
      expect(unreadable).toEqual([])
    })
  })
})
