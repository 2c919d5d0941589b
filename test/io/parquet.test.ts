import {readFileSync, readdirSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {DuckDBInstance, type DuckDBConnection} from '@duckdb/node-api'
import {beforeAll, describe, expect, it} from 'vitest'

import {readParquet} from '../../src/io/parquet.js'
import type {Row} from '../../src/io/types.js'
import {collect, tempDir} from './helpers.js'

const FIXTURES = join(import.meta.dirname, '../../fixtures/io')
const json = (rows: Row[]) => rows.map((r) => JSON.parse(JSON.stringify(r.record)) as unknown)
const jsonl = (path: string) => readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown)

let dir: string
let db: DuckDBConnection
// Chat records as the Hub has them: a messages list of structs (some with a system turn, one empty), CJK
// text, quotes and newlines, a nullable column.
const records = Array.from({length: 5000}, (_, i) => ({
  id: i,
  messages: i === 7 ? [] : [
    ...(i % 4 === 0 ? [{role: 'system', content: `规则 ${i}`}] : []),
    {role: 'user', content: `问题 ${i}: "why"\nline two`},
    {role: 'assistant', content: 'answer '.repeat(i % 30) + i},
  ],
  source: i % 3 === 0 ? null : `set-${i % 5}`,
}))

beforeAll(async () => {
  dir = tempDir()
  writeFileSync(join(dir, 'chats.jsonl'), records.map((r) => JSON.stringify(r)).join('\n') + '\n')
  db = await (await DuckDBInstance.create(':memory:')).connect()
  const select = `SELECT * FROM read_json('${join(dir, 'chats.jsonl')}', columns = {id: 'BIGINT', messages: 'STRUCT(role VARCHAR, content VARCHAR)[]', source: 'VARCHAR'}) ORDER BY id`
  for (const codec of ['zstd', 'snappy', 'gzip']) {
    await db.run(`COPY (${select}) TO '${join(dir, `${codec}.parquet`)}' (FORMAT parquet, ROW_GROUP_SIZE 2048, COMPRESSION ${codec})`)
  }
})

describe('readParquet on DuckDB files', () => {
  it('has 3 row groups to stream through', async () => {
    const groups = await db.runAndReadAll(`SELECT DISTINCT row_group_id FROM parquet_metadata('${join(dir, 'zstd.parquet')}')`)
    expect(groups.getRows()).toHaveLength(3)
  })

  it.each(['zstd', 'snappy', 'gzip'])('reads a %s file to the same records as the JSONL, in order', async (codec) => {
    const rows = await collect(readParquet(join(dir, `${codec}.parquet`)))
    expect(json(rows)).toEqual(records)
    expect(rows.map((r) => r.line)).toEqual(records.map((_, i) => i + 1))
    expect(rows.every((r) => r.source === join(dir, `${codec}.parquet`))).toBe(true)
  })

  it('keeps a __proto__ column as data in null-prototype records', async () => {
    const path = join(dir, 'proto.parquet')
    await db.run(`COPY (SELECT 'x' AS "__proto__", {'__proto__': 1, 'b': 2} AS s) TO '${path}' (FORMAT parquet)`)
    const [row] = await collect(readParquet(path))
    expect(Object.getPrototypeOf(row!.record)).toBeNull()
    expect(Object.keys(row!.record)).toEqual(['__proto__', 's'])
    expect(row!.record['__proto__']).toBe('x')
    expect(({} as Record<string, unknown>).s).toBeUndefined()
  })

  it('keeps a column whose name has a dot apart from a struct of the same prefix', async () => {
    const path = join(dir, 'dotted.parquet')
    await db.run(`COPY (SELECT {'b': 1} AS a, 2 AS "a.b", [{'c': 3}] AS "a.c") TO '${path}' (FORMAT parquet)`)
    expect(json(await collect(readParquet(path)))).toEqual([{a: {b: 1}, 'a.b': 2, 'a.c': [{c: 3}]}])
  })

  it('gives dates and timestamps as ISO 8601, big integers as strings, bytes as base64', async () => {
    const path = join(dir, 'types.parquet')
    await db.run(`COPY (SELECT DATE '2024-02-29' AS d, TIMESTAMP '2024-01-02 03:04:05.678901' AS ts, TIMESTAMP_NS '1969-12-31 23:59:59.9999' AS ns,
      9007199254740993::BIGINT AS big, 42::UBIGINT AS small, '\\x00\\xFF'::BLOB AS bytes, 12.345::DECIMAL(10,3) AS dec, [DATE '2000-01-01'] AS days) TO '${path}' (FORMAT parquet)`)
    const [row] = await collect(readParquet(path))
    expect(json([row!])).toEqual([{
      d: '2024-02-29', ts: '2024-01-02T03:04:05.678Z', ns: '1969-12-31T23:59:59.999Z',
      big: '9007199254740993', small: 42, bytes: 'AP8=', dec: 12.345, days: ['2000-01-01'],
    }])
  })
})

describe('readParquet on pyarrow and datasets files', () => {
  const expected = () => jsonl(join(FIXTURES, 'nested.expected.jsonl'))
  const files = ['nested-v1-snappy', 'nested-v2-zstd', 'nested-gzip', 'nested-brotli', 'nested-lz4']

  // 256-byte pages, 3 row groups, nulls at every nesting level, maps, decimals, pre-1970 instants, uint64.
  it.each(files)('reads %s.parquet like pyarrow does', async (name) => {
    expect(json(await collect(readParquet(join(FIXTURES, `${name}.parquet`))))).toEqual(expected())
  })

  it.each([1, 3])('gives the same rows when assembling %i rows at a time (windows cut pages anywhere)', async (window) => {
    for (const name of files.slice(0, 2)) {
      expect(json(await collect(readParquet(join(FIXTURES, `${name}.parquet`), {}, {window})))).toEqual(expected())
    }
  })

  it('reads what datasets.Dataset.to_parquet writes', async () => {
    expect(json(await collect(readParquet(join(FIXTURES, 'hf-chats.parquet'))))).toEqual(jsonl(join(FIXTURES, 'hf-chats.expected.jsonl')))
  })

  it('reports the compressed bytes it reads, which add up to about the file', async () => {
    let bytes = 0
    const path = join(FIXTURES, 'nested-v1-snappy.parquet')
    await collect(readParquet(path, {onBytes: (n) => (bytes += n)}))
    const size = statSync(path).size
    expect(bytes).toBeGreaterThan(size * 0.6)
    expect(bytes).toBeLessThanOrEqual(size)
  })

  it('closes the file when the consumer stops early', async () => {
    const open = () => readdirSync('/proc/self/fd').length
    const before = open()
    for await (const row of readParquet(join(FIXTURES, 'nested-v1-snappy.parquet'))) {
      expect(row.line).toBe(1)
      break
    }
    expect(open()).toBe(before)
  })
})

describe('readParquet on bad input', () => {
  const bad = async (bytes: Uint8Array | string, name = 'bad.parquet') => {
    const path = join(dir, name)
    writeFileSync(path, bytes)
    const error = await collect(readParquet(path)).then(() => undefined, (e: unknown) => e)
    expect(error).toMatchObject({exit: 3})
    const {code, message} = error as {code: string; message: string}
    expect(message).not.toContain('\n')
    expect(message).toContain(path)
    return {code, message}
  }
  const good = () => readFileSync(join(dir, 'zstd.parquet'))

  it('names a truncated file', async () => {
    const cut = good().subarray(0, good().length >> 1)
    expect(await bad(cut)).toEqual({code: 'E_PARQUET_CORRUPT', message: expect.stringContaining('truncated Parquet file')})
  })

  it('names a file with the wrong magic bytes, or no Parquet at all', async () => {
    const magic = Buffer.concat([Buffer.from('NOPE'), good().subarray(4, -4), Buffer.from('NOPE')])
    expect(await bad(magic)).toMatchObject({code: 'E_PARQUET_CORRUPT', message: expect.stringContaining('not a Parquet file')})
    expect(await bad('id,text\n1,hello\n')).toMatchObject({code: 'E_PARQUET_CORRUPT'})
    expect(await bad('PAR1')).toMatchObject({code: 'E_PARQUET_CORRUPT'})
  })

  it('names the column and row group when a page cannot be decoded', async () => {
    // Zero the data pages but keep the footer: metadata reads, the first column chunk does not.
    const bytes = Buffer.from(good())
    const footer = bytes.readUInt32LE(bytes.length - 8) + 8
    bytes.fill(0, 4, bytes.length - footer)
    const {code, message} = await bad(bytes)
    expect(code).toBe('E_PARQUET_CORRUPT')
    expect(message).toMatch(/cannot decode column \S+ in row group 1 of 3 \(rows 1–2048\)/)
  })

  it('calls unsupported types unsupported, not corrupt', async () => {
    const path = join(dir, 'interval.parquet')
    await db.run(`COPY (SELECT INTERVAL 1 DAY AS span) TO '${path}' (FORMAT parquet)`)
    await expect(collect(readParquet(path))).rejects.toMatchObject({code: 'E_PARQUET_UNSUPPORTED', exit: 3})
  })
})
