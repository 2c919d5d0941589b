import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {tempDir} from '../io/helpers.js'
import {lfdata} from '../e2e.js'
import {csvOf, mixedRows, type Rec} from './csv-rows.js'

/**
 * The plain-row lane (src/transforms/plain-csv.ts) writes most CSV rows from their bytes; these runs check,
 * through the real CLI, that a CSV converts exactly as the same records do as JSON Lines (which always take
 * the general path), and that input the lane hands back to the CSV reader fails or skips exactly as before.
 */

describe('convert: the plain-row lane (spawned)', () => {
  it('converts a CSV exactly as the same records as JSON Lines: output bytes, counts and rejects', async () => {
    const dir = tempDir()
    const rows = mixedRows(3000, 20261206)
    writeFileSync(join(dir, 'in.csv'), csvOf(rows, '\r\n'))
    writeFileSync(join(dir, 'in.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n')
    const run = async (input: string) => {
      const r = await lfdata(['convert', join(dir, input), '-o', join(dir, `${input}.out.jsonl`), '--rejects', join(dir, `${input}.rej.jsonl`), '--json'])
      expect(r.code).toBe(0)
      return r.json as {records_in: number; records_out: number; dropped: Record<string, number>}
    }
    const [csv, jsonl] = [await run('in.csv'), await run('in.jsonl')]
    expect(csv.records_in).toBe(3000)
    expect(csv.dropped.duplicate).toBeGreaterThan(300)
    expect(csv.dropped.empty_response).toBeGreaterThan(0)
    expect(csv).toMatchObject({records_in: jsonl.records_in, records_out: jsonl.records_out, dropped: jsonl.dropped})
    expect(readFileSync(join(dir, 'in.csv.out.jsonl')).equals(readFileSync(join(dir, 'in.jsonl.out.jsonl')))).toBe(true)
    // Rejects in the same order with the same reasons and records (lines differ: CSV counts its header).
    const rejects = (name: string) => readFileSync(join(dir, name), 'utf8').trim().split('\n').map((l) => {
      const x = JSON.parse(l) as {reason: string; record: Rec}
      return [x.reason, x.record]
    })
    expect(rejects('in.csv.rej.jsonl')).toEqual(rejects('in.jsonl.rej.jsonl'))
    // A JSON array output takes the lane too.
    for (const input of ['in.csv', 'in.jsonl']) expect((await lfdata(['convert', join(dir, input), '-o', join(dir, `${input}.out.json`)])).code).toBe(0)
    expect(readFileSync(join(dir, 'in.csv.out.json')).equals(readFileSync(join(dir, 'in.jsonl.out.json')))).toBe(true)
  }, 60_000)

  it('hands a malformed row far into the file back to the CSV reader: the same one-line error, or a parse_error reject with --on-error skip', async () => {
    const dir = tempDir()
    const good = Array.from({length: 5000}, (_, i) => ({instruction: `question ${i}`, input: '', output: `答案 ${i}`}))
    const input = join(dir, 'in.csv')
    writeFileSync(input, csvOf(good.slice(0, 4000)) + 'x,y,z,w\n' + csvOf(good.slice(4000)).split('\n').slice(1).join('\n'))
    const failed = await lfdata(['convert', input, '-o', join(dir, 'out.jsonl')])
    expect(failed.code).toBe(3)
    expect(failed.stderr.split('\n').filter((l) => l.startsWith('Error:'))).toEqual([`Error: expected 3 fields, saw 4 — ${input}:4002`])
    expect(existsSync(join(dir, 'out.jsonl'))).toBe(false)

    const skipped = await lfdata(['convert', input, '-o', join(dir, 'out.jsonl'), '--on-error', 'skip', '--rejects', join(dir, 'rej.jsonl'), '--json'])
    expect(skipped.code).toBe(0)
    expect(skipped.json).toMatchObject({records_in: 5001, records_out: 5000, dropped: {parse_error: 1}})
    expect(JSON.parse(readFileSync(join(dir, 'rej.jsonl'), 'utf8'))).toMatchObject({line: 4002, reason: 'parse_error', code: 'E_CSV_FIELDS', text: 'x,y,z,w'})
  }, 60_000)

  it('names the byte offset of invalid UTF-8 after megabytes of rows the lane has written', async () => {
    const dir = tempDir()
    const head = Buffer.from(csvOf(Array.from({length: 40_000}, (_, i) => ({instruction: `问题 ${i}`, input: '', output: `answer ${i}`}))))
    const input = join(dir, 'in.csv')
    writeFileSync(input, Buffer.concat([head, Buffer.from('q,,'), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]))
    const r = await lfdata(['convert', input, '-o', join(dir, 'out.jsonl')])
    expect(head.length).toBeGreaterThan(1 << 20)
    expect(r.code).toBe(3)
    expect(r.stderr).toContain(`Error: invalid UTF-8 byte sequence — ${input} (byte ${head.length + 3})`)
    expect(existsSync(join(dir, 'out.jsonl'))).toBe(false)
  }, 60_000)

  it('leaves a row over 4 MB to the CSV reader and goes on: the same bytes as the records given as JSON Lines', async () => {
    const dir = tempDir()
    const rows = mixedRows(400, 11)
    rows.splice(200, 0, {instruction: 'long', input: '', output: '长文本 "quoted"\n'.repeat(300_000)})
    writeFileSync(join(dir, 'in.csv'), csvOf(rows))
    writeFileSync(join(dir, 'in.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n')
    for (const name of ['in.csv', 'in.jsonl']) expect((await lfdata(['convert', join(dir, name), '-o', join(dir, `${name}.out.jsonl`)])).code).toBe(0)
    expect(readFileSync(join(dir, 'in.csv.out.jsonl')).equals(readFileSync(join(dir, 'in.jsonl.out.jsonl')))).toBe(true)
  }, 60_000)

  it('reads a UTF-8 BOM, CRLF and a last line without a line end as the plain file', async () => {
    const dir = tempDir()
    const rows = mixedRows(200, 7)
    const plain = csvOf(rows)
    writeFileSync(join(dir, 'a.csv'), plain)
    writeFileSync(join(dir, 'b.csv'), '\ufeff' + csvOf(rows, '\r\n').replace(/\r\n$/, ''))
    for (const name of ['a', 'b']) expect((await lfdata(['convert', join(dir, `${name}.csv`), '-o', join(dir, `${name}.jsonl`)])).code).toBe(0)
    expect(readFileSync(join(dir, 'b.jsonl')).equals(readFileSync(join(dir, 'a.jsonl')))).toBe(true)
  }, 60_000)
})
