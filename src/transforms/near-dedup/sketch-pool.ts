import {Worker} from 'node:worker_threads'

import {ExitCode, LfdataError} from '../../errors.js'
import type {LshShape, SketchBatch} from './minhash.js'
import {packTexts} from './shingles.js'

/**
 * Sketches batches of texts on worker threads, round robin. The caller bounds the batches in flight and
 * awaits them in submission order, so decisions stay in input order (first wins) and memory stays bounded.
 */
export class SketchPool {
  private readonly workers: Worker[]
  private readonly waiting = new Map<number, {resolve: (b: SketchBatch) => void; reject: (e: Error) => void}>()
  private nextId = 0
  /** Text buffers the workers gave back, for the next batches. */
  private readonly spares: ArrayBuffer[] = []

  constructor(shape: LshShape, size: number) {
    const url = new URL('./sketch-worker.js', import.meta.url)
    this.workers = Array.from({length: size}, () => {
      const w = new Worker(url, {workerData: shape})
      w.on('message', ({id, batch, spare, error}: {id: number; batch?: SketchBatch; spare?: ArrayBuffer; error?: string}) => {
        if (spare) this.spares.push(spare)
        const p = this.waiting.get(id)
        this.waiting.delete(id)
        if (error !== undefined) p?.reject(new LfdataError('E_WORKER', ExitCode.internal, `near-duplicate hashing failed: ${error}`))
        else p?.resolve(batch!)
      })
      w.on('error', (error) => {
        for (const p of this.waiting.values()) p.reject(error)
        this.waiting.clear()
      })
      return w
    })
  }

  /** The texts travel packed (packTexts) and are moved, not copied: cloning strings cost the main thread more than hashing them. */
  sketch(texts: readonly string[]): Promise<SketchBatch> {
    const id = this.nextId++
    const packed = packTexts(texts, this.spares.pop())
    return new Promise((resolve, reject) => {
      this.waiting.set(id, {resolve, reject})
      this.workers[id % this.workers.length]!.postMessage({id, packed}, [packed.units.buffer as ArrayBuffer, packed.lengths.buffer as ArrayBuffer])
    })
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()))
  }
}
