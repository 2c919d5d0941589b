import {describe, expect, it} from 'vitest'

import {LengthHistogram} from '../../src/measure/length-histogram.js'
import {cdfLines} from '../../src/stats/render.js'
import {knapsackBins, PackingCounter, suggestCutoff} from '../../src/stats/summary.js'

const hist = (xs: number[]) => {
  const h = new LengthHistogram()
  for (const x of xs) h.add(x)
  return h
}

/** LF's greedy_knapsack, transcribed literally (sorted list, bisect, pop) as the oracle. */
function lfKnapsack(numbers: number[], capacity: number): number {
  const xs = [...numbers].sort((a, b) => a - b)
  let bins = 0
  while (xs.length > 0) {
    bins++
    let room = capacity
    for (;;) {
      let idx = xs.findIndex((x) => x > room)
      idx = idx === -1 ? xs.length : idx
      if (idx === 0) break
      room -= xs.splice(idx - 1, 1)[0]!
    }
  }
  return bins
}

describe('length histogram', () => {
  it('nearest-rank percentiles: the smallest L with at least p% of examples ≤ L', () => {
    const h = hist([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    expect([h.percentile(50), h.percentile(90), h.percentile(91), h.percentile(99), h.percentile(100)]).toEqual([5, 9, 10, 10, 10])
    expect(hist([7]).percentile(1)).toBe(7)
  })
  it('suggests P99 rounded up to 128 with what it truncates', () => {
    const h = hist([...Array.from({length: 99}, () => 100), 1000])
    expect(suggestCutoff(h, 99, 128)).toEqual({percentile: 99, cutoff_len: 128, truncated_examples: 1, truncated_fraction: 0.01, tokens_lost: 872})
  })
  it('prints length_cdf.py lines', () => {
    expect(cdfLines(hist([10, 500, 1500, 2500, 2600]))).toEqual([
      '2 (40.00%) samples have length < 1000.', '3 (60.00%) samples have length < 2000.', '5 (100.00%) samples have length < 3000.',
    ])
  })
})

describe('packing', () => {
  it('knapsack bins match LF\'s greedy_knapsack', () => {
    let seed = 3
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32)
    for (let trial = 0; trial < 200; trial++) {
      const xs = Array.from({length: 1 + Math.floor(rand() * 60)}, () => 1 + Math.floor(rand() * 500))
      expect(knapsackBins(xs, 512)).toBe(lfKnapsack(xs, 512))
    }
  })
  it('packs per 1,000-row batch, over-long examples truncated to the capacity first (as LF encodes them)', () => {
    const p = new PackingCounter(100, 3)
    for (const x of [60, 50, null, 40, 150, 30]) p.add(x)
    p.flush()
    // Batch 1: [60, 50] → 2 bins. Batch 2: [40, 100 (truncated), 30] → [100], [40, 30] → 2 bins.
    expect(p).toMatchObject({sequences: 4, truncated: 1})
  })
})
