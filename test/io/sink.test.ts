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
})
