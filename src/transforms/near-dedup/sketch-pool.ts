import {WorkerPool} from '../../worker-pool.js'
import type {LshShape, SketchBatch} from './minhash.js'
import {packTexts, type PackedTexts} from './shingles.js'

/** A worker's answer: the batch's sketches, and the texts' buffer handed back for reuse. */
export interface SketchReply {
  batch: SketchBatch
  spare: ArrayBuffer
}

/** Sketches batches of texts on worker threads (sketch-worker.ts). */
export class SketchPool {
  private readonly pool: WorkerPool<PackedTexts, SketchReply>
  /** Text buffers the workers gave back, for the next batches. */
  private readonly spares: ArrayBuffer[] = []

  constructor(shape: LshShape, size: number) {
    this.pool = new WorkerPool(new URL('./sketch-worker.js', import.meta.url), shape, size, 'near-duplicate hashing')
  }

  /** The texts travel packed (packTexts) and are moved, not copied: cloning strings cost the main thread more than hashing them. */
  async sketch(texts: readonly string[]): Promise<SketchBatch> {
    const packed = packTexts(texts, this.spares.pop())
    const {batch, spare} = await this.pool.run(packed, [packed.units.buffer as ArrayBuffer, packed.lengths.buffer as ArrayBuffer])
    this.spares.push(spare)
    return batch
  }

  close(): Promise<void> {
    return this.pool.close()
  }
}
