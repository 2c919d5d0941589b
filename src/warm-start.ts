import {statSync} from 'node:fs'

import {DEFAULT_THREADS_FROM, laneThreads} from './pipeline/lane-threads.js'
import {LANE_WORKER} from './transforms/lane-worker.js'
import {startWarm} from './warm-workers.js'

/**
 * Called by bin/run.js with the raw arguments, before oclif and the command load (~0.1 s on the bench
 * machine): starts the workers the command will most likely want, so that their own start-up (~0.1 s) runs
 * on other cores meanwhile. Today that is `convert` of a CSV/TSV, whose rows the lane reads on threads:
 * --jobs N, or by default a file of DEFAULT_THREADS_FROM bytes or more. This is a guess from the words alone
 * (an argument naming a .csv/.tsv file is taken for an input); convert decides for real, adopts these
 * workers (worker-pool.ts) and drops the ones it does not use. A wrong guess costs one idle worker's
 * start-up on another core.
 */
export function warmStart(argv: readonly string[]): void {
  const count = laneWorkersFor(argv)
  if (count > 0) startWarm(LANE_WORKER, count)
}

/** How many lane workers the arguments most likely want: the guess warmStart acts on. */
export function laneWorkersFor(argv: readonly string[]): number {
  if (argv[0] !== 'convert') return 0
  const jobs = jobsOf(argv)
  const threads = laneThreads(jobs, argv.some((a) => a === '--shard' || a.startsWith('--shard=')))
  if (threads < 2) return 0
  const enough = jobs === undefined ? DEFAULT_THREADS_FROM : 0
  return argv.some((a) => /\.(csv|tsv|tab)$/i.test(a) && sizeOf(a) >= enough) ? threads - 1 : 0
}

/** --jobs N or --jobs=N when N is a whole number (oclif reports anything else, later). */
function jobsOf(argv: readonly string[]): number | undefined {
  const at = argv.findIndex((a) => a === '--jobs' || a.startsWith('--jobs='))
  if (at < 0) return undefined
  const text = argv[at] === '--jobs' ? argv[at + 1] : argv[at]!.slice('--jobs='.length)
  return /^\d+$/.test(text ?? '') ? Number(text) : undefined
}

/** The size of a regular file, else -1. */
function sizeOf(path: string): number {
  try {
    const stats = statSync(path)
    return stats.isFile() ? stats.size : -1
  } catch {
    return -1
  }
}
