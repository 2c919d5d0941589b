import {fork} from 'node:child_process'
import {mkdtemp, rm} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'

import {LfdataError, type ExitCode} from '../errors.js'
import type {ConvertOptions, ConvertResult} from './convert-types.js'
import {laneThreads} from './lane-threads.js'
import type {Progress, Reporter} from '../reporter.js'

/** How a convert uses more than one core: worker threads for the plain-row lane, or shard processes, or neither. */
export interface Parallelism {
  threads: number
  processes: number
}

/**
 * The lane's rows are read on threads (transforms/plain-csv-read.ts; how many: lane-threads.ts). Other
 * shardable runs take --jobs as shard processes, by default one: measured on 2 shared cores, --jobs 2 as
 * processes only matched one process (README, Performance).
 */
export function jobsFor(opts: ConvertOptions, files: string[], totalBytes: number | undefined, lane: boolean): Parallelism {
  if (lane && files.every((f) => f !== '-')) return {threads: laneThreads(opts.jobs, opts.shard !== undefined), processes: 1}
  // One file that cannot be cut (gzip, a JSON array, …) would leave every worker but one idle.
  const splits = files.length > 1 || /\.(csv|tsv|tab|jsonl|ndjson|parquet|arrow|feather|ipc)$/i.test(files[0] ?? '')
  const shardable = splits && opts.shard === undefined && opts.limit === undefined && totalBytes !== undefined && /\.jsonl$/i.test(opts.output) && !files.includes('-')
  return {threads: 1, processes: shardable ? opts.jobs ?? 1 : 1}
}

interface ChildReply {
  result?: ConvertResult
  infos?: string[]
  warnings?: string[]
  error?: {code: string; exit: number; message: string; suggestion?: string}
}

function runChild(opts: ConvertOptions): Promise<ChildReply> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL('./convert-job-child.js', import.meta.url), [], {stdio: ['ignore', 'ignore', 'inherit', 'ipc'], serialization: 'advanced'})
    let reply: ChildReply | undefined
    child.once('message', (m) => (reply = m as ChildReply))
    child.once('error', reject)
    child.once('exit', (code) => (reply ? resolve(reply) : reject(new Error(`convert worker exited with code ${code} without a result`))))
    child.send(opts)
  })
}

/**
 * Shard 0 converted in this process, so it works while its children do (one process start-up fewer). Its
 * progress, times N, is the run's: the shards are equal byte ranges read at the same pace.
 */
async function runHere(opts: ConvertOptions, convertShard: ConvertShard, jobs: number, reporter: Reporter): Promise<ChildReply> {
  const infos: string[] = []
  const warnings: string[] = []
  const progress = (p: Progress) => reporter.progress({...p, done: p.done * jobs, bytesDone: p.bytesDone === undefined ? undefined : Math.min(p.bytesDone * jobs, p.bytesTotal ?? Infinity)})
  try {
    const result = await convertShard(opts, {warn: (m) => warnings.push(m), info: (m) => infos.push(m), progress, finish() {}})
    return {result, infos, warnings}
  } catch (error) {
    if (error instanceof LfdataError) return {error: {code: error.code, exit: error.exit, message: error.message, suggestion: error.suggestion}}
    throw error
  }
}

/**
 * This process starts converting shard 0 while each child is still starting up (~0.2 s of a ~0.5 s shard of
 * 100 MB on 2 cores), so shard 0 gets PARENT_HEAD shares more than a child's one: --jobs 2 splits 58/42,
 * which measured (npm run bench -- convert-jobs) makes both finish together.
 */
const PARENT_HEAD = 0.4

function shareOf(index: number, jobs: number): {from: number; to: number} {
  const unit = 1 / (jobs + PARENT_HEAD)
  const edge = (i: number) => (i === 0 ? 0 : i >= jobs ? 1 : (i + PARENT_HEAD) * unit)
  return {from: edge(index), to: edge(index + 1)}
}

/** convert() itself, passed in by its caller (convert.ts imports this module, not the other way round). */
export type ConvertShard = (opts: ConvertOptions, reporter: Reporter) => Promise<ConvertResult>

/**
 * convert --jobs N: the sharded run inside one machine. This process converts shard 0 and N-1 child
 * processes the others, each into a temp folder beside the output (each reads its own byte range); then this
 * process replays dedup over their logs in input order and writes the one output file — byte-identical to
 * --jobs 1.
 */
export async function convertWithJobs(opts: ConvertOptions, jobs: number, reporter: Reporter, convertShard: ConvertShard): Promise<ConvertResult> {
  const started = Date.now()
  const dir = await mkdtemp(join(dirname(opts.output), `.lfdata-jobs-${basename(opts.output)}-`))
  try {
    const shard = (index: number): ConvertOptions => ({...opts, output: dir, shard: {index, count: jobs, share: shareOf(index, jobs)}, jobs: 1, scratch: true})
    const replies = await Promise.all(Array.from({length: jobs}, (_, index) => (index === 0 ? runHere(shard(0), convertShard, jobs, reporter) : runChild(shard(index)))))
    const failed = replies.find((r) => r.error)?.error
    if (failed) throw new LfdataError(failed.code, failed.exit as ExitCode, failed.message, {suggestion: failed.suggestion})
    for (const m of replies[0]!.infos ?? []) reporter.info(m)
    for (const r of replies) for (const w of r.warnings ?? []) reporter.warn(w)
    const {mergeShards} = await import('./merge.js')
    const merged = await mergeShards(dir, reporter, opts.output)
    const {parts: _parts, ...result} = merged
    return {...result, seconds: (Date.now() - started) / 1000}
  } finally {
    await rm(dir, {recursive: true, force: true})
  }
}
