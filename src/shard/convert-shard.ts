import {mkdirSync} from 'node:fs'
import {stat} from 'node:fs/promises'
import {join} from 'node:path'

import {UsageError} from '../errors.js'
import {commitAll, writeFileAtomic} from '../io/atomic.js'
import {RejectsWriter} from '../io/rejects.js'
import type {Fingerprint, RowRef} from '../transforms/exact-dedup.js'
import {FingerprintSet} from '../transforms/fingerprint-set.js'
import type {Example, NearField} from '../transforms/example.js'
import {nearText} from '../transforms/near-dedup-stage.js'
import {nearShape} from '../transforms/near-dedup.js'
import {sketchBytes, type LshShape} from '../transforms/near-dedup/minhash.js'
import {packTexts} from '../transforms/near-dedup/shingles.js'
import {TextSketcher} from '../transforms/near-dedup/sketch.js'
import {shardSlices, type PlanOptions, type Slice} from './plan.js'
import {partName, type ShardSpec} from './spec.js'

/** Where a sharded convert keeps what `lfdata merge` needs; removed by the merge, so LF sees only the parts. */
export const WORK_DIR = '.lfdata-shard'

/**
 * One line of a shard's log, in input order: a record that reached dedup (`c`) or one dropped before (`d`).
 * `x: 1` marks an exact duplicate of an earlier record of the same shard: its first occurrence comes before it
 * in the global order too, so one process drops it whatever the other shards hold, and it is left out of the
 * part (the merge still decides its reject, whose first occurrence may lie in an earlier shard). With --dedup
 * near a candidate also carries `s`, its MinHash/LSH sketch (base64 of sketchBytes, 184 bytes at the default
 * shape), made here so that the merge only decides — hashing was the near merge's cost — and, only when a
 * --dedup-report is asked for, `t`: its compared text cut to the 300 characters a report shows.
 */
export type LogEntry =
  | {c: [hi: number, lo: number, source: number, line: number]; x?: 1; s?: string; t?: string; r?: Record<string, unknown>}
  | {d: Record<string, unknown>}

const REPORT_TEXT = 300
/** Candidates sketched together, and the most log lines held back while they wait (drops between them). */
const SKETCH_BATCH = 1024
const MAX_HELD = 4 * SKETCH_BATCH

/** What a shard tells the merge besides its log: identical in every shard of one run except the counts. */
export interface ShardMeta {
  lfdata_convert_shard: 1
  shard: ShardSpec
  /** Everything the shards must agree on (inputs with sizes, every option that changes the output). */
  run: Record<string, unknown>
  rejects: string | null
  dedup_report: string | null
  result: Record<string, unknown>
  records_in: number
  candidates: number
  dropped: Record<string, number>
  repaired: Record<string, number> | null
  part: {path: string; bytes: number; sha256: string}
}

export interface ShardRunOptions {
  dir: string
  shard: ShardSpec
  dedup: 'exact' | 'near' | 'none'
  nearFields: readonly NearField[]
  nearThreshold: number
  /** --dedup-report was asked for: candidates carry the start of their text. */
  report: boolean
  rejects?: string
  plan: PlanOptions
  /** A convert --jobs shard: its files are the run's own scratch, not fsynced (see PendingFile.create). */
  scratch: boolean
}

/**
 * A sharded convert's side of the contract: it reads its slices, writes its records before dedup to
 * DIR/part-I-of-N.jsonl and, per record in input order, a log line with the exact fingerprint, the near-dedup
 * text and (with --rejects) the input record, so the merge can replay dedup in global order.
 */
export class ShardRun {
  private readonly log: RejectsWriter
  private candidates = 0
  /** Near dedup: log lines held until their batch is sketched (in log order), and the texts to sketch. */
  private held: LogEntry[] = []
  private toSketch: {entry: Extract<LogEntry, {c: unknown}>; text: string}[] = []
  private readonly sketch?: {shape: LshShape; sketcher: TextSketcher}

  private constructor(readonly opts: ShardRunOptions, readonly slices: Slice[], readonly partPath: string) {
    mkdirSync(join(opts.dir, WORK_DIR), {recursive: true})
    this.log = new RejectsWriter(this.logPath, {durable: !opts.scratch})
    if (opts.dedup === 'near') {
      const shape = nearShape({threshold: opts.nearThreshold})
      this.sketch = {shape, sketcher: new TextSketcher(shape)}
    }
  }

  /** A log line, in order: at once, or held until the candidates before it are sketched. */
  private write(entry: LogEntry): void {
    if (!this.sketch) {
      // The commonest line, a bare candidate, is written without JSON.stringify (7x faster; same text).
      if ('c' in entry && entry.r === undefined) this.log.addLine(`{"c":[${entry.c.join(',')}]${entry.x ? ',"x":1' : ''}}\n`)
      else this.log.add(entry)
      return
    }
    this.held.push(entry)
    if (this.toSketch.length >= SKETCH_BATCH || this.held.length >= MAX_HELD) this.flush()
  }

  /** Sketches the held candidates in one batch and writes the held lines in order. */
  private flush(): void {
    if (this.sketch && this.toSketch.length > 0) {
      const {shape, sketcher} = this.sketch
      const batch = sketcher.sketch(packTexts(this.toSketch.map((c) => c.text)))
      for (const [i, c] of this.toSketch.entries()) c.entry.s = sketchBytes(shape, batch, i).toString('base64')
    }
    for (const entry of this.held) this.log.add(entry)
    this.held = []
    this.toSketch = []
  }

  static async open(opts: ShardRunOptions, files: string[]): Promise<ShardRun> {
    const slices = await shardSlices(files, opts.shard, opts.plan)
    mkdirSync(opts.dir, {recursive: true})
    return new ShardRun(opts, slices, join(opts.dir, `${partName(opts.shard)}.jsonl`))
  }

  get logPath(): string {
    return join(this.opts.dir, WORK_DIR, `${partName(this.opts.shard)}.log.jsonl`)
  }

  /** A record dropped before dedup: kept in the log only when the merge will write rejects. */
  drop(entry: Record<string, unknown>): void {
    if (this.opts.rejects) this.write({d: entry})
  }

  /**
   * Step in place of dedup: logs every record that reaches it and keeps it for the part, except exact
   * duplicates within the shard (with any dedup), which never change the merge's answer and so need no copying.
   * `example` is there for near dedup's text (a pre-encoded CSV row has none, and never runs with --dedup near).
   */
  candidate(sourceIndex: (source: string) => number): (fp: Fingerprint, at: RowRef, example?: Example) => boolean {
    const {opts} = this
    const local = opts.dedup === 'none' ? undefined : new FingerprintSet()
    return (fp, at, example) => {
      const source = sourceIndex(at.source)
      const entry: LogEntry = {c: [fp.hi, fp.lo, source, at.line]}
      const repeated = local?.addOrGet(fp.hi, fp.lo, source, at.line) !== undefined
      if (repeated) entry.x = 1
      // A sketch only for what the near stage will see: exact duplicates never reach it.
      else if (opts.dedup === 'near') {
        if (!example) throw new Error('near dedup needs the example of every candidate')
        const text = nearText(example, opts.nearFields)
        this.toSketch.push({entry, text})
        if (opts.report) entry.t = text.slice(0, REPORT_TEXT)
      }
      if (opts.rejects) entry.r = at.row().record
      this.write(entry)
      this.candidates++
      return !repeated
    }
  }

  async commit(meta: Omit<ShardMeta, 'lfdata_convert_shard' | 'shard' | 'candidates' | 'part'>, sha256: string): Promise<string> {
    this.flush()
    this.log.finish()
    await commitAll([this.log.file])
    const full: ShardMeta = {
      lfdata_convert_shard: 1, shard: this.opts.shard, ...meta, candidates: this.candidates,
      part: {path: this.partPath, bytes: (await stat(this.partPath)).size, sha256},
    }
    const path = join(this.opts.dir, WORK_DIR, `${partName(this.opts.shard)}.json`)
    await writeFileAtomic(path, JSON.stringify(full) + '\n', {durable: !this.opts.scratch})
    return path
  }

  abort(): void {
    this.log.abort()
  }
}

/** Flags that cannot be combined with --shard. */
export function checkShardable(opts: {output: string; limit?: number}): void {
  if (opts.limit !== undefined) throw new UsageError('--limit cannot be sharded (it counts records from the start of the whole input)')
  if (opts.output === '-' || /\.(jsonl|json|arrow)$/i.test(opts.output)) {
    throw new UsageError('with --shard, -o names a folder: each shard writes DIR/part-I-of-N.jsonl', {suggestion: 'lfdata convert INPUT... -o out/ --shard 0/4, then lfdata merge out/'})
  }
}
