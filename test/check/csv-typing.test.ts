import {describe, expect, it} from 'vitest'

import {pandasRows, PANDAS_NA, type CsvSchema, type TypedRow} from '../../src/check/csv-typing.js'
import type {Row} from '../../src/io/types.js'

async function* rowsOf(records: Record<string, string>[]): AsyncGenerator<Row> {
  for (const [i, record] of records.entries()) {
    await new Promise((r) => setImmediate(r)) // cross real async ticks
    yield {record, source: 'x.csv', line: i + 2}
  }
}

async function typed(records: Record<string, string>[], chunkSize = 10_000, schema: CsvSchema = {}): Promise<TypedRow[]> {
  const out: TypedRow[] = []
  for await (const row of pandasRows(schema, chunkSize)(rowsOf(records))) out.push(row)
  return out
}

describe('pandasRows: what LF gets from a CSV file', () => {
  it('turns pandas\' default NA strings into null and notes the non-empty ones', async () => {
    expect(PANDAS_NA.size).toBe(19)
    const rows = await typed([...PANDAS_NA].map((na) => ({q: 'text', a: na})))
    expect(rows.every((r) => r.typed.a === null)).toBe(true)
    expect(rows.flatMap((r) => r.notes).map((n) => n.type === 'na' && n.cell)).toEqual([...PANDAS_NA].filter((na) => na !== ''))
    expect(rows[0]!.typed.q).toBe('text')
  })

  it('does not treat near-misses as NA ("none", " NA", "NaN " stay text)', async () => {
    const rows = await typed([{a: 'none'}, {a: ' NA'}, {a: 'NaN '}, {a: 'x'}])
    expect(rows.map((r) => r.typed.a)).toEqual(['none', ' NA', 'NaN ', 'x'])
  })

  it('reads a column of numbers as numbers (NA cells stay null) and a mixed column as text', async () => {
    const rows = await typed([{n: '1', m: '1', f: '1e3'}, {n: '2.5', m: 'two', f: '-inf'}, {n: '', m: '3', f: '.5'}])
    expect(rows.map((r) => r.typed.n)).toEqual([1, 2.5, null])
    expect(rows.map((r) => r.typed.m)).toEqual(['1', 'two', '3'])
    expect(rows.map((r) => r.typed.f)).toEqual([1000, -Infinity, 0.5])
  })

  it('reads True/False columns as booleans', async () => {
    const rows = await typed([{k: 'True'}, {k: 'false'}, {k: 'NA'}])
    expect(rows.map((r) => r.typed.k)).toEqual([true, false, null])
  })

  it('types each chunk on its own and casts it to the first chunk\'s types', async () => {
    // chunk 1: text → later numbers become text; chunk 1: numbers → later text fails the cast (noted once per column)
    const rows = await typed([{t: 'a', n: '1'}, {t: 'b', n: '2'}, {t: '3', n: 'x'}, {t: '4', n: 'y'}, {t: '5', n: '6'}], 2)
    expect(rows.map((r) => r.typed.t)).toEqual(['a', 'b', '3', '4', '5'])
    expect(rows.map((r) => r.typed.n)).toEqual([1, 2, 'x', 'y', 6])
    const casts = rows.flatMap((r) => r.notes.filter((n) => n.type === 'cast').map((n) => [r.line, n]))
    expect(casts).toEqual([[4, {type: 'cast', column: 'n', schema: 'number', chunk: 'string', cell: 'x'}]])
  })

  it('shares the schema across files of one dataset', async () => {
    const schema: CsvSchema = {}
    await typed([{n: ''}], 10, schema) // an all-empty column is float NaN to pandas
    const rows = await typed([{n: 'text'}], 10, schema)
    expect(rows[0]!.notes).toEqual([{type: 'cast', column: 'n', schema: 'number', chunk: 'string', cell: 'text'}])
  })

  it('handles empty input and rejects a chunk size below 1 at wiring time', async () => {
    expect(await typed([])).toEqual([])
    expect(() => pandasRows({}, 0)).toThrow(RangeError)
  })
})
