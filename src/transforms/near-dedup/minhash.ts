/** MinHash signatures with k universal hash permutations h(x) = a·x + b (mod 2^32), a odd, seeded. */
export class MinHasher {
  readonly a: Uint32Array
  readonly b: Uint32Array

  constructor(readonly numPerm: number, seed = 42) {
    this.a = new Uint32Array(numPerm)
    this.b = new Uint32Array(numPerm)
    let s = seed >>> 0 || 1
    const next = () => {
      // xorshift32: deterministic across runs and platforms.
      s ^= s << 13
      s ^= s >>> 17
      s ^= s << 5
      return s >>> 0
    }
    for (let i = 0; i < numPerm; i++) {
      this.a[i] = next() | 1
      this.b[i] = next()
    }
  }

  signature(shingles: Uint32Array): Uint32Array {
    const sig = new Uint32Array(this.numPerm).fill(0xffffffff)
    const {a, b, numPerm} = this
    for (let j = 0; j < shingles.length; j++) {
      const x = shingles[j]!
      for (let i = 0; i < numPerm; i++) {
        const h = (Math.imul(a[i]!, x) + b[i]!) >>> 0
        if (h < sig[i]!) sig[i] = h
      }
    }
    return sig
  }
}

/**
 * Bands × rows for a threshold: minimises the weighted false-positive + false-negative area of the LSH
 * S-curve 1-(1-s^r)^b (the datasketch method), with false negatives weighted higher since candidates are
 * verified afterwards anyway.
 */
export function lshParams(threshold: number, numPerm: number): {bands: number; rows: number} {
  const integrate = (f: (s: number) => number, lo: number, hi: number) => {
    const steps = 200
    const h = (hi - lo) / steps
    let sum = 0
    for (let i = 0; i < steps; i++) sum += f(lo + (i + 0.5) * h) * h
    return sum
  }
  let best = {bands: 1, rows: numPerm, err: Infinity}
  for (let bands = 1; bands <= numPerm; bands++) {
    const rows = Math.floor(numPerm / bands)
    const p = (s: number) => 1 - (1 - s ** rows) ** bands
    const fp = integrate(p, 0, threshold)
    const fn = integrate((s) => 1 - p(s), threshold, 1)
    const err = 0.3 * fp + 0.7 * fn
    if (err < best.err) best = {bands, rows, err}
  }
  return {bands: best.bands, rows: best.rows}
}
