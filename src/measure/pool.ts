import {availableParallelism} from 'node:os'
import {Worker} from 'node:worker_threads'

import {LfdataError, ExitCode} from '../errors.js'
import type {AlignedExample, Stage} from '../lf/types.js'
import type {Length} from './encode.js'
import type {CounterSpec} from '../tokenize/counter.js'

/** What a worker needs: `counter` (shared BPE tables) when the main thread has one, else the spec to load. */
export interface WorkerSpec {
  tokenizer: string
  template: string
  stage: Stage
  counter?: CounterSpec
}

/**
 * Measures batches of examples on worker threads. Workers count with the main thread's BPE tables in shared
 * memory when it has them (no vocabulary parsing per worker), else each loads its own tokenizer. Callers keep
 * the number of batches in flight bounded and read results in submission order, so the pool never buffers the
 * input.
 */
export class LengthPool {
  private readonly workers: Worker[]
  private readonly waiting = new Map<number, {resolve: (l: Length[]) => void; reject: (e: Error) => void}>()
  private nextId = 0

  constructor(spec: WorkerSpec, size = availableParallelism()) {
    const url = new URL('./length-worker.js', import.meta.url)
    this.workers = Array.from({length: Math.max(1, size)}, () => {
      const w = new Worker(url, {workerData: spec})
      w.on('message', ({id, lengths, error}: {id: number; lengths?: Length[]; error?: string}) => {
        const p = this.waiting.get(id)
        this.waiting.delete(id)
        if (error) p?.reject(new LfdataError('E_WORKER', ExitCode.internal, `token counting failed: ${error}`))
        else p?.resolve(lengths!)
      })
      w.on('error', (error) => {
        for (const p of this.waiting.values()) p.reject(error)
        this.waiting.clear()
      })
      return w
    })
  }

  get size(): number {
    return this.workers.length
  }

  measure(examples: AlignedExample[]): Promise<Length[]> {
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.waiting.set(id, {resolve, reject})
      this.workers[id % this.workers.length]!.postMessage({id, examples})
    })
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()))
  }
}
