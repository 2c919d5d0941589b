import {availableParallelism} from 'node:os'

import type {AlignedExample, Stage} from '../lf/types.js'
import type {CounterSpec} from '../tokenize/counter.js'
import {WorkerPool} from '../worker-pool.js'
import type {Length} from './encode.js'

/** What a worker needs: `counter` (shared BPE tables) when the main thread has one, else the spec to load. */
export interface WorkerSpec {
  tokenizer: string
  template: string
  stage: Stage
  counter?: CounterSpec
}

/**
 * Measures batches of examples on worker threads (length-worker.ts). Workers count with the main thread's BPE
 * tables in shared memory when it has them (no vocabulary parsing per worker), else each loads its own tokenizer.
 */
export class LengthPool {
  private readonly pool: WorkerPool<AlignedExample[], Length[]>

  constructor(spec: WorkerSpec, size = availableParallelism()) {
    this.pool = new WorkerPool(new URL('./length-worker.js', import.meta.url), spec, size, 'token counting')
  }

  get size(): number {
    return this.pool.size
  }

  measure(examples: AlignedExample[]): Promise<Length[]> {
    return this.pool.run(examples)
  }

  close(): Promise<void> {
    return this.pool.close()
  }
}
