import {Worker, type TransferListItem} from 'node:worker_threads'

import {ExitCode, LfdataError} from './errors.js'
import {takeWarm} from './warm-workers.js'

/**
 * The one worker-thread pool (token counting in measure/pool.ts, near-duplicate hashing in
 * transforms/near-dedup/sketch-pool.ts): requests go to the workers in turn and each answer is matched to its
 * request by id. Order and bounds are the caller's: it feeds work through p-map's pMapIterable (in order, a
 * fixed number in flight), so the pool never buffers the input. That replaced two hand-written pools and
 * ordered windows with no loss (`npm run bench`, 48 MB, alternating runs on the loaded 2-core machine):
 * dedup 8.95 → 14.7 MB/s median of 4, stats 2.60 → 2.61 × the Rust tokenizer median of 3.
 */
export class WorkerPool<Request, Reply> {
  private readonly workers: Worker[]
  private readonly waiting = new Map<number, {resolve: (r: Reply) => void; reject: (e: Error) => void}>()
  private nextId = 0

  /**
   * `what` names the work in the error a failing worker raises ("token counting failed: …"). A pool with no
   * workerData adopts workers started early for `url` (warm-workers.ts) before it starts new ones.
   */
  constructor(url: URL, workerData: unknown, size: number, what: string) {
    this.workers = Array.from({length: Math.max(1, size)}, () => {
      const w = (workerData === undefined ? takeWarm(url) : undefined) ?? new Worker(url, {workerData})
      w.on('message', ({id, reply, error}: {id: number; reply?: Reply; error?: string}) => {
        const p = this.waiting.get(id)
        this.waiting.delete(id)
        if (error !== undefined) p?.reject(new LfdataError('E_WORKER', ExitCode.internal, `${what} failed: ${error}`))
        else p?.resolve(reply!)
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

  /** `transfer`: buffers moved to the worker instead of copied. */
  run(request: Request, transfer: readonly TransferListItem[] = []): Promise<Reply> {
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.waiting.set(id, {resolve, reject})
      this.workers[id % this.workers.length]!.postMessage({id, request}, [...transfer])
    })
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()))
  }
}
