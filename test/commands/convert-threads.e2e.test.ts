import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {tempDir} from '../io/helpers.js'
import {lfdata} from '../e2e.js'
import {seededRandom, TEST_SEED} from '../seed.js'
import {csvOf, mixedRows} from './csv-rows.js'

/**
 * convert --jobs N on a CSV → Alpaca run reads the plain-row lane on N worker threads (src/transforms/
 * plain-csv-read.ts). LFDATA_LANE_CHUNK makes the chunks a few hundred bytes, so these small files cross
 * dozens of chunk boundaries: at quoted multi-line cells, CRLF, duplicates of rows in other chunks, rows the
 * lane leaves to the general path. Every run must equal --jobs 1 byte for byte: output, rejects, counts, errors.
 */

const convert = (dir: string, input: string, name: string, jobs: number, chunk: number, extra: string[] = []) =>
  lfdata(['convert', join(dir, input), '-o', join(dir, `${name}.jsonl`), '--rejects', join(dir, `${name}.rej.jsonl`), '--jobs', String(jobs), '--json', ...extra], {env: {LFDATA_LANE_CHUNK: String(chunk)}})

const bytes = (dir: string, name: string) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name)) : undefined)

/** Runs --jobs 1 and --jobs `jobs` and expects the same exit, result, output, rejects and error. */
async function expectSameAsOneThread(dir: string, input: string, jobs: number, chunk: number, why: string, extra: string[] = []): Promise<{code: number; stderr: string}> {
  const one = await convert(dir, input, 'one', 1, chunk, extra)
  const many = await convert(dir, input, 'many', jobs, chunk, extra)
  expect(many.code, why).toBe(one.code)
  const errors = (s: string) => s.split('\n').filter((l) => l.startsWith('Error:') || l.includes('"error"'))
  expect(errors(many.stderr + many.stdout), why).toEqual(errors(one.stderr + one.stdout))
  const {seconds: _a, output: _o1, rejects: _r1, manifest: _m1, ...a} = (one.json ?? {}) as unknown as Record<string, unknown>
  const {seconds: _b, output: _o2, rejects: _r2, manifest: _m2, ...b} = (many.json ?? {}) as unknown as Record<string, unknown>
  expect(b, why).toEqual(a)
  expect(bytes(dir, 'many.jsonl')?.equals(bytes(dir, 'one.jsonl')!) ?? bytes(dir, 'one.jsonl') === undefined, `${why}: output`).toBe(true)
  expect(bytes(dir, 'many.rej.jsonl')?.equals(bytes(dir, 'one.rej.jsonl')!) ?? bytes(dir, 'one.rej.jsonl') === undefined, `${why}: rejects`).toBe(true)
  return one
}

describe('convert --jobs: the plain-row lane on worker threads (spawned)', () => {
  it(`gives --jobs 1's bytes for random CSVs cut into many chunks (seed ${TEST_SEED})`, async () => {
    const random = seededRandom(TEST_SEED)
    for (let round = 0; round < 4; round++) {
      const dir = tempDir()
      const seed = Math.floor(random() * 2 ** 31)
      const rows = mixedRows(600 + Math.floor(random() * 600), seed)
      const eol = random() < 0.5 ? '\n' : '\r\n'
      writeFileSync(join(dir, 'in.csv'), csvOf(rows, eol))
      const chunk = 200 + Math.floor(random() * 2000)
      const jobs = 2 + Math.floor(random() * 3)
      const why = `seed ${TEST_SEED}, round ${round}: rows seed ${seed}, chunk ${chunk} bytes, --jobs ${jobs}`
      const one = await expectSameAsOneThread(dir, 'in.csv', jobs, chunk, why)
      expect(one.code, why).toBe(0)
      // The file did cross many chunks, and held duplicates to drop across them.
      expect(readFileSync(join(dir, 'in.csv')).length / chunk, why).toBeGreaterThan(10)
      expect(readFileSync(join(dir, 'one.rej.jsonl'), 'utf8'), why).toContain('"reason":"duplicate"')
    }
  }, 120_000)

  it('fails on a malformed row in a later chunk exactly as one thread does, and skips it the same with --on-error skip', async () => {
    const dir = tempDir()
    const good = Array.from({length: 3000}, (_, i) => ({instruction: `question ${i}`, input: '', output: `答案 ${i}`}))
    const input = join(dir, 'in.csv')
    writeFileSync(input, csvOf(good.slice(0, 2000)) + 'x,y,z,w\n' + csvOf(good.slice(2000)).split('\n').slice(1).join('\n'))
    const failed = await expectSameAsOneThread(dir, 'in.csv', 2, 1000, 'a row with too many cells')
    expect(failed.code).toBe(3)
    expect(failed.stderr).toContain(`Error: expected 3 fields, saw 4 — ${input}:2002`)
    expect(existsSync(join(dir, 'many.jsonl'))).toBe(false)
    const skipped = await expectSameAsOneThread(dir, 'in.csv', 2, 1000, 'the same row, skipped', ['--on-error', 'skip'])
    expect(skipped.code).toBe(0)
    expect(readFileSync(join(dir, 'many.rej.jsonl'), 'utf8')).toContain('"code":"E_CSV_FIELDS"')
  }, 60_000)

  it('names the byte offset of invalid UTF-8 in a later chunk, and of a NUL', async () => {
    const dir = tempDir()
    const head = Buffer.from(csvOf(Array.from({length: 3000}, (_, i) => ({instruction: `问题 ${i}`, input: '', output: `answer ${i}`}))))
    const tail = Buffer.from(csvOf(Array.from({length: 500}, (_, i) => ({instruction: `more ${i}`, input: '', output: `rows ${i}`}))).split('\n').slice(1).join('\n'))
    const input = join(dir, 'in.csv')
    writeFileSync(input, Buffer.concat([head, Buffer.from('q,,'), Buffer.from([0xc3, 0x28]), Buffer.from('\n'), tail]))
    const bad = await expectSameAsOneThread(dir, 'in.csv', 3, 4096, 'invalid UTF-8')
    expect(bad.code).toBe(3)
    expect(bad.stderr).toContain(`Error: invalid UTF-8 byte sequence — ${input} (byte ${head.length + 3})`)
    writeFileSync(input, Buffer.concat([head, Buffer.from('q,,a\u0000b\n'), tail]))
    expect((await expectSameAsOneThread(dir, 'in.csv', 3, 4096, 'a NUL')).code).toBe(3)
  }, 60_000)

  it('reads on with the CSV reader from a quote the lane does not read, and from a stray quote that never closes', async () => {
    const dir = tempDir()
    const rows = mixedRows(1500, 5)
    const csv = csvOf(rows)
    const lines = csv.split('\n')
    const at = Math.floor(lines.length / 3)
    // A quote inside an unquoted cell: papaparse keeps it as a character; the lane leaves such rows (and the rest) to it.
    writeFileSync(join(dir, 'mid.csv'), [...lines.slice(0, at), 'say "hi" twice,,ok', ...lines.slice(at)].join('\n'))
    expect((await expectSameAsOneThread(dir, 'mid.csv', 2, 700, 'a quote inside a cell')).code).toBe(0)
    // A quote that opens a cell and never closes: the boundary scan runs away; the CSV reader reports the row.
    writeFileSync(join(dir, 'open.csv'), [...lines.slice(0, at), '"never closed,,x', ...lines.slice(at)].join('\n'))
    const open = await expectSameAsOneThread(dir, 'open.csv', 2, 700, 'a quote that never closes')
    expect(open.code).toBe(3)
  }, 60_000)

  it('starts its own workers where bin/run.js guessed none (an input not named .csv), with the same bytes', async () => {
    // bin/run.js starts lane workers early only for a .csv/.tsv argument (src/warm-start.ts); here the pool
    // starts them, and a run that takes no threads drops the early ones and exits.
    const dir = tempDir()
    writeFileSync(join(dir, 'in.data'), csvOf(mixedRows(1500, 11)))
    writeFileSync(join(dir, 'in.csv'), readFileSync(join(dir, 'in.data')))
    expect((await expectSameAsOneThread(dir, 'in.data', 3, 900, 'no warm start', ['--input-format', 'csv'])).code).toBe(0)
    const unused = await lfdata(['convert', join(dir, 'in.csv'), '-o', join(dir, 'sharegpt.jsonl'), '--to', 'sharegpt', '--jobs', '2'])
    expect(unused.code, unused.stderr).toBe(0)
    expect(readFileSync(join(dir, 'sharegpt.jsonl'), 'utf8')).toContain('"conversations"')
  }, 60_000)

  it('reads a shard\'s byte range on threads too: the same part and log as one thread', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'in.csv'), csvOf(mixedRows(2000, 3)))
    const parts = []
    for (const jobs of [1, 3]) {
      const out = join(dir, `out-${jobs}`)
      const r = await lfdata(['convert', join(dir, 'in.csv'), '-o', out, '--shard', '1/2', '--jobs', String(jobs), '--rejects', join(dir, `rej-${jobs}.jsonl`)], {env: {LFDATA_LANE_CHUNK: '900'}})
      expect(r.code, r.stderr).toBe(0)
      parts.push([readFileSync(join(out, 'part-1-of-2.jsonl')), readFileSync(join(out, '.lfdata-shard', 'part-1-of-2.log.jsonl'))])
    }
    expect(parts[1]![0]!.equals(parts[0]![0]!)).toBe(true)
    expect(parts[1]![1]!.equals(parts[0]![1]!)).toBe(true)
    expect(parts[0]![0]!.length).toBeGreaterThan(20 * 900)
  }, 60_000)

  it('grows a chunk\'s buffer for a row longer than its slack, and leaves a row past the runaway bound to the CSV reader', async () => {
    const dir = tempDir()
    const rows = mixedRows(3000, 9)
    // 100 KB chunks read into 164 KB buffers; the scan gives up past 800 KB without a row start.
    rows.splice(900, 0, {instruction: 'long', input: '', output: '长 "x"\n'.repeat(40_000)}) // ~320 KB: the buffer grows
    rows.splice(2000, 0, {instruction: 'longer', input: '', output: 'y'.repeat(1_200_000)}) // past 800 KB: the rest is readCsv's
    writeFileSync(join(dir, 'in.csv'), csvOf(rows))
    expect((await expectSameAsOneThread(dir, 'in.csv', 2, 100_000, 'long rows')).code).toBe(0)
  }, 60_000)
})
