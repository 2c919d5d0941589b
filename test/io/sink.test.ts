import {createHash} from 'node:crypto'
import {readFileSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {RecordSink} from '../../src/io/sink.js'
import type {RecordEncoder} from '../../src/io/types.js'
import {tempDir} from './helpers.js'

/** Encodes each record's `out` as given: strings and byte arrays of any size, mixed. */
const passThrough: RecordEncoder = {
  start: () => '<',
  encode: (record) => record.out as string | Uint8Array,
  finish: () => Uint8Array.from([0x3e]),
}

describe('RecordSink', () => {
  it('writes mixed strings and bytes of every size in order, with their sha256, across flushes', async () => {
    const chunks: (string | Uint8Array)[] = []
    for (let i = 0; i < 400; i++) {
      const n = (i * 7919) % 200_000
      if (i % 3 === 0) chunks.push(Buffer.from('b'.repeat(n)))
      else chunks.push(`${i}é中😀`.repeat(1 + (n >> 3)))
    }
    chunks.push('x'.repeat(3 << 20), Buffer.alloc(2 << 20, 0x79), '', 'tail')
    const dir = tempDir()
    const path = join(dir, 'out.jsonl')
    const sink = await RecordSink.open(path, passThrough)
    for (const out of chunks) await sink.write({out})
    const result = await sink.commit()

    const want = Buffer.concat([Buffer.from('<'), ...chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c)), Buffer.from('>')])
    const got = readFileSync(path)
    expect(got.equals(want)).toBe(true)
    expect(result).toEqual({bytes: want.length, sha256: createHash('sha256').update(want).digest('hex')})
    expect(readdirSync(dir)).toEqual(['out.jsonl'])
  })

  it('keeps none of the bytes it is given: the caller may overwrite them as soon as a write returns', async () => {
    const dir = tempDir()
    const path = join(dir, 'out.jsonl')
    const sink = await RecordSink.open(path, passThrough)
    const want: Buffer[] = [Buffer.from('<')]
    // One buffer, refilled after every write: sizes below, at and far above the sink's 1 MB buffer.
    const scratch = Buffer.alloc(5 << 20)
    for (const [i, n] of [10, 70_000, 1 << 20, 3 << 20, 5, (5 << 20) - 1].entries()) {
      scratch.fill(0x61 + i, 0, n)
      want.push(Buffer.from(scratch.subarray(0, n)))
      await sink.write({out: scratch.subarray(0, n)})
      scratch.fill(0x21) // what the parallel lane does to a reused buffer
    }
    want.push(Buffer.from('>'))
    await sink.commit()
    expect(readFileSync(path).equals(Buffer.concat(want))).toBe(true)
  })

  it('flushes to disk in the background as it goes (every 16 MB) and still commits, or aborts, cleanly', async () => {
    const dir = tempDir()
    const piece = Buffer.alloc(1 << 20, 0x7a)
    const sink = await RecordSink.open(join(dir, 'out.jsonl'), passThrough)
    for (let i = 0; i < 40; i++) await sink.write({out: piece})
    const result = await sink.commit()
    expect(result.bytes).toBe(40 * piece.length + 2)
    expect(readFileSync(join(dir, 'out.jsonl')).length).toBe(result.bytes)
    const aborted = await RecordSink.open(join(dir, 'gone.jsonl'), passThrough)
    for (let i = 0; i < 20; i++) await aborted.write({out: piece})
    await aborted.abort()
    expect(readdirSync(dir)).toEqual(['out.jsonl'])
  })
})
