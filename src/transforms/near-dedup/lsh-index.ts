import {mix32, type LshShape, type SketchBatch} from './minhash.js'

/**
 * The kept records' sketches: every band key in one open-addressing table (typed arrays, a key may repeat), and
 * each record's 16-bit signature for verifying candidates. Per kept record that is numPerm × 2 bytes plus
 * bands × 8–16 bytes (the table stays between a quarter and half full); texts are never held.
 */
export class LshIndex {
  private tableKeys = new Uint32Array(1 << 12)
  private tableIds = new Int32Array(1 << 12).fill(-1)
  private used = 0
  private signatures: Uint16Array
  /** The query that last verified each record, so a record met in several bands is compared once. */
  private seen: Int32Array
  private query = 0
  count = 0

  constructor(private readonly shape: LshShape) {
    this.signatures = new Uint16Array(shape.numPerm * 1024)
    this.seen = new Int32Array(1024).fill(-1)
  }

  /**
   * The kept record most similar to row `at` of `batch` among those sharing a band with it (ties: the earliest),
   * with its estimated similarity (the share of equal signature values); id -1 when no band is shared.
   */
  nearest(batch: SketchBatch, at: number): {id: number; similarity: number} {
    const {numPerm, bands} = this.shape
    const q = this.query++
    const mask = this.tableKeys.length - 1
    const sigBase = at * numPerm
    let best = -1
    let bestSame = -1
    for (let b = 0; b < bands; b++) {
      const key = batch.keys[at * bands + b]!
      for (let slot = mix32(key) & mask; this.tableIds[slot] !== -1; slot = (slot + 1) & mask) {
        const id = this.tableIds[slot]!
        if (this.tableKeys[slot] !== key || this.seen[id] === q) continue
        this.seen[id] = q
        let same = 0
        const base = id * numPerm
        for (let i = 0; i < numPerm; i++) if (this.signatures[base + i] === batch.signatures[sigBase + i]) same++
        if (same > bestSame || (same === bestSame && id < best)) [best, bestSame] = [id, same]
      }
    }
    return {id: best, similarity: best === -1 ? 0 : bestSame / numPerm}
  }

  /** Keeps row `at` of `batch`; returns its id (0, 1, 2… in the order records are kept). */
  add(batch: SketchBatch, at: number): number {
    const {numPerm, bands} = this.shape
    const id = this.count++
    if (this.count * numPerm > this.signatures.length) {
      this.signatures = grow(this.signatures, this.signatures.length * 2)
      this.seen = grow(this.seen, this.seen.length * 2)
      this.seen.fill(-1, this.seen.length / 2)
    }
    this.signatures.set(batch.signatures.subarray(at * numPerm, (at + 1) * numPerm), id * numPerm)
    if ((this.used + bands) * 2 > this.tableKeys.length) this.rehash(this.tableKeys.length * 2)
    for (let b = 0; b < bands; b++) this.insert(batch.keys[at * bands + b]!, id)
    return id
  }

  private insert(key: number, id: number): void {
    const mask = this.tableKeys.length - 1
    let slot = mix32(key) & mask
    while (this.tableIds[slot] !== -1) slot = (slot + 1) & mask
    this.tableKeys[slot] = key
    this.tableIds[slot] = id
    this.used++
  }

  private rehash(size: number): void {
    const [keys, ids] = [this.tableKeys, this.tableIds]
    this.tableKeys = new Uint32Array(size)
    this.tableIds = new Int32Array(size).fill(-1)
    this.used = 0
    for (let i = 0; i < keys.length; i++) if (ids[i] !== -1) this.insert(keys[i]!, ids[i]!)
  }
}

function grow<A extends Uint16Array | Int32Array>(a: A, size: number): A {
  const bigger = new (a.constructor as new (n: number) => A)(size)
  bigger.set(a)
  return bigger
}
