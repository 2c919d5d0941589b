import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {RecordBatchReader, tableFromIPC} from 'apache-arrow'
import {describe, expect, it} from 'vitest'

import {arrowEncoder, type ColumnType} from '../../src/io/arrow-encoder.js'
import {readArrow} from '../../src/io/arrow.js'
import type {RecordEncoder} from '../../src/io/types.js'
import {collect, tempDir} from './helpers.js'

/** Runs records through an encoder the way the sink does and writes the bytes to a temp file. */
function encode(encoder: RecordEncoder, records: Record<string, unknown>[]): string {
  const parts = [encoder.start(), ...records.map((r) => encoder.encode(r)), encoder.finish()]
  const path = join(tempDir(), 'out.arrow')
  writeFileSync(path, Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p))))
  return path
}
const readBack = async (path: string) => (await collect(readArrow(path))).map((r) => JSON.parse(JSON.stringify(r.record)) as unknown)
const schemaOf = (path: string) => tableFromIPC(readFileSync(path)).schema.fields.map((f) => `${f.name}: ${f.type}`)

const sharegpt = Array.from({length: 10_000}, (_, i) => ({
  conversations: [{from: 'human', value: `问题 ${i}`}, {from: 'gpt', value: i % 9 ? `answer ${i}` : ''}],
  system: i % 2 ? 'be brief' : '',
}))
const SHAREGPT: Record<string, ColumnType> = {conversations: {list: {struct: {from: 'string', value: 'string'}}}, system: 'string'}

describe('arrowEncoder', () => {
  it('round-trips declared ShareGPT records through an IPC stream of bounded batches', async () => {
    const path = encode(arrowEncoder(SHAREGPT, {batchSize: 3000}), sharegpt)
    expect(await readBack(path)).toEqual(sharegpt)
    expect(schemaOf(path)).toEqual(['conversations: List<Struct<{from:Utf8, value:Utf8}>>', 'system: Utf8'])
    // A stream (what HF datasets' arrow builder reads), not the file format; one schema, 4 batches.
    expect(readFileSync(path).readUInt32LE(0)).toBe(0xffffffff)
    const reader = RecordBatchReader.from(readFileSync(path))
    expect(reader.isStream()).toBe(true)
    expect([...reader].map((b) => b.numRows)).toEqual([3000, 3000, 3000, 1000])
  })

  it('emits bytes as each batch fills, not all at the end', () => {
    const encoder = arrowEncoder(SHAREGPT, {batchSize: 100})
    expect(encoder.start().length).toBeGreaterThan(0)
    const sizes = sharegpt.slice(0, 250).map((r) => encoder.encode(r).length)
    expect(sizes.filter((n) => n > 0)).toHaveLength(2)
    expect(sizes[99]).toBeGreaterThan(0)
  })

  it('infers one type per column from the first batch when none is declared', async () => {
    const records = Array.from({length: 50}, (_, i) => ({
      id: i, score: i / 4, ok: i % 2 === 0, note: i % 5 ? null : `n${i}`, tags: i % 3 ? ['a'] : [],
      meta: {source: 'x', turns: [{n: i}]},
    }))
    const path = encode(arrowEncoder(undefined, {batchSize: 16}), records)
    expect(await readBack(path)).toEqual(records)
    expect(schemaOf(path)).toEqual(['id: Int64', 'score: Float64', 'ok: Bool', 'note: Utf8', 'tags: List<Utf8>', 'meta: Struct<{source:Utf8, turns:List<Struct<{n:Int64}>>}>'])
  })

  it('writes a readable empty stream for no records', async () => {
    expect(await readBack(encode(arrowEncoder(SHAREGPT), []))).toEqual([])
    expect(await readBack(encode(arrowEncoder(), []))).toEqual([])
  })

  it('throws rather than coerce or drop a record that does not fit the schema', () => {
    const declared = arrowEncoder(SHAREGPT)
    declared.start()
    expect(() => declared.encode({conversations: [{from: 'human', value: 'x', extra: 1}], system: ''})).toThrow(/conversations\[0\]\.extra is not in the schema/)
    expect(() => declared.encode({conversations: [{from: 'human', value: 3}], system: ''})).toThrow(/conversations\[0\]\.value is an integer, not a string/)
    expect(() => declared.encode({conversations: [], system: '', images: []})).toThrow(expect.objectContaining({code: 'E_ARROW_INTERNAL', exit: 1}))

    const inferred = arrowEncoder(undefined, {batchSize: 2})
    inferred.encode({id: 1})
    inferred.encode({id: 2})
    expect(() => inferred.encode({id: 'three'})).toThrow(expect.objectContaining({code: 'E_ARROW_SCHEMA', exit: 3, message: expect.stringContaining('record 3')}))
    expect(() => arrowEncoder(undefined, {batchSize: 2}).finish()).not.toThrow()
    const mixed = arrowEncoder(undefined, {batchSize: 2})
    mixed.encode({v: 1})
    expect(() => mixed.encode({v: 'x'})).toThrow(/column v mixes number and string/)
  })
})
