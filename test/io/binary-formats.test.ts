import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {DuckDBInstance} from '@duckdb/node-api'
import {tableFromArrays, tableToIPC} from 'apache-arrow'
import {beforeAll, describe, expect, it} from 'vitest'

import {readRows} from '../../src/io/read.js'
import {lfdata} from '../e2e.js'
import {collect, tempDir} from './helpers.js'

const plain = (rows: {record: Record<string, unknown>}[]) => rows.map((r) => JSON.parse(JSON.stringify(r.record)) as unknown)
let dir: string
const records = Array.from({length: 5000}, (_, i) => ({
  id: i,
  messages: [{role: 'user', content: `问题 ${i} — question ${i}`}, {role: 'assistant', content: `answer ${i}`}],
  ok: i % 3 === 0,
}))

beforeAll(async () => {
  dir = tempDir()
  writeFileSync(join(dir, 'd.jsonl'), records.map((r) => JSON.stringify(r)).join('\n') + '\n')
  const db = await DuckDBInstance.create(':memory:')
  const c = await db.connect()
  for (const codec of ['zstd', 'snappy', 'gzip']) {
    await c.run(`COPY (SELECT * FROM read_json('${join(dir, 'd.jsonl')}') ORDER BY id) TO '${join(dir, `d.${codec}.parquet`)}' (FORMAT parquet, ROW_GROUP_SIZE 2048, COMPRESSION ${codec})`)
  }
  const groups = await c.runAndReadAll(`SELECT DISTINCT row_group_id FROM parquet_metadata('${join(dir, 'd.zstd.parquet')}')`)
  expect(groups.getRows().length).toBe(3)
})

describe('Parquet reader', () => {
  it.each(['zstd', 'snappy', 'gzip'])('reads a DuckDB-written %s file with 3 row groups to the same records as the JSONL', async (codec) => {
    const rows = await collect(readRows(join(dir, `d.${codec}.parquet`)))
    expect(plain(rows)).toEqual(records)
    expect(rows.at(-1)!.line).toBe(5000)
  })

  it('converts to the same JSONL as the JSONL input, byte for byte', async () => {
    const a = await lfdata(['convert', join(dir, 'd.zstd.parquet'), '-o', join(dir, 'from-parquet.jsonl')])
    const b = await lfdata(['convert', join(dir, 'd.jsonl'), '-o', join(dir, 'from-jsonl.jsonl')])
    expect(a.code, a.stderr).toBe(0)
    expect(b.code, b.stderr).toBe(0)
    expect(readFileSync(join(dir, 'from-parquet.jsonl'))).toEqual(readFileSync(join(dir, 'from-jsonl.jsonl')))
  })

  it('gives a one-line InputError for truncated files and wrong magic bytes', async () => {
    const good = readFileSync(join(dir, 'd.zstd.parquet'))
    writeFileSync(join(dir, 'cut.parquet'), good.subarray(0, good.length / 2))
    writeFileSync(join(dir, 'magic.parquet'), Buffer.concat([Buffer.from('NOPE'), good.subarray(4, good.length - 4), Buffer.from('NOPE')]))
    for (const f of ['cut.parquet', 'magic.parquet']) {
      await expect(collect(readRows(join(dir, f)))).rejects.toMatchObject({code: 'E_PARQUET_CORRUPT', exit: 3})
      const r = await lfdata(['convert', join(dir, f), '-o', join(dir, 'x.jsonl')])
      expect(r.code).toBe(3)
      expect(r.stderr).not.toContain('    at ')
    }
  })
})

describe('Arrow IPC', () => {
  const table = () => tableFromArrays({instruction: ['a', 'b', 'c'], output: ['x', 'y', 'z'], n: Int32Array.from([1, 2, 3])})

  it.each(['stream', 'file'] as const)('reads the %s format batch by batch', async (format) => {
    const path = join(dir, `t.${format}.arrow`)
    writeFileSync(path, tableToIPC(table(), format))
    expect(plain(await collect(readRows(path)))).toEqual([{instruction: 'a', output: 'x', n: 1}, {instruction: 'b', output: 'y', n: 2}, {instruction: 'c', output: 'z', n: 3}])
  })

  it('reads a datasets.save_to_disk folder in state.json order', async () => {
    const hf = join(dir, 'hf')
    const {mkdirSync} = await import('node:fs')
    mkdirSync(hf)
    writeFileSync(join(hf, 'data-00001-of-00002.arrow'), tableToIPC(tableFromArrays({text: ['second']}), 'stream'))
    writeFileSync(join(hf, 'data-00000-of-00002.arrow'), tableToIPC(tableFromArrays({text: ['first']}), 'stream'))
    writeFileSync(join(hf, 'state.json'), JSON.stringify({_data_files: [{filename: 'data-00000-of-00002.arrow'}, {filename: 'data-00001-of-00002.arrow'}]}))
    writeFileSync(join(hf, 'dataset_info.json'), '{}')
    const r = await lfdata(['convert', hf, '-o', join(dir, 'hf.jsonl'), '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(readFileSync(join(dir, 'hf.jsonl'), 'utf8')).toBe('{"text":"first"}\n{"text":"second"}\n')
  })

  it('-o out.arrow round-trips with one type per column (ShareGPT with list<struct>)', async () => {
    const chats = join(dir, 'chats.jsonl')
    writeFileSync(chats, Array.from({length: 5000}, (_, i) => JSON.stringify({messages: [{role: 'system', content: i % 2 ? 'S' : ''}, {role: 'user', content: `q${i}`}, {role: 'assistant', content: `a${i}`}]})).join('\n') + '\n')
    const a = await lfdata(['convert', chats, '-o', join(dir, 'out.arrow')])
    const j = await lfdata(['convert', chats, '-o', join(dir, 'out.jsonl')])
    expect(a.code, a.stderr).toBe(0)
    expect(j.code, j.stderr).toBe(0)
    const back = plain(await collect(readRows(join(dir, 'out.arrow'))))
    const expected = readFileSync(join(dir, 'out.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown)
    expect(back).toEqual(expected)
    const {tableFromIPC} = await import('apache-arrow')
    const t = tableFromIPC(readFileSync(join(dir, 'out.arrow')))
    expect(t.schema.fields.map((f) => `${f.name}: ${f.type}`)).toEqual(['conversations: List<Struct<{from:Utf8, value:Utf8}>>', 'system: Utf8'])
  })

  it('gives a one-line InputError for a corrupt Arrow file', async () => {
    writeFileSync(join(dir, 'bad.arrow'), 'definitely not arrow')
    await expect(collect(readRows(join(dir, 'bad.arrow')))).rejects.toMatchObject({code: 'E_ARROW_CORRUPT', exit: 3})
  })
})
