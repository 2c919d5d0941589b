import {describe, expect, it} from 'vitest'

import {SpareBuffers} from '../../src/transforms/plain-csv.js'

describe('SpareBuffers (the parallel lane reuses its chunk buffers)', () => {
  it('hands out shared buffers in whole MB and reuses any spare big enough', () => {
    const spares = new SpareBuffers(4)
    const a = spares.take(2_200_000)
    expect(a.length).toBe(2_200_000)
    expect(a.buffer).toBeInstanceOf(SharedArrayBuffer)
    expect(a.buffer.byteLength).toBe(3 << 20) // a chunk (2 MB and a row) and its JSON lines (~1.25x) share a class
    spares.give(a.buffer)
    const b = spares.take(2_700_000)
    expect(b.buffer).toBe(a.buffer)
    // Too small a spare is left for a later, smaller request.
    spares.give(b.buffer)
    expect(spares.take(7 << 20).buffer).not.toBe(a.buffer)
    expect(spares.take(1).buffer).toBe(a.buffer)
  })

  it('keeps only shared buffers, each once, and at most `keep`', () => {
    const spares = new SpareBuffers(2)
    spares.give(new ArrayBuffer(8 << 20)) // moved memory is not ours to hand on
    expect(spares.takeMany(5)).toEqual([])
    const x = new SharedArrayBuffer(2 << 20)
    spares.give(x)
    spares.give(x)
    spares.give(new SharedArrayBuffer(2 << 20))
    spares.give(new SharedArrayBuffer(2 << 20))
    const taken = spares.takeMany(5)
    expect(taken).toHaveLength(2)
    expect(taken[0]).toBe(x)
    expect(taken[1]).not.toBe(x)
  })
})
