/**
 * A set of 64-bit fingerprints (two u32 halves) in open-addressed typed arrays, each with the position of the
 * record that first had it. Memory is ~20 bytes per slot, never the text — what lets exact dedup run over
 * inputs far larger than RAM.
 */
export class FingerprintSet {
  private hi: Uint32Array
  private lo: Uint32Array
  private lines: Uint32Array
  private sources: Uint16Array
  private used = 0

  constructor(capacity = 1 << 16) {
    this.hi = new Uint32Array(capacity)
    this.lo = new Uint32Array(capacity)
    this.lines = new Uint32Array(capacity)
    this.sources = new Uint16Array(capacity)
  }

  get size(): number {
    return this.used
  }

  /**
   * Adds the fingerprint; returns undefined when it is new, else where it was first seen.
   * (0,0) marks an empty slot, so a fingerprint of (0,0) is stored as (0,1).
   */
  addOrGet(hi: number, lo: number, source: number, line: number): {source: number; line: number} | undefined {
    if (hi === 0 && lo === 0) lo = 1
    if ((this.used + 1) * 4 > this.hi.length * 3) this.grow()
    const mask = this.hi.length - 1
    for (let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask; ; i = (i + 1) & mask) {
      if (this.hi[i] === 0 && this.lo[i] === 0) {
        this.hi[i] = hi
        this.lo[i] = lo
        this.lines[i] = line
        this.sources[i] = source
        this.used++
        return undefined
      }
      if (this.hi[i] === hi && this.lo[i] === lo) return {source: this.sources[i]!, line: this.lines[i]!}
    }
  }

  private grow(): void {
    const {hi, lo, lines, sources} = this
    const capacity = hi.length * 2
    this.hi = new Uint32Array(capacity)
    this.lo = new Uint32Array(capacity)
    this.lines = new Uint32Array(capacity)
    this.sources = new Uint16Array(capacity)
    this.used = 0
    for (let i = 0; i < hi.length; i++) {
      if (hi[i] !== 0 || lo[i] !== 0) this.addOrGet(hi[i]!, lo[i]!, sources[i]!, lines[i]!)
    }
  }
}
