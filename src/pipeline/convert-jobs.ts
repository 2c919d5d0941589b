import {fork} from 'node:child_process'
import {mkdtemp, rm} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'

import {LfdataError, type ExitCode} from '../errors.js'
import type {ConvertOptions, ConvertResult} from './convert-types.js'
import type {Reporter} from '../reporter.js'

/** How many processes a convert uses: --jobs when the shard machinery can split the input, else one. */
export function jobsFor(opts: ConvertOptions, files: string[], totalBytes: number | undefined): number {
  // One file that cannot be cut (gzip, Parquet, …) would leave every worker but one idle.
  const splits = files.length > 1 || /\.(csv|tsv|tab|jsonl|ndjson)$/i.test(files[0] ?? '')
  const shardable = splits && opts.shard === undefined && opts.limit === undefined && totalBytes !== undefined && /\.jsonl$/i.test(opts.output) && !files.includes('-')
  if (!shardable) return 1
  // Default one process: measured on 2 shared cores, --jobs 2 was slower than --jobs 1 (README, Performance).
  return opts.jobs ?? 1
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
 * convert --jobs N: the sharded run inside one machine. N child processes each convert shard i/N of the
 * inputs into a temp folder beside the output (each reads its own byte range), then this process replays
 * dedup over their logs in input order and writes the one output file — byte-identical to --jobs 1.
 */
export async function convertWithJobs(opts: ConvertOptions, jobs: number, reporter: Reporter): Promise<ConvertResult> {
  const started = Date.now()
  const dir = await mkdtemp(join(dirname(opts.output), `.lfdata-jobs-${basename(opts.output)}-`))
  try {
    const replies = await Promise.all(Array.from({length: jobs}, (_, index) => runChild({...opts, output: dir, shard: {index, count: jobs}, jobs: 1})))
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
