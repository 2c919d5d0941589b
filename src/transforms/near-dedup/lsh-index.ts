import {mix32, type LshShape, type SketchBatch} from './minhash.js'

/**
 * At most this many kept records are verified per record. Real text meets a handful; only degenerate input
 * (thousands of texts made of the same few words) reaches it, where it keeps the pass linear. The whole-
 * signature key is looked up first, so an identical earlier text is always found.
 */
const MAX_CANDIDATES = 100
/** Kept records per signature chunk: the store grows a chunk at a time, never copying what it holds. */
const CHUNK = 1 << 16

/**
 * One LSH key → kept-record ids table (open addressing, linear probing, a key may repeat). Key and id sit side
 * by side, so a probe touches one cache line; up to 3/4 full, then doubled.
 */
class KeyTable {
  private slots = new Uint32Array(2 << 10)
  private used = 0

  /** The first slot holding `key` (-1: none); walk on with next(). */
  first(key: number): number {
    return this.scan(key, mix32(key) & ((this.slots.length >>> 1) - 1))
  }

  next(key: number, slot: number): number {
    return this.scan(key, (slot + 1) & ((this.slots.length >>> 1) - 1))
  }

  id(slot: number): number {
    return this.slots[2 * slot + 1]! - 1
  }

  private scan(key: number, from: number): number {
    const {slots} = this
    const mask = (slots.length >>> 1) - 1
    for (let i = from; slots[2 * i + 1] !== 0; i = (i + 1) & mask) if (slots[2 * i] === key) return i
    return -1
  }

  add(key: number, id: number): void {
    if ((this.used + 1) * 4 > (this.slots.length >>> 1) * 3) this.rehash()
    this.put(this.slots, key, id + 1)
    this.used++
  }

  private put(slots: Uint32Array, key: number, stored: number): void {
    const mask = (slots.length >>> 1) - 1
    let i = mix32(key) & mask
    while (slots[2 * i + 1] !== 0) i = (i + 1) & mask
    slots[2 * i] = key
    slots[2 * i + 1] = stored
  }

  private rehash(): void {
    const old = this.slots
    this.slots = new Uint32Array(old.length * 2)
    for (let i = 0; i < old.length; i += 2) if (old[i + 1] !== 0) this.put(this.slots, old[i]!, old[i + 1]!)
  }
}

/**
 * The kept records' sketches: one key table per band plus one for the whole signature, and each record's
 * 8-bit-a-bin signature for verifying candidates. Per kept record that is numPerm bytes plus (bands + 1) ×
 * 10–16 bytes; texts are never held.
 */
export class LshIndex {
  private readonly tables: KeyTable[]
  private readonly chunks: Uint8Array[] = []
  /** The query that last verified each record, so a record met in several bands is compared once. */
  private seen = new Int32Array(1024)
  private query = 0
  count = 0

  constructor(private readonly shape: LshShape) {
    this.tables = Array.from({length: shape.bands + 1}, () => new KeyTable())
  }

  /** Set by nearest(): the estimated Jaccard similarity of the record it returned. */
  similarity = 0

  /**
   * The kept record most similar to row `at` of `batch` among those sharing a key with it (ties: the earliest),
   * or -1 when none does; its estimated Jaccard similarity is left in `similarity` (no object per record).
   */
  nearest(batch: SketchBatch, at: number): number {
    const {numPerm, bands} = this.shape
    const q = ++this.query
    const sigBase = at * numPerm
    let best = -1
    let bestSame = -1
    let verified = 0
    // The whole-signature key (stored last) first, then the bands; an identical signature ends the search.
    for (let n = 0; n <= bands && verified < MAX_CANDIDATES && bestSame < numPerm; n++) {
      const k = (n + bands) % (bands + 1)
      const table = this.tables[k]!
      const key = batch.keys[at * (bands + 1) + k]!
      for (let slot = table.first(key); slot !== -1 && verified < MAX_CANDIDATES; slot = table.next(key, slot)) {
        const id = table.id(slot)
        if (this.seen[id] === q) continue
        this.seen[id] = q
        verified++
        const chunk = this.chunks[Math.floor(id / CHUNK)]!
        const base = (id % CHUNK) * numPerm
        let same = 0
        for (let i = 0; i < numPerm; i++) if (chunk[base + i] === batch.signatures[sigBase + i]) same++
        if (same > bestSame || (same === bestSame && id < best)) [best, bestSame] = [id, same]
      }
    }
    // Unequal bins agree on 8 bits by chance 1 time in 256: take that share back out of the estimate.
    this.similarity = best === -1 ? 0 : bestSame === numPerm ? 1 : Math.max(0, (bestSame / numPerm - 1 / 256) / (1 - 1 / 256))
    return best
  }

  /** Keeps row `at` of `batch`; returns its id (0, 1, 2… in the order records are kept). */
  add(batch: SketchBatch, at: number): number {
    const {numPerm, bands} = this.shape
    const id = this.count++
    if (id % CHUNK === 0) this.chunks.push(new Uint8Array(CHUNK * numPerm))
    const chunk = this.chunks[this.chunks.length - 1]!
    const base = (id % CHUNK) * numPerm
    chunk.set(batch.signatures.subarray(at * numPerm, (at + 1) * numPerm), base)
    if (id === this.seen.length) {
      const bigger = new Int32Array(this.seen.length * 2)
      bigger.set(this.seen)
      this.seen = bigger
    }
    for (let k = 0; k <= bands; k++) this.tables[k]!.add(batch.keys[at * (bands + 1) + k]!, id)
    return id
  }
}
