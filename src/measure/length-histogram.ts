/**
 * Exact token-length distribution: a count per distinct length, so every percentile is exact and memory
 * grows with the number of distinct lengths (a few thousand), never with the number of examples.
 */
export class LengthHistogram {
  private counts = new Map<number, number>()
  n = 0
  total = 0
  min = Infinity
  max = 0

  add(length: number, count = 1): void {
    this.counts.set(length, (this.counts.get(length) ?? 0) + count)
    this.n += count
    this.total += length * count
    if (length < this.min) this.min = length
    if (length > this.max) this.max = length
  }

  /** Rebuilds a histogram from entries() (a stats partial, src/pipeline/stats-partial.ts). */
  static from(entries: [number, number][]): LengthHistogram {
    const h = new LengthHistogram()
    for (const [len, c] of entries) h.add(len, c)
    return h
  }

  merge(other: LengthHistogram): void {
    for (const [len, c] of other.counts) this.counts.set(len, (this.counts.get(len) ?? 0) + c)
    this.n += other.n
    this.total += other.total
    this.min = Math.min(this.min, other.min)
    this.max = Math.max(this.max, other.max)
  }

  /** Distinct lengths with their counts, ascending. */
  entries(): [number, number][] {
    return [...this.counts.entries()].sort((a, b) => a[0] - b[0])
  }

  /** Nearest rank: the smallest L such that at least p% of examples have length ≤ L. */
  percentile(p: number): number {
    if (this.n === 0) return 0
    const rank = Math.max(1, Math.ceil((p / 100) * this.n))
    let seen = 0
    for (const [len, c] of this.entries()) {
      seen += c
      if (seen >= rank) return len
    }
    return this.max
  }

  /** Examples longer than `cutoff` and the tokens truncation would remove from them. */
  over(cutoff: number): {examples: number; tokens: number} {
    let examples = 0
    let tokens = 0
    for (const [len, c] of this.counts) {
      if (len > cutoff) {
        examples += c
        tokens += (len - cutoff) * c
      }
    }
    return {examples, tokens}
  }

  /** Counts per bucket of `width` tokens, from 0 to max. */
  buckets(width: number): number[] {
    const out = new Array<number>(Math.floor(this.max / width) + 1).fill(0)
    for (const [len, c] of this.counts) out[Math.floor(len / width)]! += c
    return out
  }
}
