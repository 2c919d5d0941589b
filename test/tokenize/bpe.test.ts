import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {BpeTables, type BpeModelJson} from '../../src/tokenize/bpe-tables.js'
import {PieceCounter} from '../../src/tokenize/bpe.js'
import {byteChar, mapped} from './byte-chars.js'

// PieceCounter against a plain BPE written for clarity, on small random byte-level models: merges over a few
// letters and the two bytes of "é", so that tokens overlap, span characters and cut pieces in every way.

/** A model: the 256 bytes, then merges drawn as pairs of (indices into) the tokens made so far. */
function model(draws: [number, number][], ignoreMerges: boolean): BpeModelJson {
  const vocab: Record<string, number> = {}
  byteChar.forEach((c, i) => (vocab[c] = i))
  const made = mapped('abcé')
  const merges: [string, string][] = []
  for (const [x, y] of draws) {
    const a = made[x % made.length]!
    const b = made[y % made.length]!
    if (vocab[a + b] === undefined) {
      vocab[a + b] = Object.keys(vocab).length
      made.push(a + b)
    }
    merges.push([a, b])
  }
  return {type: 'BPE', vocab, merges, ignore_merges: ignoreMerges}
}

/** Reference: merge the lowest-rank adjacent pair, leftmost first, until none applies. */
function reference(m: BpeModelJson, piece: string): number {
  const symbols = mapped(piece)
  if (m.ignore_merges && m.vocab[symbols.join('')] !== undefined) return 1
  const rank = new Map<string, number>()
  m.merges.forEach((p, r) => {
    const [a, b] = p as [string, string]
    if (!rank.has(`${a}\u0000${b}`)) rank.set(`${a}\u0000${b}`, r)
  })
  for (;;) {
    let best = -1
    let bestRank = Infinity
    for (let i = 0; i + 1 < symbols.length; i++) {
      const r = rank.get(`${symbols[i]}\u0000${symbols[i + 1]}`)
      if (r !== undefined && r < bestRank) [best, bestRank] = [i, r]
    }
    if (best < 0) return symbols.length
    symbols.splice(best, 2, symbols[best]! + symbols[best + 1]!)
  }
}

describe('PieceCounter on random byte-level models', () => {
  const draws = fc.array(fc.tuple(fc.nat(), fc.nat()), {minLength: 1, maxLength: 40})
  const pieces = fc.array(fc.string({unit: fc.constantFrom('a', 'b', 'c', 'é', 'd'), maxLength: 60}), {minLength: 1, maxLength: 10})

  it.each([false, true])('counts as plain BPE (ignore_merges %s), segments and caches included', (ignoreMerges) => {
    fc.assert(fc.property(draws, pieces, (d, ps) => {
      const m = model(d, ignoreMerges)
      const counter = new PieceCounter(BpeTables.build(m)!)
      // Several pieces through one counter: later ones meet segments cached from earlier ones.
      return ps.every((p) => counter.count(p) === reference(m, p))
    }), {numRuns: 3000})
  })

  it('cuts where no buildable token spans the boundary, and only there (a piece of two tokens)', () => {
    // "ab" and "ba" merge; "abab" has no safe cut after "ab" (the "ba" token spans it), so it is merged whole.
    const m: BpeModelJson = {type: 'BPE', vocab: {...Object.fromEntries(byteChar.map((c, i) => [c, i])), ab: 256, ba: 257}, merges: [['b', 'a'], ['a', 'b']]}
    const counter = new PieceCounter(BpeTables.build(m)!)
    expect(counter.count('abab')).toBe(reference(m, 'abab'))
    expect(counter.count('abab')).toBe(3) // b·a first: a, ba, b (cutting after the token "ab" would give 2)
    expect(counter.count('abcab')).toBe(3) // nothing spans c: ab, c, ab
  })
})
