/**
 * One-permutation MinHash with optimal densification (Li et al. 2012; Shrivastava 2017): each shingle is hashed
 * once, its top bits pick one of k bins and each bin keeps its minimum, so a text costs one hash per shingle
 * instead of k. Bins no shingle fell into borrow the minimum of a non-empty bin found by a probe sequence that
 * depends only on the bin, so two texts agree in a bin with probability equal to their Jaccard similarity,
 * as with k independent permutations.
 */
export interface LshShape {
  /** Bins (the signature's length): a power of two. */
  numPerm: number
  bands: number
  rows: number
  seed: number
}

/**
 * Sketches of a batch of texts: each one's signature for verifying candidates (the low 8 bits of each bin:
 * unequal bins then agree by chance 1 time in 256, which the estimate takes back out) and its LSH keys — one
 * per band, then one over the whole signature, which finds an identical earlier text first.
 */
export interface SketchBatch {
  count: number
  /** count × numPerm */
  signatures: Uint8Array
  /** count × (bands + 1) */
  keys: Uint32Array
}

const EMPTY = 0xffffffff

/** murmur3's finaliser: every input bit reaches every output bit. */
export function mix32(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

export class Sketcher {
  private readonly bins: Uint32Array
  private readonly dense: Uint32Array
  private readonly shift: number
  private readonly mask: number

  constructor(readonly shape: LshShape) {
    this.bins = new Uint32Array(shape.numPerm)
    this.dense = new Uint32Array(shape.numPerm)
    this.shift = 32 - Math.log2(shape.numPerm)
    this.mask = 2 ** this.shift - 1
  }

  /** Sketches `hashes[0, n)` into row `at` of `batch`. */
  sketch(hashes: Uint32Array, n: number, batch: SketchBatch, at: number): void {
    const {bins, dense, shift, mask} = this
    const {numPerm, bands, rows, seed} = this.shape
    bins.fill(EMPTY)
    for (let j = 0; j < n; j++) {
      const h = mix32(hashes[j]! ^ seed)
      const bin = h >>> shift
      const v = h & mask
      if (v < bins[bin]!) bins[bin] = v
    }
    for (let i = 0; i < numPerm; i++) {
      let v = bins[i]!
      // An empty text leaves every bin empty: all empty texts then share one signature, and collapse.
      for (let attempt = 1; v === EMPTY && n > 0; attempt++) v = bins[mix32(Math.imul(i + 1, 0x9e3779b1) ^ Math.imul(attempt, 0x85ebca77) ^ seed) & (numPerm - 1)]!
      dense[i] = v
    }
    const sigBase = at * numPerm
    for (let i = 0; i < numPerm; i++) batch.signatures[sigBase + i] = dense[i]! & 0xff
    const keyBase = at * (bands + 1)
    for (let b = 0; b < bands; b++) batch.keys[keyBase + b] = bandKey(dense, b, b * rows, (b + 1) * rows)
    batch.keys[keyBase + bands] = bandKey(dense, bands, 0, numPerm)
  }
}

function bandKey(values: Uint32Array, band: number, from: number, to: number): number {
  let h = Math.imul(band + 1, 0x9e3779b1)
  for (let i = from; i < to; i++) h = Math.imul(h ^ values[i]!, 0x01000193)
  return mix32(h)
}

export function newBatch(shape: LshShape, count: number): SketchBatch {
  return {count, signatures: new Uint8Array(count * shape.numPerm), keys: new Uint32Array(count * (shape.bands + 1))}
}

/** One record's sketch as bytes (its signature, then its keys little-endian): what a shard logs for the merge. */
export function sketchBytes(shape: LshShape, batch: SketchBatch, i: number): Buffer {
  const k = shape.bands + 1
  const out = Buffer.alloc(shape.numPerm + 4 * k)
  out.set(batch.signatures.subarray(i * shape.numPerm, (i + 1) * shape.numPerm))
  for (let j = 0; j < k; j++) out.writeUInt32LE(batch.keys[i * k + j]!, shape.numPerm + 4 * j)
  return out
}

/** Records' sketches from their bytes (sketchBytes), as one batch; a wrong length means another shape. */
export function batchOfSketches(shape: LshShape, sketches: readonly Uint8Array[]): SketchBatch {
  const k = shape.bands + 1
  const batch = newBatch(shape, sketches.length)
  for (const [i, bytes] of sketches.entries()) {
    if (bytes.length !== shape.numPerm + 4 * k) throw new Error(`a sketch of ${bytes.length} bytes, expected ${shape.numPerm + 4 * k}`)
    batch.signatures.set(bytes.subarray(0, shape.numPerm), i * shape.numPerm)
    const view = new DataView(bytes.buffer, bytes.byteOffset + shape.numPerm, 4 * k)
    for (let j = 0; j < k; j++) batch.keys[i * k + j] = view.getUint32(4 * j, true)
  }
  return batch
}

/**
 * Bands × rows for a threshold: the most rows per band (fewest chance collisions between unrelated texts, each
 * a signature comparison) with just enough bands that two texts at the threshold share one with probability
 * ≥ 95%, 1 - (1 - t^r)^b (0.8: 7 rows × 13 bands, 95.3%; at 0.85 99.3%). Every band is a table lookup per
 * record and a key per kept record, so no more than needed; right at the threshold the signature's own
 * estimate decides only about half the pairs anyway.
 */
export function lshParams(threshold: number, numPerm: number): {bands: number; rows: number} {
  // Thresholds too low to reach 95% with numPerm bins get one row per band, every bin a band.
  let best = {bands: numPerm, rows: 1}
  for (let rows = 1; rows <= numPerm; rows++) {
    const bands = threshold === 1 ? 1 : Math.ceil(Math.log(0.05) / Math.log1p(-(threshold ** rows)))
    if (bands >= 1 && rows * bands <= numPerm) best = {bands, rows}
  }
  return best
}
