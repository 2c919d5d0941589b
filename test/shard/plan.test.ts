import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {DuckDBInstance} from '@duckdb/node-api'
import {Int32, Table, Utf8, tableToIPC, vectorFromArray} from 'apache-arrow'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {readRows} from '../../src/io/read.js'
import {shardSlices} from '../../src/shard/plan.js'
import {collect, tempDir} from '../io/helpers.js'

const SEED = Number(process.env.LFDATA_SEED ?? 19)

/** Rows of every shard, in shard order, as (source, line, record) — must equal one process's rows. */
async function shardedRows(files: string[], n: number) {
  const out = []
  for (let i = 0; i < n; i++) {
    for (const slice of await shardSlices(files, {index: i, count: n}, {})) {
      out.push(...(await collect(readRows(slice.file, {range: slice.range, blocks: slice.blocks}))))
    }
  }
  return out
}

const csvCell = fc.oneof(
  fc.constantFrom('', 'a', 'x,y', 'line1\nline2', 'say "hi"\n,ok', '中文\n第二行', '"', '\n\n', 'plain text'),
  fc.string({maxLength: 12}).map((s) => s.replace(/[\r\0]/g, '')),
)
const quote = (s: string) => (/[",\n]/.test(s) || s === '' ? `"${s.replace(/"/g, '""')}"` : s)

describe('shard plan', () => {
  it('splits CSV with quoted newlines at every point into exactly the rows of one read', async () => {
    console.log(`shard plan property seed ${SEED} (LFDATA_SEED to replay)`)
    await fc.assert(fc.asyncProperty(fc.array(fc.tuple(csvCell, csvCell), {minLength: 1, maxLength: 25}), fc.integer({min: 1, max: 8}), fc.boolean(), async (rows, n, crlf) => {
      const eol = crlf ? '\r\n' : '\n'
      const text = '\uFEFFq,a' + eol + rows.map(([q, a]) => `${quote(q)},${quote(a)}`).join(eol) + eol
      const file = join(tempDir(), 'x.csv')
      writeFileSync(file, text)
      const one = await collect(readRows(file))
      expect(await shardedRows([file], n)).toEqual(one)
    }), {numRuns: 150, seed: SEED})
  })

  it('splits JSONL and keeps whole files where they cannot be split', async () => {
    const dir = tempDir()
    const a = join(dir, 'a.jsonl')
    const b = join(dir, 'b.json')
    writeFileSync(a, Array.from({length: 40}, (_, i) => JSON.stringify({q: `第${i}题`, a: 'x'.repeat(i)})).join('\n') + '\n\n')
    writeFileSync(b, JSON.stringify([{q: 'array', a: 'file'}]))
    const one = [...(await collect(readRows(a))), ...(await collect(readRows(b)))]
    for (let n = 1; n <= 8; n++) expect(await shardedRows([a, b], n)).toEqual(one)
    // The array file is one unit: exactly one of 8 shards has it.
    let owners = 0
    for (let i = 0; i < 8; i++) owners += (await shardSlices([a, b], {index: i, count: 8}, {})).filter((s) => s.file === b).length
    expect(owners).toBe(1)
  })

  it('splits a Parquet file by row groups, each read by exactly one shard, rows keeping their numbers', async () => {
    const dir = tempDir()
    const pq = join(dir, 'chats.parquet')
    const db = await (await DuckDBInstance.create(':memory:')).connect()
    // 3 row groups of up to 2048 rows (DuckDB's ROW_GROUP_SIZE), zstd, text long enough to give groups bytes.
    await db.run(`COPY (SELECT i AS id, '问题 ' || i || repeat(' words', i % 40) AS q, 'answer ' || i AS a FROM range(5000) t(i)) TO '${pq}' (FORMAT parquet, ROW_GROUP_SIZE 2048, COMPRESSION zstd)`)
    const tail = join(dir, 'tail.jsonl')
    writeFileSync(tail, Array.from({length: 30}, (_, i) => JSON.stringify({id: i, q: 'tail', a: String(i)})).join('\n') + '\n')
    const one = [...(await collect(readRows(pq))), ...(await collect(readRows(tail)))]
    expect(one[4999]!.line).toBe(5000)
    for (let n = 1; n <= 8; n++) expect(await shardedRows([pq, tail], n)).toEqual(one)
    // With 3 shards over the Parquet file alone, each of its 3 row groups goes to its own shard.
    const counts = []
    for (let i = 0; i < 3; i++) {
      const slices = await shardSlices([pq], {index: i, count: 3}, {})
      counts.push((await Promise.all(slices.map((sl) => collect(readRows(sl.file, {blocks: sl.blocks}))))).flat().length)
    }
    expect(counts).toEqual([2048, 2048, 904])
  })

  it('splits Arrow IPC files (stream and file format) by record batches, rows keeping their numbers', async () => {
    const dir = tempDir()
    // Four record batches of 500 rows with text of growing length, so batches differ in size.
    const batches = [0, 500, 1000, 1500].map((at) => new Table({
      id: vectorFromArray(Array.from({length: 500}, (_, i) => at + i), new Int32()),
      q: vectorFromArray(Array.from({length: 500}, (_, i) => `问题 ${at + i} ` + 'x'.repeat((at + i) % 50)), new Utf8()),
    }).batches[0]!)
    for (const layout of ['stream', 'file'] as const) {
      const file = join(dir, `chats.${layout}.arrow`)
      writeFileSync(file, tableToIPC(new Table(batches), layout))
      const one = await collect(readRows(file))
      expect(one).toHaveLength(2000)
      for (let n = 1; n <= 8; n++) expect(await shardedRows([file], n), `${layout}, ${n} shards`).toEqual(one)
      // 4 shards over 4 similar batches: a shard starts reading at a batch's first row, and at least 3 read some
      // (the schema message ahead of the batches shifts them against the windows).
      const owned = []
      for (let i = 0; i < 4; i++) {
        const slices = await shardSlices([file], {index: i, count: 4}, {})
        owned.push((await Promise.all(slices.map((sl) => collect(readRows(sl.file, {blocks: sl.blocks}))))).flat().map((r) => r.line)[0])
      }
      const starts = owned.filter((line) => line !== undefined)
      expect(starts.length, layout).toBeGreaterThanOrEqual(3)
      expect(starts.every((line) => [1, 501, 1001, 1501].includes(line)), layout).toBe(true)
    }
  })
})
