import {availableParallelism} from 'node:os'

import type {AlignedExample, Stage} from '../lf/types.js'
import type {ChatTemplate} from '../templates/templates.js'
import type {CounterSpec} from '../tokenize/counter.js'
import {WorkerPool} from '../worker-pool.js'
import type {EncodeOptions, Measured} from './encode.js'

/** What a worker needs: `counter` (shared BPE tables) when the main thread has one, else the spec to load. */
export interface WorkerSpec {
  tokenizer: string
  /** The template with the run's switches applied (plain data, cloned into each worker). */
  template: ChatTemplate
  stage: Stage
  options: EncodeOptions
  counter?: CounterSpec
}

/**
 * Measures batches of examples on worker threads (length-worker.ts). Workers count with the main thread's BPE
 * tables in shared memory when it has them (no vocabulary parsing per worker), else each loads its own tokenizer.
 */
export class LengthPool {
  private readonly pool: WorkerPool<AlignedExample[], Measured[]>

  constructor(spec: WorkerSpec, size = availableParallelism()) {
    this.pool = new WorkerPool(new URL('./length-worker.js', import.meta.url), spec, size, 'token counting')
  }

  get size(): number {
    return this.pool.size
  }

  measure(examples: AlignedExample[]): Promise<Measured[]> {
    return this.pool.run(examples)
  }

  close(): Promise<void> {
    return this.pool.close()
  }
}
