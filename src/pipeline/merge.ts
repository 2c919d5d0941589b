import {createHash} from 'node:crypto'
import {createReadStream} from 'node:fs'
import {readdir, readFile, rm, stat} from 'node:fs/promises'
import {join} from 'node:path'

import {InputError, UsageError} from '../errors.js'
import {commitAll, writeFileAtomic, type PendingFile} from '../io/atomic.js'
import {pendingManifest, manifestPathFor, type Manifest} from '../io/manifest.js'
import {RejectsWriter} from '../io/rejects.js'
import {RecordSink} from '../io/sink.js'
import type {RecordEncoder, Row} from '../io/types.js'
import type {Reporter} from '../reporter.js'
import {WORK_DIR, type LogEntry, type ShardMeta} from '../shard/convert-shard.js'
import {partName, type ShardSpec} from '../shard/spec.js'
import type {DropFn, NearField} from '../transforms/example.js'
import {FingerprintSet} from '../transforms/fingerprint-set.js'
import {nearDedupStage} from '../transforms/near-dedup-stage.js'
import {nearShape} from '../transforms/near-dedup.js'
import {batchOfSketches} from '../transforms/near-dedup/minhash.js'
import {VERSION} from '../version.js'
import type {ConvertResult} from './convert-types.js'

export interface MergeResult extends Omit<ConvertResult, 'shard'> {
  parts: {path: string; bytes: number; records: number}[]
}

export interface MergePartitionResult {
  partition: ShardSpec
  candidates: number
  duplicates: number
  file: string
}

/** One record that reached dedup in some shard. Its Row is made only when a drop or the near stage asks. */
class Candidate {
  private made?: Row

  constructor(
    private readonly files: string[],
    readonly shard: number,
    readonly ordinal: number,
    readonly hi: number,
    readonly lo: number,
    /** Its input's index in the run's inputs. */
    readonly source: number,
    readonly line: number,
    /** Its line in its shard's part, counted from 0; -1 when the shard left it out (a duplicate within the shard). */
    readonly partLine: number,
    readonly text = '',
    /** Its near-dedup sketch as its shard logged it (base64), with --dedup near. */
    readonly sketch = '',
    private readonly record?: Row['record'],
  ) {}

  get row(): Row {
    return (this.made ??= {source: this.files[this.source] ?? '?', line: this.line, record: this.record ?? NO_RECORD})
  }
}

const CHUNK = 1 << 20

/** Complete lines of a file, a chunk's worth at a time (fewer async steps than a line each), without their "\n". */
async function* lineBatches(path: string): AsyncGenerator<string[]> {
  let carry = ''
  for await (const raw of createReadStream(path, {highWaterMark: CHUNK, encoding: 'utf8'})) {
    const lines = (carry + (raw as string)).split('\n')
    carry = lines.pop()!
    yield lines.filter((l) => l.length > 0)
  }
  if (carry) yield [carry]
}

async function* lines(path: string): AsyncGenerator<string> {
  for await (const batch of lineBatches(path)) yield* batch
}

/** The shards' summaries, checked to be every shard 0..N-1 of one run, each part as that shard wrote it. */
async function readShards(dir: string, verify = true): Promise<ShardMeta[]> {
  const work = join(dir, WORK_DIR)
  let names: string[]
  try {
    names = (await readdir(work)).filter((n) => /^part-\d+-of-\d+\.json$/.test(n))
  } catch {
    throw new UsageError(`no sharded convert output in ${dir}`, {code: 'E_NOT_FOUND', suggestion: 'run lfdata convert INPUT... -o DIR --shard I/N for every shard first'})
  }
  const metas = await Promise.all(names.map(async (n) => JSON.parse(await readFile(join(work, n), 'utf8')) as ShardMeta))
  if (metas.length === 0) throw new UsageError(`no shard summaries in ${work}`, {code: 'E_NOT_FOUND'})
  metas.sort((a, b) => a.shard.index - b.shard.index)
  const count = metas[0]!.shard.count
  const run = JSON.stringify(metas[0]!.run)
  for (const m of metas) {
    if (m.shard.count !== count || JSON.stringify(m.run) !== run) {
      throw new InputError('E_SHARD_MISMATCH', `shard ${m.shard.index}/${m.shard.count} is from a different run (inputs, flags or shard count differ)`, {
        location: {file: join(work, `${partName(m.shard)}.json`)}, suggestion: 'convert every shard with the same inputs and flags into a fresh folder',
      })
    }
  }
  const have = new Set(metas.map((m) => m.shard.index))
  const missing = Array.from({length: count}, (_, i) => i).filter((i) => !have.has(i))
  if (missing.length > 0) throw new UsageError(`missing shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${count}`).join(', ')} in ${dir}`, {suggestion: 'run the missing shards (or check they finished without error), then merge again'})
  for (const m of verify ? metas : []) {
    const sha = createHash('sha256')
    for await (const chunk of createReadStream(m.part.path)) sha.update(chunk as Buffer)
    if (sha.digest('hex') !== m.part.sha256) {
      throw new InputError('E_SHARD_PART', 'part is not the one its shard wrote (edited, or a merge was interrupted while renaming)', {
        location: {file: m.part.path}, suggestion: `rerun lfdata convert … --shard ${m.shard.index}/${count}, then merge again`,
      })
    }
  }
  return metas
}

/** A record its shard dropped before dedup, as logged (with --rejects): written in its place in the order. */
interface Rejected {
  rejected: Record<string, unknown>
}

/**
 * Every shard's log replayed in global input order, a chunk's worth at a time: candidates, and rejected rows
 * in their places. `partLines[i]` counts shard i's lines in its part as its log is read (complete when the
 * log is).
 */
async function* candidateBatches(dir: string, metas: ShardMeta[], partLines: number[] = []): AsyncGenerator<(Candidate | Rejected)[]> {
  const files = (metas[0]!.run.inputs as {path: string}[]).map((i) => i.path)
  let ordinal = 0
  for (const [i, m] of metas.entries()) {
    let inPart = 0
    let carry: Buffer | undefined
    const path = join(dir, WORK_DIR, `${partName(m.shard)}.log.jsonl`)
    const take = (out: (Candidate | Rejected)[], buf: Buffer, start: number, end: number) => {
      if (plainCandidate(buf, start, end)) {
        const {c, x} = parsed
        out.push(new Candidate(files, m.shard.index, ordinal++, c[0]!, c[1]!, c[2]!, c[3]!, x ? -1 : inPart++))
        return
      }
      const entry = JSON.parse(buf.toString('utf8', start, end)) as LogEntry
      if ('d' in entry) {
        out.push({rejected: entry.d})
        return
      }
      const [hi, lo, source, line] = entry.c
      out.push(new Candidate(files, m.shard.index, ordinal++, hi, lo, source, line, entry.x ? -1 : inPart++, entry.t, entry.s, entry.r))
    }
    // Lines are found, and the common ones read, in the bytes: no string per line.
    for await (const chunk of createReadStream(path, {highWaterMark: CHUNK})) {
      const buf = carry ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer)
      const out: (Candidate | Rejected)[] = []
      let start = 0
      for (let nl = buf.indexOf(10); nl !== -1; nl = buf.indexOf(10, start)) {
        if (nl > start) take(out, buf, start, nl)
        start = nl + 1
      }
      carry = start < buf.length ? buf.subarray(start) : undefined
      yield out
    }
    if (carry) {
      const out: (Candidate | Rejected)[] = []
      take(out, carry, 0, carry.length)
      yield out
    }
    partLines[i] = inPart
  }
}

/** The record of a candidate whose shard logged none (no --rejects): never written, shared. */
const NO_RECORD: Row['record'] = Object.freeze(Object.create(null) as Row['record'])

const PLAIN_PREFIX = Buffer.from('{"c":[')
const PLAIN_X = Buffer.from(',"x":1}')

/** What plainCandidate read (one object, reused: the merge reads ~1M log lines a GB). */
const parsed = {c: new Float64Array(4), x: false}

/**
 * Reads a log line of the commonest shape, `{"c":[hi,lo,source,line]}` (optionally with `,"x":1`), from its
 * bytes into `parsed` (a string and JSON.parse for each took 3x as long); false for any other line, which
 * JSON.parse reads.
 */
function plainCandidate(buf: Buffer, start: number, end: number): boolean {
  if (end - start < PLAIN_PREFIX.length || buf.compare(PLAIN_PREFIX, 0, PLAIN_PREFIX.length, start, start + PLAIN_PREFIX.length) !== 0) return false
  const {c} = parsed
  let k = 0
  let n = 0
  let i = start + PLAIN_PREFIX.length
  for (; i < end; i++) {
    const ch = buf[i]!
    if (ch >= 0x30 && ch <= 0x39) n = n * 10 + (ch - 0x30)
    else if ((ch === 0x2c || ch === 0x5d) && k < 4) {
      c[k++] = n
      n = 0
      if (ch === 0x5d) break
    } else return false
  }
  if (k !== 4) return false
  const rest = end - i - 1
  if (rest === 1 && buf[i + 1] === 0x7d) parsed.x = false
  else if (rest === PLAIN_X.length && buf.compare(PLAIN_X, 0, PLAIN_X.length, i + 1, end) === 0) parsed.x = true
  else return false
  return true
}

/** The candidates one by one; a rejected row goes to `onReject` when the reading passes it. */
async function* candidatesOf(batches: AsyncIterable<(Candidate | Rejected)[]>, onReject?: (entry: Record<string, unknown>) => void): AsyncGenerator<Candidate> {
  for await (const batch of batches) {
    for (const c of batch) {
      if ('rejected' in c) onReject?.(c.rejected)
      else yield c
    }
  }
}

const partitionFile = (dir: string, p: ShardSpec) => join(dir, WORK_DIR, `dups-${partName(p)}.jsonl`)

/**
 * `lfdata merge DIR --shard I/M`: the exact duplicates among the fingerprints of hash partition I (lo mod M),
 * first occurrence wins, as a sorted list of global record ordinals. Each task holds 1/M of the fingerprints.
 */
export async function mergePartition(dir: string, partition: ShardSpec): Promise<MergePartitionResult> {
  const metas = await readShards(dir)
  const run = metas[0]!.run
  if ((run.options as {dedup: string}).dedup === 'none') throw new UsageError('this run has --dedup none: there is nothing to partition', {suggestion: `lfdata merge ${dir}`})
  const seen = new FingerprintSet()
  const out = new RejectsWriter(partitionFile(dir, partition))
  let n = 0
  let duplicates = 0
  try {
    out.add({run: JSON.stringify(run), partition})
    for await (const c of candidatesOf(candidateBatches(dir, metas))) {
      if ((c.lo >>> 0) % partition.count !== partition.index) continue
      n++
      const first = seen.addOrGet(c.hi, c.lo, c.source, c.line)
      if (first) {
        duplicates++
        out.add({k: c.ordinal, s: first.source, l: first.line})
      }
    }
    out.finish()
    await commitAll([out.file])
  } catch (error) {
    out.abort()
    throw error
  }
  return {partition, candidates: n, duplicates, file: partitionFile(dir, partition)}
}

type First = {source: number; line: number} | undefined

/** The exact-duplicate decisions: from complete partition files when there are some, else a fingerprint set here (synchronous: no await a record). */
async function exactDecider(dir: string, run: Record<string, unknown>): Promise<(c: Candidate) => First | Promise<First>> {
  const names = (await readdir(join(dir, WORK_DIR))).filter((n) => n.startsWith('dups-'))
  const counts = [...new Set(names.map((n) => Number(/-of-(\d+)\.jsonl$/.exec(n)?.[1])))].filter((m) => m > 0)
  for (const m of counts) {
    const parts = Array.from({length: m}, (_, i) => partitionFile(dir, {index: i, count: m}))
    const have = new Set(names.map((n) => join(dir, WORK_DIR, n)))
    if (!parts.every((p) => have.has(p))) continue
    const readers = parts.map((p) => lines(p)[Symbol.asyncIterator]())
    const heads: ({k: number; s: number; l: number} | undefined)[] = []
    for (const [i, r] of readers.entries()) {
      const header = JSON.parse(((await r.next()).value as string | undefined) ?? '{}') as {run?: string}
      if (header.run !== JSON.stringify(run)) throw new InputError('E_SHARD_MISMATCH', 'partition file is from a different run', {location: {file: parts[i]}, suggestion: 'rerun lfdata merge DIR --shard I/M for every partition'})
      heads.push(undefined)
    }
    const next = async (i: number) => {
      const v = await readers[i]!.next()
      heads[i] = v.done ? {k: Infinity, s: 0, l: 0} : (JSON.parse(v.value) as {k: number; s: number; l: number})
    }
    for (let i = 0; i < m; i++) await next(i)
    return async (c) => {
      const i = (c.lo >>> 0) % m
      if (heads[i]!.k !== c.ordinal) return undefined
      const hit = heads[i]!
      await next(i)
      return {source: hit.s, line: hit.l}
    }
  }
  const seen = new FingerprintSet()
  return (c) => seen.addOrGet(c.hi, c.lo, c.source, c.line)
}

const NEWLINE = Buffer.from('\n')
const rawBytes: RecordEncoder = {start: () => '', encode: (r) => r.bytes as Buffer, finish: () => ''}

/**
 * Copies a part to `to.write` without the lines numbered in `drops` (ascending), in slices as long as the
 * chunks read rather than a line at a time; checks the part has `expected` lines and, given `to.verify`, the
 * sha256 its shard recorded. Returns the bytes kept.
 */
async function copyPart(path: string, drops: number[], expected: number, to: {write: (bytes: Buffer) => Promise<void>; verify?: string; shard: ShardSpec}): Promise<number> {
  const suggestion = `rerun lfdata convert … --shard ${to.shard.index}/${to.shard.count} for this part, then merge again`
  const sha = to.verify ? createHash('sha256') : undefined
  let line = 0
  let next = 0 // index in drops of the next line to leave out
  let kept = 0
  const emit = async (bytes: Buffer) => {
    if (bytes.length === 0) return
    kept += bytes.length
    await to.write(bytes)
  }
  let carry: Buffer | undefined
  for await (const raw of createReadStream(path, {highWaterMark: CHUNK})) {
    sha?.update(raw as Buffer)
    const chunk = carry ? Buffer.concat([carry, raw as Buffer]) : (raw as Buffer)
    let from = 0 // start of what is still to be written
    let start = 0 // start of the current line
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
      if (line === drops[next]) {
        await emit(chunk.subarray(from, start))
        from = nl + 1
        next++
      }
      line++
      start = nl + 1
    }
    await emit(chunk.subarray(from, start))
    carry = start < chunk.length ? chunk.subarray(start) : undefined
  }
  // A last line without its "\n" (a shard always writes one; an edited part may not).
  if (carry?.length) {
    if (line === drops[next]) next++
    else await emit(Buffer.concat([carry, NEWLINE]))
    line++
  }
  if (sha && sha.digest('hex') !== to.verify) {
    throw new InputError('E_SHARD_PART', 'part is not the one its shard wrote (edited, or a merge was interrupted while renaming)', {
      location: {file: path}, suggestion,
    })
  }
  if (line !== expected) throw new InputError('E_SHARD_PART', `part has ${line} records, its shard's log ${expected}`, {location: {file: path}, suggestion})
  return kept
}

/**
 * `lfdata merge DIR`: replays dedup over every shard's records in global input order — exact (first occurrence
 * wins, across shards), then near with the texts the shards recorded — exactly as one process decides, and
 * writes rejects in the same order. Kept records stay in their shard's part; empty parts are removed; one
 * manifest (DIR.lfdata.json) describes the folder, with the sha256 of the parts' concatenation.
 */
export async function mergeShards(dir: string, reporter: Reporter, into?: string): Promise<MergeResult> {
  const started = Date.now()
  // Each part's sha256 is checked while it is copied (pass 2), before anything is committed.
  const metas = await readShards(dir, false)
  const {run, result: summary} = metas[0]!
  const options = run.options as {dedup: 'exact' | 'near' | 'none'; near_fields?: NearField[]}
  const files = (run.inputs as {path: string}[]).map((i) => i.path)
  // `into`: convert --jobs writes one file (its own output path, rejects path) instead of the folder's parts.
  const rejectsPath = metas[0]!.rejects
  const dropped: Record<string, number> = {}
  const repaired: Record<string, number> | null = metas[0]!.repaired ? {} : null
  let recordsIn = 0
  for (const m of metas) {
    recordsIn += m.records_in
    for (const [k, v] of Object.entries(m.dropped)) dropped[k] = (dropped[k] ?? 0) + v
    if (repaired) for (const [k, v] of Object.entries(m.repaired ?? {})) repaired[k] = (repaired[k] ?? 0) + v
  }
  const rejects = rejectsPath ? new RejectsWriter(rejectsPath) : undefined
  const onDrop: DropFn = (row, reason, detail, extra) => {
    dropped[reason] = (dropped[reason] ?? 0) + 1
    rejects?.add({source: row.source, line: row.line, reason, detail, ...extra, record: row.record})
  }

  const partLines: number[] = []
  const batches = candidateBatches(dir, metas, partLines)
  const firstOf = options.dedup === 'none' ? undefined : await exactDecider(dir, run)
  const onReject = (entry: Record<string, unknown>) => rejects?.add(entry)
  /** Whether a candidate is the first of its content; a repeat is dropped naming the first. A promise only when partition files are read. */
  const decide = (c: Candidate): boolean | Promise<boolean> => {
    const decided = firstOf!(c)
    const verdict = (first: First) => {
      if (!first) return true
      const of = `${files[first.source] ?? '?'}:${first.line}`
      onDrop(c.row, 'duplicate', `same content as ${of}`, {duplicate_of: of})
      return false
    }
    return decided instanceof Promise ? decided.then(verdict) : verdict(decided)
  }
  // Without near dedup the decisions are made a log chunk at a time (no promise a record unless partition files
  // are read), in log order with the rejected rows.
  let survivors: AsyncIterable<Candidate[]> = (async function* () {
    for await (const batch of batches) {
      const out: Candidate[] = []
      for (const c of batch) {
        if ('rejected' in c) onReject(c.rejected)
        else if (!firstOf) out.push(c)
        else {
          const first = decide(c)
          if (first instanceof Promise ? await first : first) out.push(c)
        }
      }
      yield out
    }
  })()
  const reportPath = metas[0]!.dedup_report
  let reportText: string | undefined
  if (options.dedup === 'near') {
    const threshold = run.near_threshold as number
    const report = reportPath ? {path: reportPath, take: (text: string) => (reportText = text)} : undefined
    const shape = nearShape({threshold})
    const sketched = (batch: Candidate[]) => {
      const bytes = batch.map((c) => Buffer.from(c.sketch, 'base64'))
      const bad = bytes.findIndex((b) => b.length !== shape.numPerm + 4 * (shape.bands + 1))
      if (bad !== -1) {
        const c = batch[bad]!
        throw new InputError('E_SHARD_MISMATCH', `shard ${c.shard} logged no near-dedup sketch of the shape this merge uses for ${c.row.source}:${c.row.line}`, {
          location: {file: metas[c.shard]!.part.path}, suggestion: 'convert every shard again with this lfdata version, then merge',
        })
      }
      return batchOfSketches(shape, bytes)
    }
    // The near stage pulls candidates one at a time: rejected rows are written as the reading passes them.
    const exact = (async function* () {
      for await (const c of candidatesOf(batches, onReject)) if (!firstOf || (await decide(c))) yield c
    })()
    const near = await nearDedupStage<Candidate>({threshold, fields: options.near_fields ?? [], report}, onDrop, (c) => c.text, sketched)(exact)
    survivors = (async function* () {
      for await (const c of near) yield [c]
    })()
  }

  // Pass 1, over the logs only: which lines of each part are left out (ascending). A record kept after a gap
  // in its shard's lines means the lines in the gap were dropped; lines after the last kept one are too.
  const drops = metas.map((): number[] => []) // 8 bytes a dropped line, beside the fingerprints' ~20 a record
  const nextLine = metas.map(() => 0)
  const parts = metas.map((m) => ({path: m.part.path, bytes: 0, records: 0}))
  const whole = createHash('sha256')
  let written = 0
  let intoSha = ''
  const finals: RecordSink[] = []
  let sink: RecordSink | undefined
  try {
    for await (const batch of survivors) {
      for (const c of batch) {
        const i = c.shard // metas are shards 0..N-1 in order (readShards)
        if (c.partLine < 0) throw new InputError('E_SHARD_PART', 'a record its shard left out of the part as a duplicate is unique across shards (the log and the part disagree)', {location: {file: metas[i]!.part.path}, suggestion: 'convert every shard again with the same lfdata version, then merge'})
        for (let k = nextLine[i]!; k < c.partLine; k++) drops[i]!.push(k)
        nextLine[i] = c.partLine + 1
        written++
      }
      reporter.progress({unit: 'records', done: written})
    }
    for (const [i, n] of partLines.entries()) for (let k = nextLine[i]!; k < n; k++) drops[i]!.push(k)
    reporter.finish()
    if (written === 0) {
      throw new InputError('E_NOTHING_KEPT', `every one of the ${recordsIn} records was dropped (${Object.entries(dropped).map(([r, n]) => `${r}: ${n}`).join(', ')})`, {
        location: {file: files[0]}, suggestion: rejectsPath ? `see ${rejectsPath} for why` : 'rerun with --rejects rejects.jsonl to see why',
      })
    }
    // Pass 2: each part copied without its dropped lines — into the one output (convert --jobs), or into a
    // final part beside it. A part that loses nothing stays as it is (only read, for its hash); a merge checks
    // each part against the sha256 its shard recorded in the same read.
    // convert --jobs: a first part that loses nothing (always, but with near dedup) becomes the output's start
    // as it is, by rename; the rest is appended.
    const adopt = into !== undefined && drops[0]!.length === 0
    if (into) sink = adopt ? await RecordSink.continuing(into, metas[0]!.part.path, rawBytes) : await RecordSink.open(into, rawBytes)
    for (const [i, m] of metas.entries()) {
      const keep = partLines[i]! - drops[i]!.length
      parts[i]!.records = keep
      if (adopt && i === 0) continue
      let out = sink
      if (!into && keep > 0 && drops[i]!.length > 0) finals.push((out = await RecordSink.open(m.part.path, rawBytes)))
      parts[i]!.bytes = await copyPart(m.part.path, drops[i]!, partLines[i]!, {
        write: async (bytes) => {
          if (!into) whole.update(bytes)
          await out?.write({bytes})
        },
        verify: into ? undefined : m.part.sha256,
        shard: m.shard,
      })
      if (out && !into) await out.finish()
    }
    if (sink) intoSha = (await sink.finish()).sha256
    const pending: PendingFile[] = [sink, ...finals].flatMap((f) => (f?.file ? [f.file] : []))
    if (rejects) {
      rejects.finish()
      pending.push(rejects.file)
    }
    await commitAll(pending)
    if (reportPath && reportText !== undefined) await writeFileAtomic(reportPath, reportText)
  } catch (error) {
    await sink?.abort()
    for (const f of finals) await f.abort()
    rejects?.abort()
    throw error
  }
  if (into) return intoFile(into, dir, metas, {recordsIn, written, dropped, repaired, rejectsPath, sha256: intoSha, started})
  // A part left empty is removed (LF refuses empty files in a dataset folder), and the shards' work folder goes.
  for (const p of parts) if (p.records === 0) await rm(p.path, {force: true})
  await rm(join(dir, WORK_DIR), {recursive: true, force: true})
  const kept = parts.filter((p) => p.records > 0)
  const bytes = kept.reduce((a, p) => a + p.bytes, 0)
  const sha256 = whole.digest('hex')
  const out = dir.replace(/(.)\/+$/, '$1')
  const manifest: Manifest = {
    manifest_version: 1,
    tool: {name: 'lfdata', version: VERSION},
    created: new Date().toISOString(),
    output: {path: out, format: 'jsonl', bytes, sha256},
    formatting: summary.formatting as Manifest['formatting'],
    ranking: summary.ranking as boolean,
    columns: summary.columns as Manifest['columns'],
    ...(summary.tags ? {tags: summary.tags} : {}),
    stage: summary.stage as Manifest['stage'],
    records_in: recordsIn,
    records_out: written,
    dropped,
    inputs: (run.inputs as Manifest['inputs']),
    options: run.options as Record<string, unknown>,
    parts: kept,
  }
  await commitAll([pendingManifest(manifestPathFor(out), manifest)])
  return {
    ...(summary as unknown as ConvertResult), output: out, manifest: manifestPathFor(out), rejects: rejectsPath, format: 'jsonl',
    records_in: recordsIn, records_out: written, dropped, repaired: repaired as ConvertResult['repaired'], bytes, sha256,
    seconds: (Date.now() - started) / 1000, parts: kept,
  }
}

/** convert --jobs: the one output file is complete; its manifest is the one a single process writes. */
async function intoFile(output: string, dir: string, metas: ShardMeta[], t: {recordsIn: number; written: number; dropped: Record<string, number>; repaired: Record<string, number> | null; rejectsPath: string | null; sha256: string; started: number}): Promise<MergeResult> {
  const {run, result: summary} = metas[0]!
  await rm(dir, {recursive: true, force: true})
  const bytes = (await stat(output)).size
  const manifest: Manifest = {
    manifest_version: 1, tool: {name: 'lfdata', version: VERSION}, created: new Date().toISOString(),
    output: {path: output, format: 'jsonl', bytes, sha256: t.sha256},
    formatting: summary.formatting as Manifest['formatting'], ranking: summary.ranking as boolean, columns: summary.columns as Manifest['columns'],
    ...(summary.tags ? {tags: summary.tags} : {}), stage: summary.stage as Manifest['stage'],
    records_in: t.recordsIn, records_out: t.written, dropped: t.dropped, inputs: run.inputs as Manifest['inputs'], options: run.options as Record<string, unknown>,
  }
  await commitAll([pendingManifest(manifestPathFor(output), manifest)])
  return {
    ...(summary as unknown as ConvertResult), output, manifest: manifestPathFor(output), rejects: t.rejectsPath, format: 'jsonl',
    records_in: t.recordsIn, records_out: t.written, dropped: t.dropped, repaired: t.repaired as ConvertResult['repaired'], bytes, sha256: t.sha256,
    seconds: (Date.now() - t.started) / 1000, parts: [],
  }
}
