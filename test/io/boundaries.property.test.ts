import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {BoundaryScanner} from '../../src/io/boundaries.js'
import {TEST_SEED} from '../seed.js'

/**
 * The oracle: papaparse's quote rules read one byte at a time (a quote opens a field only at its start; inside,
 * "" is a literal quote and any other quote closes it). Returns every record start (the position after a "\n"
 * outside quotes) and the number of "\n" bytes before each, quoted or not.
 */
function recordStarts(bytes: Uint8Array, delim: number): {pos: number; newlines: number}[] {
  const out = []
  let inQuotes = false
  let pending = false
  let fieldStart = true
  let newlines = 0
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!
    if (inQuotes) {
      if (pending) {
        pending = false
        if (c === 34) continue
        inQuotes = false
      } else {
        if (c === 34) pending = true
        else if (c === 10) newlines++
        continue
      }
    }
    if (c === 34 && fieldStart) [inQuotes, fieldStart] = [true, false]
    else if (c === delim) fieldStart = true
    else if (c === 10) {
      newlines++
      fieldStart = true
      out.push({pos: i + 1, newlines})
    } else fieldStart = false
  }
  return out
}

/** The scanner fed `bytes` in the given chunk sizes, asked for the first record start at or after each target. */
function scanned(bytes: Uint8Array, format: 'csv' | 'jsonl', delimiter: string, cuts: number[], targets: number[]) {
  const scanner = new BoundaryScanner(format, delimiter)
  const chunks: Uint8Array[] = []
  let at = 0
  for (const cut of [...cuts.filter((c) => c > 0 && c < bytes.length)].sort((a, b) => a - b).concat(bytes.length)) {
    if (cut > at) chunks.push(bytes.subarray(at, cut))
    at = Math.max(at, cut)
  }
  const found = []
  let rest: Uint8Array | undefined
  let last: {pos: number; newlines: number} | undefined
  for (const t of [...targets].sort((a, b) => a - b)) {
    // As the shard planner does: a start already found answers every target up to it.
    let hit = last && last.pos >= t ? last : undefined
    while (!hit) {
      const chunk = rest ?? chunks.shift()
      rest = undefined
      if (!chunk) break
      const base = scanner.pos
      const pos = scanner.scan(chunk, t)
      if (pos >= 0) {
        if (pos - base < chunk.length) rest = chunk.subarray(pos - base)
        hit = {pos, newlines: scanner.newlines}
      }
    }
    last = hit ?? last
    found.push({target: t, hit})
  }
  return found
}

const piece = fc.constantFrom('"', '""', ',', '\t', '\n', '\r\n', 'a', 'bc', '中', ' "x" ', ',"', '"\n')

describe('BoundaryScanner (property, against a byte-at-a-time oracle)', () => {
  it('finds the same record starts and line counts for any bytes, chunking and targets', () => {
    console.log(`boundary scanner property seed ${TEST_SEED} (LFDATA_TEST_SEED to replay)`)
    fc.assert(fc.property(
      fc.array(piece, {maxLength: 60}), fc.constantFrom(',', '\t'), fc.constantFrom<'csv' | 'jsonl'>('csv', 'jsonl'),
      fc.array(fc.nat(400), {maxLength: 6}), fc.array(fc.nat(400), {minLength: 1, maxLength: 4}),
      (pieces, delimiter, format, cuts, targets) => {
        const bytes = new TextEncoder().encode(pieces.join(''))
        const starts = format === 'csv'
          ? recordStarts(bytes, delimiter.charCodeAt(0))
          : [...bytes.keys()].filter((i) => bytes[i] === 10).map((i, k) => ({pos: i + 1, newlines: k + 1}))
        const want = [...targets].sort((a, b) => a - b).map((t) => ({target: t, hit: starts.find((s) => s.pos >= t)}))
        expect(scanned(bytes, format, delimiter, cuts, targets)).toEqual(want)
      },
    ), {numRuns: 3000})
  })
})
