import {writeFileSync} from 'node:fs'
import {join, resolve} from 'node:path'

import {DuckDBInstance} from '@duckdb/node-api'
import {Table, Utf8, tableToIPC, vectorFromArray} from 'apache-arrow'
import {describe, expect, it} from 'vitest'

import {lfdata} from '../e2e.js'
import {tempDir} from '../io/helpers.js'

const QA = resolve('fixtures/demo/qa.csv')
const withoutTime = (r: {seconds?: number}) => ({...r, seconds: 0})

/** stats over N shards then `stats merge`, as --json. */
async function sharded(args: string[], n: number, dir: string) {
  const parts: string[] = []
  for (let i = 0; i < n; i++) {
    const p = join(dir, `p${n}-${i}.json`)
    const r = await lfdata(['stats', ...args, '--shard', `${i}/${n}`, '--partial', p, '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.json).toMatchObject({partial: p, shard: {index: i, count: n}})
    parts.push(p)
  }
  const merged = await lfdata(['stats', 'merge', ...parts.reverse(), '--json'])
  expect(merged.code, merged.stderr).toBe(0)
  return merged.json
}

/** convert INPUT as N shards into `out`; the records each shard read. */
async function convertShards(input: string, out: string, n: number): Promise<number[]> {
  const read: number[] = []
  for (let i = 0; i < n; i++) {
    const r = await lfdata(['convert', input, '-o', out, '--shard', `${i}/${n}`, '--json'])
    expect(r.code, r.stderr).toBe(0)
    read.push(r.json.records_in)
  }
  return read
}

describe('lfdata stats --shard / stats merge (spawned)', () => {
  it('gives exactly the single-run result for N = 1..4 on a CSV with quoted newlines (sniffed, no manifest)', async () => {
    const dir = tempDir()
    const one = await lfdata(['stats', QA, '--tokenizer', 'qwen', '--json'])
    expect(one.code, one.stderr).toBe(0)
    for (let n = 1; n <= 4; n++) expect(withoutTime(await sharded([QA, '--tokenizer', 'qwen'], n, dir))).toEqual(withoutTime(one.json))
  })

  it('splits Parquet by row groups and Arrow by record batches: stats and convert shards give the single run', async () => {
    const dir = tempDir()
    const pq = join(dir, 'qa.parquet')
    const db = await (await DuckDBInstance.create(':memory:')).connect()
    await db.run(`COPY (SELECT '问题 ' || (i % 1500) || repeat(' why', i % 25) AS instruction, 'answer ' || (i % 1700) AS output FROM range(5000) t(i)) TO '${pq}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`)
    const one = await lfdata(['stats', pq, '--tokenizer', 'qwen', '--json'])
    expect(one.code, one.stderr).toBe(0)
    expect(withoutTime(await sharded([pq, '--tokenizer', 'qwen'], 3, dir))).toEqual(withoutTime(one.json))
    // convert: 3 shards + merge = one process, with duplicates across row groups (i % 1500 repeats).
    const single = await lfdata(['convert', pq, '-o', join(dir, 'one.jsonl'), '--json'])
    expect(single.code, single.stderr).toBe(0)
    const out = join(dir, 'out')
    const read = await convertShards(pq, out, 3)
    expect(read.every((n) => n > 0) && read.reduce((a, b) => a + b) === 5000).toBe(true)
    const merged = await lfdata(['merge', out, '--json'])
    expect(merged.code, merged.stderr).toBe(0)
    expect(merged.json).toMatchObject({records_in: 5000, records_out: single.json.records_out, dropped: single.json.dropped, sha256: single.json.sha256})

    // An Arrow IPC stream of 4 record batches, as datasets.save_to_disk writes: the same by record batches.
    const arrow = join(dir, 'qa.arrow')
    const batch = (at: number) => new Table({
      instruction: vectorFromArray(Array.from({length: 400}, (_, i) => `问题 ${(at + i) % 900}`), new Utf8()),
      output: vectorFromArray(Array.from({length: 400}, (_, i) => `answer ${(at + i) % 900}`), new Utf8()),
    }).batches[0]!
    writeFileSync(arrow, tableToIPC(new Table([0, 400, 800, 1200].map(batch)), 'stream'))
    const oneArrow = await lfdata(['convert', arrow, '-o', join(dir, 'one-arrow.jsonl'), '--json'])
    expect(oneArrow.code, oneArrow.stderr).toBe(0)
    const arrowOut = join(dir, 'arrow-out')
    const arrowRead = await convertShards(arrow, arrowOut, 3)
    expect(arrowRead.filter((n) => n > 0).length).toBeGreaterThanOrEqual(2)
    const mergedArrow = await lfdata(['merge', arrowOut, '--json'])
    expect(mergedArrow.json).toMatchObject({records_in: 1600, records_out: oneArrow.json.records_out, dropped: oneArrow.json.dropped, sha256: oneArrow.json.sha256})
  })

  it('is exact on chats with LF drops and another percentile, and refuses partials that do not make one run', async () => {
    const dir = tempDir()
    const data = join(dir, 'chats.jsonl')
    const rows = Array.from({length: 120}, (_, i) => i % 9 === 4
      ? {messages: [{role: 'user', content: `only a question ${i}`}]}
      : {messages: [{role: 'user', content: `问题 ${i} `.repeat(1 + (i % 13))}, {role: 'assistant', content: 'answer '.repeat(1 + ((i * 7) % 31))}]})
    writeFileSync(data, rows.map((r) => JSON.stringify(r)).join('\n') + '\n')
    const args = [data, '--tokenizer', 'llama3', '--percentile', '95', '--round', '64']
    const one = await lfdata(['stats', ...args, '--json'])
    expect(one.code, one.stderr).toBe(0)
    expect(one.json.dropped).not.toEqual({})
    expect(withoutTime(await sharded(args, 3, dir))).toEqual(withoutTime(one.json))

    const missing = await lfdata(['stats', 'merge', join(dir, 'p3-0.json'), join(dir, 'p3-2.json')])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('missing shard 1/3')
    const other = join(dir, 'other.json')
    expect((await lfdata(['stats', data, '--tokenizer', 'qwen', '--shard', '1/3', '--partial', other])).code).toBe(0)
    const mixed = await lfdata(['stats', 'merge', join(dir, 'p3-0.json'), other, join(dir, 'p3-2.json')])
    expect(mixed.code).toBe(3)
    expect(mixed.stderr).toContain('different run')
    const packing = await lfdata(['stats', data, '--tokenizer', 'qwen', '--packing', '--shard', '0/2', '--partial', other])
    expect(packing.code).toBe(2)
  })
})
