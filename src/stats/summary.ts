import type {LengthHistogram} from '../measure/length-histogram.js'

export const COMMON_CUTOFFS = [512, 1024, 2048, 4096, 8192]

export interface CutoffImpact {
  cutoff_len: number
  truncated_examples: number
  truncated_fraction: number
  tokens_lost: number
}

export interface LengthSummary {
  min: number
  mean: number
  p50: number
  p90: number
  p95: number
  p99: number
  p999: number
  max: number
  total: number
}

export function summarize(h: LengthHistogram): LengthSummary {
  return {
    min: h.n ? h.min : 0,
    mean: h.n ? Math.round((h.total / h.n) * 100) / 100 : 0,
    p50: h.percentile(50),
    p90: h.percentile(90),
    p95: h.percentile(95),
    p99: h.percentile(99),
    p999: h.percentile(99.9),
    max: h.max,
    total: h.total,
  }
}

export function impact(h: LengthHistogram, cutoff: number): CutoffImpact {
  const {examples, tokens} = h.over(cutoff)
  return {cutoff_len: cutoff, truncated_examples: examples, truncated_fraction: h.n ? examples / h.n : 0, tokens_lost: tokens}
}

/** cutoff_len suggestion: the percentile length rounded up to a multiple of `round`. */
export function suggestCutoff(h: LengthHistogram, percentile: number, round: number): CutoffImpact & {percentile: number} {
  const p = h.percentile(percentile)
  const suggested = Math.max(round, Math.ceil(p / round) * round)
  return {percentile, ...impact(h, suggested)}
}

/** LF's greedy_knapsack on one batch of lengths: how many bins of `capacity` it fills. */
export function knapsackBins(lengths: number[], capacity: number): number {
  const values = [...new Set(lengths)].sort((a, b) => a - b)
  const left = new Map<number, number>()
  for (const l of lengths) left.set(l, (left.get(l) ?? 0) + 1)
  let remaining = lengths.length
  let bins = 0
  while (remaining > 0) {
    let room = capacity
    bins++
    for (;;) {
      // The largest remaining length that fits (LF: bisect on the sorted list).
      let lo = 0
      let hi = values.length - 1
      let pick = -1
      while (lo <= hi) {
        const mid = (lo + hi) >> 1
        if (values[mid]! <= room) {
          pick = mid
          lo = mid + 1
        } else hi = mid - 1
      }
      while (pick >= 0 && !left.get(values[pick]!)) pick--
      if (pick < 0) break
      const v = values[pick]!
      left.set(v, left.get(v)! - 1)
      remaining--
      room -= v
    }
  }
  return bins
}

/**
 * Packing as LF's PackedSupervisedDatasetProcessor does it: per preprocessing batch (1,000 rows by default),
 * each example is encoded already truncated to the capacity (so none is longer and none is dropped for
 * length), then the batch goes through greedy_knapsack. Capacity is cutoff_len - 1 (data_args subtracts one
 * when packing).
 */
export class PackingCounter {
  private batch: number[] = []
  private rows = 0
  sequences = 0
  truncated = 0

  constructor(readonly capacity: number, readonly batchSize = 1000) {}

  /** One dataset row: its length, or null when LF drops it before packing. */
  add(length: number | null): void {
    if (length !== null) {
      if (length > this.capacity) this.truncated++
      this.batch.push(Math.min(length, this.capacity))
    }
    if (++this.rows % this.batchSize === 0) this.flush()
  }

  flush(): void {
    if (this.batch.length > 0) this.sequences += knapsackBins(this.batch, this.capacity)
    this.batch = []
  }
}
