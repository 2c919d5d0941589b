import {createHash} from 'node:crypto'
import {createReadStream} from 'node:fs'
import {readdir, readFile, rename, rm, stat} from 'node:fs/promises'
import {join} from 'node:path'

import {InputError, UsageError} from '../errors.js'
import {commitAll, writeFileAtomic} from '../io/atomic.js'
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

/** One record that reached dedup in some shard, with its output line. */
interface Candidate {
  row: Row
  shard: number
  ordinal: number
  hi: number
  lo: number
  text: string
  line: Buffer
}

/** Non-empty lines of a file as bytes with their "\n", without decoding (parts are copied through as they are). */
async function* byteLines(path: string): AsyncGenerator<Buffer> {
  let carry: Buffer | undefined
  for await (const raw of createReadStream(path, {highWaterMark: 1 << 20})) {
    const chunk = carry ? Buffer.concat([carry, raw as Buffer]) : (raw as Buffer)
    let start = 0
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
      if (nl > start) yield chunk.subarray(start, nl + 1)
      start = nl + 1
    }
    carry = start < chunk.length ? chunk.subarray(start) : undefined
  }
  if (carry?.length) yield Buffer.concat([carry, NEWLINE])
}

async function* lines(path: string): AsyncGenerator<string> {
  for await (const line of byteLines(path)) yield line.toString('utf8')
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

/** Every shard's log replayed in global input order: rejected rows go to `onReject` as they pass, candidates are yielded. */
async function* candidates(dir: string, metas: ShardMeta[], onReject?: (entry: Record<string, unknown>) => void, withLines = true): AsyncGenerator<Candidate> {
  const files = (metas[0]!.run.inputs as {path: string}[]).map((i) => i.path)
  let ordinal = 0
  for (const m of metas) {
    const out = withLines ? byteLines(m.part.path)[Symbol.asyncIterator]() : undefined
    for await (const text of lines(join(dir, WORK_DIR, `${partName(m.shard)}.log.jsonl`))) {
      const entry = JSON.parse(text) as LogEntry
      if ('d' in entry) {
        onReject?.(entry.d)
        continue
      }
      const [hi, lo, source, line] = entry.c
      const record = out ? await out.next() : undefined
      if (record?.done) throw new InputError('E_SHARD_PART', 'part has fewer records than its log', {location: {file: m.part.path}})
      yield {row: {source: files[source] ?? '?', line, record: entry.r ?? {}}, shard: m.shard.index, ordinal: ordinal++, hi, lo, text: entry.t ?? '', line: record?.value ?? EMPTY}
    }
    await out?.return?.(undefined)
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
  const files = (run.inputs as {path: string}[]).map((i) => i.path)
  const sourceIds = new Map(files.map((f, i) => [f, i]))
  const seen = new FingerprintSet()
  const out = new RejectsWriter(partitionFile(dir, partition))
  let n = 0
  let duplicates = 0
  try {
    out.add({run: JSON.stringify(run), partition})
    for await (const c of candidates(dir, metas, undefined, false)) {
      if ((c.lo >>> 0) % partition.count !== partition.index) continue
      n++
      const first = seen.addOrGet(c.hi, c.lo, sourceIds.get(c.row.source) ?? 0, c.row.line)
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

/** The exact-duplicate decisions: from complete partition files when there are some, else a fingerprint set here. */
async function exactDecider(dir: string, run: Record<string, unknown>, files: string[]): Promise<(c: Candidate) => Promise<{source: number; line: number} | undefined>> {
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
  const sourceIds = new Map(files.map((f, i) => [f, i]))
  const seen = new FingerprintSet()
  return async (c) => seen.addOrGet(c.hi, c.lo, sourceIds.get(c.row.source) ?? 0, c.row.line)
}

const EMPTY = Buffer.alloc(0)
const NEWLINE = Buffer.from('\n')
const rawLines: RecordEncoder = {start: () => '', encode: (r) => r.line as Buffer, finish: () => ''}

/**
 * `lfdata merge DIR`: replays dedup over every shard's records in global input order — exact (first occurrence
 * wins, across shards), then near with the texts the shards recorded — exactly as one process decides, and
 * writes rejects in the same order. Kept records stay in their shard's part; empty parts are removed; one
 * manifest (DIR.lfdata.json) describes the folder, with the sha256 of the parts' concatenation.
 */
export async function mergeShards(dir: string, reporter: Reporter, into?: string): Promise<MergeResult> {
  const started = Date.now()
  const metas = await readShards(dir, !into)
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

  let items: AsyncIterable<Candidate> = candidates(dir, metas, (entry) => rejects?.add(entry))
  if (options.dedup !== 'none') {
    const firstOf = await exactDecider(dir, run, files)
    const source = items
    items = (async function* () {
      for await (const c of source) {
        const first = await firstOf(c)
        if (first) {
          const of = `${files[first.source] ?? '?'}:${first.line}`
          onDrop(c.row, 'duplicate', `same content as ${of}`, {duplicate_of: of})
          continue
        }
        yield c
      }
    })()
  }
  const reportPath = metas[0]!.dedup_report
  let reportText: string | undefined
  if (options.dedup === 'near') {
    const threshold = run.near_threshold as number
    const report = reportPath ? {path: reportPath, take: (text: string) => (reportText = text)} : undefined
    items = await nearDedupStage<Candidate>({threshold, fields: options.near_fields ?? [], report}, onDrop, (c) => c.text)(items)
  }

  const final = (i: number) => join(dir, WORK_DIR, `${partName(metas[i]!.shard)}.final.jsonl`)
  const parts = metas.map((m) => ({path: m.part.path, bytes: 0, records: 0}))
  const whole = createHash('sha256')
  let sink: RecordSink | undefined
  let current = -1
  let written = 0
  let intoSha = ''
  try {
    if (into) sink = await RecordSink.open(into, rawLines)
    for await (const c of items) {
      while (!into && current < c.shard) {
        if (sink) parts[current]!.bytes = (await sink.commit()).bytes
        current++
        sink = await RecordSink.open(final(current), rawLines)
      }
      await sink!.write({line: c.line})
      if (!into) whole.update(c.line)
      if (!into) parts[current]!.records++
      written++
      if ((written & 4095) === 0) reporter.progress({unit: 'records', done: written})
    }
    if (sink) {
      const {bytes, sha256} = await sink.commit()
      if (!into) parts[current]!.bytes = bytes
      else intoSha = sha256
    }
    reporter.finish()
    if (written === 0) {
      throw new InputError('E_NOTHING_KEPT', `every one of the ${recordsIn} records was dropped (${Object.entries(dropped).map(([r, n]) => `${r}: ${n}`).join(', ')})`, {
        location: {file: files[0]}, suggestion: rejectsPath ? `see ${rejectsPath} for why` : 'rerun with --rejects rejects.jsonl to see why',
      })
    }
    if (rejects) {
      rejects.finish()
      await commitAll([rejects.file])
    }
    if (reportPath && reportText !== undefined) await writeFileAtomic(reportPath, reportText)
  } catch (error) {
    await sink?.abort()
    rejects?.abort()
    throw error
  }
  if (into) return intoFile(into, dir, metas, {recordsIn, written, dropped, repaired, rejectsPath, sha256: intoSha, started})
  // Only now do the parts change: every final part replaces its shard's part; a part left empty is removed
  // (LF refuses empty files in a dataset folder), and the shards' work folder goes.
  for (const [i, p] of parts.entries()) {
    if (p.records > 0) await rename(final(i), p.path)
    else {
      await rm(final(i), {force: true})
      await rm(p.path, {force: true})
    }
  }
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
