import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import type {InputError} from '../../src/errors.js'
import {readCsv} from '../../src/io/csv.js'
import type {RawRecord} from '../../src/io/types.js'
import {fingerprinter, type Fingerprint} from '../../src/transforms/exact-dedup.js'
import {contentFilters} from '../../src/transforms/filters.js'
import {lfRules} from '../../src/transforms/lf-rules.js'
import {resolveMapping} from '../../src/transforms/mapping.js'
import {DEFAULT_NORMALIZE, makeNormalizer} from '../../src/transforms/normalize.js'
import {EncodedBatch, plainCodePoints} from '../../src/transforms/plain-csv.js'
import {plainCsvRows} from '../../src/transforms/plain-csv-read.js'
import {toExample} from '../../src/transforms/to-example.js'
import {outputLayout, toOutput} from '../../src/transforms/to-output.js'
import {tempDir} from '../io/helpers.js'

const SEED = Number(process.env.LFDATA_SEED ?? 2612)

/**
 * Pieces that hit every class the lane tells apart: plain ASCII, JSON escapes, whitespace that trim() removes
 * at an edge, controls and CR that normalisation removes or folds, text NFC changes (a decomposed é, a
 * compatibility ideograph, a kana with a combining mark, Å as U+212B), CJK, Hangul, emoji, and the delimiter.
 */
const piece = fc.constantFrom(
  'a', 'Zq', ' ', '\t', '\n', '\r\n', '\r', '"', '\\', ',', ';', '中', '文字', '한국', '🎉', 'e\u0301', 'é', '\u00a0', '\u3000',
  '\u0007', '\u007f', '\u0085', '\uf900', '\u212b', '\u200b', 'x y', '，', '…', 'ｱ', 'か\u3099', '\ufeff', '𠀀',
)
const field = fc.array(piece, {maxLength: 5}).map((p) => p.join(''))
/** Mostly clean fields, so long runs of rows take the lane between the odd ones. */
const cleanField = fc.oneof({weight: 4, arbitrary: fc.constantFrom('What is 2+2?', '四加四等于几？', 'answer: 4', '数据 "quoted"', 'tab\there', 'two\nlines', 'back\\slash', '')}, {weight: 3, arbitrary: field})

/** A cell as a CSV writer would put it: quoted when it must be (or at random), else as it is. */
const cell = fc.record({text: cleanField, quote: fc.boolean()}).map(({text, quote}) =>
  quote || /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text)

/** Rows of 3 cells mostly; short rows, long rows (an error) and blank lines now and then. */
const line = fc.oneof(
  {weight: 12, arbitrary: fc.tuple(cell, cell, cell).map((c) => c.join(','))},
  {weight: 1, arbitrary: fc.tuple(cell, cell).map((c) => c.join(','))},
  {weight: 1, arbitrary: fc.constant('')},
  {weight: 1, arbitrary: fc.tuple(cell, cell, cell, cell).map((c) => c.join(','))},
  {weight: 1, arbitrary: fc.constantFrom('a"b,c,d', '"a"x,b,c', '"unterminated,b,c')},
)

const file = fc.record({
  lines: fc.array(line, {minLength: 1, maxLength: 30}),
  dup: fc.nat(29),
  crlf: fc.boolean(),
  bom: fc.boolean(),
  lastEol: fc.boolean(),
})

type Seen = {line: number; record: RawRecord; json?: string; fp?: Fingerprint}

async function rowsOf(source: AsyncIterable<unknown>): Promise<{rows: Seen[]; error?: string}> {
  const rows: Seen[] = []
  try {
    for await (const r of source) {
      if (r instanceof EncodedBatch) {
        for (let i = 0; i < r.size; i++) rows.push({line: r.line(i), record: r.row(i).record, json: r.lineBytes(i, i + 1).toString('utf8'), fp: r.fingerprint(i)})
      } else {
        const row = r as {line: number; record: RawRecord}
        rows.push({line: row.line, record: row.record})
      }
    }
  } catch (error) {
    const e = error as InputError
    return {rows, error: `${e.code}: ${e.message} at ${JSON.stringify(e.location)}`}
  }
  return {rows}
}

describe('plain-row lane = readCsv + the general path (property)', () => {
  it('gives readCsv\'s rows, errors and skips, and for each row it encodes the general path\'s JSON line and fingerprint', async () => {
    console.log(`plain-csv lane property seed ${SEED} (LFDATA_SEED to replay)`)
    const fingerprints = await fingerprinter()
    const mapping = resolveMapping(['instruction', 'input', 'output'], {}, 'x.csv')
    const layout = outputLayout(mapping, undefined, false)
    const drop = () => {}
    const steps = [toExample({mapping, normalize: makeNormalizer(DEFAULT_NORMALIZE)}, drop), contentFilters({dropEmpty: true}, drop)] as const
    const toRecord = toOutput(layout, drop)
    const rules = lfRules(layout, 'out.jsonl', drop)
    const dir = tempDir()
    let encoded = 0
    await fc.assert(fc.asyncProperty(file, fc.boolean(), async (f, skip) => {
      const eol = f.crlf ? '\r\n' : '\n'
      const lines = [...f.lines]
      lines.splice(f.dup % (lines.length + 1), 0, ...lines.slice(0, 2)) // repeated rows: duplicates for dedup
      const text = (f.bom ? '\ufeff' : '') + 'instruction,input,output' + eol + lines.join(eol) + (f.lastEol ? eol : '')
      const path = join(dir, 'x.csv')
      writeFileSync(path, text)
      const errorsA: string[] = []
      const errorsB: string[] = []
      const read = (into: string[]) => ({refuseDuplicateHeaders: true, onError: skip ? (e: InputError, t: string) => void into.push(`${e.code} ${e.location?.line}: ${t}`) : undefined})
      const lane = await rowsOf(plainCsvRows(path, {read: read(errorsA), columns: {instruction: 'instruction', input: 'input', output: 'output'}, fingerprints}))
      const general = await rowsOf(readCsv(path, read(errorsB)))
      expect(lane.error).toBe(general.error)
      expect(errorsA).toEqual(errorsB)
      expect(lane.rows.map(({line, record}) => ({line, record: {...record}}))).toEqual(general.rows.map(({line, record}) => ({line, record: {...record}})))
      for (const row of lane.rows) {
        if (row.json === undefined) continue
        encoded++
        // An encoded row is one the general path keeps, written and fingerprinted the same way.
        const item = steps[1](steps[0]({record: row.record, source: path, line: row.line})!)
        const out = item && toRecord(item)
        expect(out && rules(out)).toBeTruthy()
        expect(row.json).toBe(JSON.stringify(out!.record) + '\n')
        expect(row.fp).toEqual(fingerprints.ofExample(out!.example))
      }
    }), {seed: SEED, numRuns: 300})
    // The generator must exercise the lane itself, not only its fallbacks.
    expect(encoded).toBeGreaterThan(300)
  })

  it('fails exactly as readCsv on bytes that are not UTF-8 or hold a NUL, wherever they are (the file\'s byte offset)', async () => {
    const fingerprints = await fingerprinter()
    const dir = tempDir()
    await fc.assert(fc.asyncProperty(file, fc.nat(), fc.constantFrom([0xff], [0x00], [0xe4, 0xb8], [0xc3, 0x28], [0xed, 0xa0, 0x80]), async (f, at, bad) => {
      const text = 'instruction,input,output\n' + f.lines.join(f.crlf ? '\r\n' : '\n') + '\n'
      const bytes = Buffer.from(text, 'utf8')
      const cut = 25 + (at % Math.max(1, bytes.length - 25)) // somewhere after the header
      const path = join(dir, 'x.csv')
      writeFileSync(path, Buffer.concat([bytes.subarray(0, cut), Buffer.from(bad), bytes.subarray(cut)]))
      const lane = await rowsOf(plainCsvRows(path, {read: {refuseDuplicateHeaders: true}, columns: {instruction: 'instruction', input: 'input', output: 'output'}, fingerprints}))
      const general = await rowsOf(readCsv(path, {refuseDuplicateHeaders: true}))
      expect(lane.error).toBe(general.error)
      expect(lane.rows.map(({line, record}) => ({line, record: {...record}}))).toEqual(general.rows.map(({line, record}) => ({line, record: {...record}})))
    }), {seed: SEED, numRuns: 200})
  })

  it('writes from bytes only characters NFC and trim() leave alone', () => {
    const nfcChanges: number[] = []
    for (const cp of plainCodePoints()) {
      const c = String.fromCodePoint(cp)
      if (c.normalize('NFC') !== c) nfcChanges.push(cp)
      // A plain character never combines with the one before it (a composition's second half).
      if (('a' + c).normalize('NFC') !== 'a' + c || ('\u3042' + c).normalize('NFC') !== '\u3042' + c) nfcChanges.push(cp)
    }
    expect(nfcChanges).toEqual([])
    const all = [...plainCodePoints()]
    fc.assert(fc.property(fc.array(fc.constantFrom(...all), {minLength: 1, maxLength: 12}), (cps) => {
      const s = String.fromCodePoint(...cps)
      expect(s.normalize('NFC')).toBe(s)
    }), {seed: SEED, numRuns: 2000})
  })
})
