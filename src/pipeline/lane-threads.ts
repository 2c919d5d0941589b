import {availableParallelism} from 'node:os'

/**
 * How many threads read a CSV/TSV's rows for the plain-row lane, apart from convert-jobs.ts so that the warm
 * start (warm-start.ts) can ask before anything else loads.
 */

/**
 * Threads pay for their start-up only on a big file: on the 2-vCPU bench machine, one worker beside this thread
 * took a 24 MB CSV from 0.39–0.40 to 0.43–0.44 s, and gained from ~100 MB on (100 MB: 0.80–0.81 → 0.76–0.79 s).
 */
export const DEFAULT_THREADS_FROM = 96 << 20

/**
 * --jobs N is this thread and N - 1 workers. By default one thread a core, at most 4 (beyond that this thread's
 * share, dedup, writing and the output's sha256, is the bound), and one in a --shard task, which runs where a
 * scheduler put it, beside others on the node.
 */
export function laneThreads(jobs: number | undefined, shard: boolean): number {
  return jobs ?? (shard ? 1 : Math.min(availableParallelism(), 4))
}
