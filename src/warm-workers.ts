import {Worker} from 'node:worker_threads'

/**
 * Workers started before a command's modules load (bin/run.js → warm-start.ts). A worker takes ~0.1 s to be
 * ready (Node's own set-up, then its modules); started early, it spends that on another core while this
 * thread loads oclif and the command (~0.1 s too). A WorkerPool with no per-pool data adopts them
 * (worker-pool.ts); the ones no pool adopts are stopped by dropWarm.
 */
const warm = new Map<string, Worker[]>()

/** Starts `count` workers of `url` with no workerData: they must take what they need from each request. */
export function startWarm(url: URL, count: number): readonly Worker[] {
  const list = warm.get(url.href) ?? []
  warm.set(url.href, list)
  const started: Worker[] = []
  for (let i = 0; i < count; i++) {
    const worker = new Worker(url)
    // Waiting for a pool must not keep the process alive, nor may a failure end it: a worker that fails
    // before it is adopted leaves the list at its 'error' (its 'exit' comes a turn later, and a pool adopting
    // it in between would wait forever), and the pool starts a new one, whose failure it reports.
    worker.unref()
    const forget = () => list.includes(worker) && list.splice(list.indexOf(worker), 1)
    worker.on('error', forget)
    worker.once('exit', forget)
    list.push(worker)
    started.push(worker)
  }
  return started
}

/** A warm worker of `url` for a pool to adopt, or undefined. */
export function takeWarm(url: URL): Worker | undefined {
  const worker = warm.get(url.href)?.shift()
  worker?.ref()
  return worker
}

/** Stops the warm workers no pool adopted (the run did not need them). */
export async function dropWarm(): Promise<void> {
  const left = [...warm.values()].flatMap((list) => list.splice(0))
  await Promise.all(left.map((w) => w.terminate()))
}
