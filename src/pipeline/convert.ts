import {createHash} from 'node:crypto'
import {dirname, relative, resolve} from 'node:path'

import {UsageError, InputError} from '../errors.js'
import {commitAll, PendingFile} from '../io/atomic.js'
import {inputSize} from '../io/bytes.js'
import {encoderFor, outputFormatFor} from '../io/encoders.js'
import {pendingManifest, manifestPathFor, type Manifest, type ManifestFile} from '../io/manifest.js'
import {guardOutputs} from '../io/output-guard.js'
import {detectFormat, expandInputs, readRows, stdinFormat} from '../io/read.js'
import {planInputs, type InputPlan} from './input-plan.js'
import {RejectsWriter} from '../io/rejects.js'
import {RecordSink} from '../io/sink.js'
import type {ReadOptions, Row} from '../io/types.js'
import type {Reporter} from '../reporter.js'
import {exactDedup, fingerprinter, refOf} from '../transforms/exact-dedup.js'
import type {DropFn} from '../transforms/example.js'
import {contentFilters} from '../transforms/filters.js'
import {emptyRepairCounts, fixRoles} from '../transforms/fix-roles.js'
import {lfRules} from '../transforms/lf-rules.js'
import {describeMapping, mapFlags, type Field, type Mapping} from '../transforms/mapping.js'
import {makeNormalizer} from '../transforms/normalize.js'
import {EncodedBatch, laneColumns} from '../transforms/plain-csv.js'
import {parallelPlainCsvRows, plainCsvRows} from '../transforms/plain-csv-read.js'
import {toExample} from '../transforms/to-example.js'
import {outputColumnTypes, outputLayout, toOutput, type OutputItem, type OutputLayout} from '../transforms/to-output.js'
import {VERSION} from '../version.js'
import {dropWarm} from '../warm-workers.js'
import {convertWithJobs, jobsFor} from './convert-jobs.js'
import {DEFAULT_THREADS_FROM} from './lane-threads.js'
import type {ConvertOptions, ConvertResult} from './convert-types.js'

export type {ConvertOptions, ConvertResult} from './convert-types.js'

/** JSON lines of kept plain rows, already encoded (src/transforms/plain-csv.ts). */
interface EncodedLines {
  bytes: Uint8Array
  count: number
}

/** Rows in order, counted, with progress; stops after `limit` rows (closing the files). A batch counts its rows. */
async function* counted<T extends Row | EncodedBatch>(rows: AsyncIterable<T>, opts: ConvertOptions, counter: {n: number; bytes: number}, total: number | undefined, reporter: Reporter): AsyncGenerator<T> {
  let next = 1024
  for await (const row of rows) {
    if (opts.limit !== undefined && counter.n >= opts.limit) return
    counter.n += row instanceof EncodedBatch ? row.size : 1
    if (counter.n >= next) {
      next = counter.n + 1024
      reporter.progress({unit: 'records', done: counter.n, bytesDone: counter.bytes, bytesTotal: total})
    }
    yield row
  }
}

/**
 * lfdata convert: read → map → (repair) → filter → LF rules → dedup → write, one record at a time.
 * The output appears atomically at the end; on any error nothing is left behind.
 */
export async function convert(opts: ConvertOptions, reporter: Reporter): Promise<ConvertResult> {
  const started = Date.now()
  const format = opts.shard ? 'jsonl' : outputFormatFor(opts.output)
  // Sharding and near dedup load only for the runs that use them (a convert's start-up is its modules).
  const sharding = opts.shard ? await import('../shard/convert-shard.js') : undefined
  sharding?.checkShardable(opts)
  // A shard writes DIR/part-I-of-N.jsonl and no manifest (`lfdata merge` writes the folder's).
  const manifestPath = opts.output === '-' || opts.shard ? null : manifestPathFor(opts.output)
  // Before anything is read or written: no output may be an input or another output, a link out, or a device.
  const [outPath, rejectsPath, reportPath, manifestTarget] = guardOutputs({
    inputs: opts.inputs,
    outputs: [
      {path: opts.shard ? '-' : opts.output, what: '-o'},
      {path: (!opts.shard && opts.rejects) || '-', what: '--rejects'},
      {path: (opts.dedup === 'near' && !opts.shard && opts.dedupReport) || '-', what: '--dedup-report'},
      {path: manifestPath ?? '-', what: 'the manifest'},
      {path: opts.report ?? '-', what: '--report'},
    ],
  })
  if (opts.limit !== undefined && (!Number.isInteger(opts.limit) || opts.limit < 1)) throw new UsageError('--limit must be a whole number ≥ 1')
  const files = await expandInputs(opts.inputs)
  const sizes = await Promise.all(files.map((f) => inputSize(f)))
  const total = sizes.every((s) => s !== null) ? (sizes).reduce((a, b) => a + b, 0) : undefined
  const counter = {n: 0, bytes: 0}
  if (opts.jobs !== undefined && (!Number.isInteger(opts.jobs) || opts.jobs < 1)) throw new UsageError('--jobs must be a whole number ≥ 1')
  // Shard processes are decided before planning, which scans every key of a JSON Lines input (each shard
  // would again); a CSV/TSV run after it (its plan reads only headers): its rows may take the lane's threads.
  const kindOf = (file: string) => opts.inputFormat ?? detectFormat(file)
  const csvLike = (file: string) => kindOf(file) === 'csv' || kindOf(file) === 'tsv'
  if (!files.every(csvLike)) {
    await dropWarm() // no lane: the workers warm-start.ts started on a guess have nothing to read
    const {processes} = jobsFor(opts, files, total, false)
    if (processes > 1) return convertWithJobs(opts, processes, reporter, convert)
  }
  const shard = sharding && opts.shard ? await sharding.ShardRun.open({dir: opts.output, shard: opts.shard, dedup: opts.dedup, nearFields: opts.nearFields, nearThreshold: opts.nearThreshold, report: Boolean(opts.dedupReport), rejects: opts.rejects, scratch: opts.scratch === true,
    plan: {format: opts.inputFormat, encoding: opts.encoding, delimiter: opts.delimiter}}, files) : undefined

  const dropped: Record<string, number> = {}
  const rejects = opts.rejects && !shard ? new RejectsWriter(rejectsPath!) : undefined
  // A shard keeps its rejects for `lfdata merge`; a whole run writes them to --rejects.
  const reject = (entry: Record<string, unknown>) => (shard ? shard.drop(entry) : rejects?.add(entry))
  const onDrop: DropFn = (row, reason, detail, extra) => {
    dropped[reason] = (dropped[reason] ?? 0) + 1
    reject({source: row.source, line: row.line, reason, detail, ...extra, record: row.record})
    opts.onDrop?.(row, reason, detail, extra)
  }
  // --on-error skip: a line or row that does not parse is a reject with its text (there is no record).
  const onError = opts.onError === 'skip' ? (error: InputError, text: string) => {
    counter.n++
    dropped.parse_error = (dropped.parse_error ?? 0) + 1
    reject({source: error.location?.file, line: error.location?.line, reason: 'parse_error', detail: error.message.replace(/ — [^—]*$/, ''), code: error.code, text})
  } : undefined

  // Every input's columns (all of them, not the first record's) decide its mapping and so the output layout.
  let plan: InputPlan, layout: OutputLayout
  try {
    plan = await planInputs(files, {format: opts.inputFormat, delimiter: opts.delimiter, encoding: opts.encoding, refuseDuplicateHeaders: true, onBytes: (b) => (counter.bytes += b), onError}, opts.map)
    layout = outputLayout(plan.mapping, opts.to, Boolean(opts.system))
  } catch (error) {
    rejects?.abort()
    throw error
  }
  const mapping = plan.mapping
  // The plain-row lane takes a file's rows when the run's options allow it and the file is a CSV/TSV whose
  // columns map to just instruction/input/output.
  const lane = plainLane(opts, layout, mapping, format)
  const laneColumnsOf = (file: string) => (csvLike(file) ? laneColumns(plan.mappingOf(file), layout) : undefined)
  const {threads, processes} = jobsFor(opts, files, total, lane && files.every((f) => laneColumnsOf(f) !== undefined))
  if (threads < 2) await dropWarm()
  if (processes > 1) {
    rejects?.abort()
    return convertWithJobs(opts, processes, reporter, convert)
  }
  for (const group of plan.groups) {
    const which = plan.groups.length > 1 ? ` (${group.sources.join(', ')})` : ''
    reporter.info(`mapping${which}: ${describeMapping(group.mapping)} → ${layout.target}${layout.ranking ? ' (ranking)' : ''}`)
    // Unsure: say so, with the flags that pin it (or fix it) ready to paste.
    if (group.mapping.guessed.length > 0) reporter.warn(`mapping of ${group.mapping.guessed.join(', ')} guessed from words in column names; check it, and pin it with: ${mapFlags(group.mapping.columns)}`)
  }
  const sourceIds = new Map(files.map((f, i) => [f, i]))
  const repaired = opts.fixRoles ? emptyRepairCounts() : undefined

  // Steps in order, one record at a time: read → example → (repair) → filters → LF record → LF rules → dedup.
  const example = toExample({mapping, mappingOf: plan.mappingOf, normalize: makeNormalizer(opts.normalize), system: opts.system}, onDrop)
  const repair = repaired ? fixRoles(repaired) : undefined
  const filter = contentFilters(opts.filters, onDrop)
  const record = toOutput(layout, onDrop)
  const rules = lfRules(layout, opts.output, onDrop)
  const fingerprints = await fingerprinter()
  const sourceIndex = (s: string) => sourceIds.get(s) ?? 0
  const firstOfItsKind = shard ? shard.candidate(sourceIndex) : opts.dedup === 'none' ? undefined : exactDedup(onDrop, sourceIndex, (i) => files[i] ?? '?')
  const read = lane ? (file: string, readOpts: ReadOptions) => {
    const columns = laneColumnsOf(file)
    if (!columns) return readRows(file, readOpts)
    const laneOpts = {read: {...readOpts, tsv: kindOf(file) === 'tsv'}, columns, fingerprints}
    // By default only a big file is worth the workers' start-up (DEFAULT_THREADS_FROM); --jobs asks for them.
    return threads > 1 ? parallelPlainCsvRows(file, {...laneOpts, threads, minBytes: opts.jobs === undefined ? DEFAULT_THREADS_FROM : 0}) : plainCsvRows(file, laneOpts)
  } : readRows
  async function* survivors(): AsyncGenerator<OutputItem | EncodedLines> {
    for await (const row of counted(plan.rows(shard?.slices, read), opts, counter, total, reporter)) {
      if (row instanceof EncodedBatch) {
        yield* keptLines(row)
        continue
      }
      let item = example(row)
      if (item && repair) item = repair(item)
      if (item) item = filter(item)
      const out = item && record(item)
      if (!out || !rules(out)) continue
      if (firstOfItsKind && !firstOfItsKind(fingerprints.ofExample(out.example), refOf(row), out.example)) continue
      yield out
    }
  }
  /** A batch's JSON lines, in runs between the duplicates dedup drops. */
  function* keptLines(batch: EncodedBatch): Generator<EncodedLines> {
    let from = 0
    for (let i = 0; i < batch.size; i++) {
      if (!firstOfItsKind || firstOfItsKind(batch.fingerprint(i), batch.ref(i))) continue
      if (i > from) yield {bytes: batch.lineBytes(from, i), count: i - from}
      from = i + 1
    }
    if (batch.size > from) yield {bytes: batch.lineBytes(from, batch.size), count: batch.size - from}
  }
  let out: AsyncIterable<OutputItem | EncodedLines> = survivors()
  let reportText: string | undefined
  const report = opts.dedupReport && reportPath !== '-' ? {path: opts.dedupReport, take: (text: string) => (reportText = text)} : undefined
  if (opts.dedup === 'near' && !shard) out = await (await import('../transforms/near-dedup-stage.js')).nearDedupStage({threshold: opts.nearThreshold, fields: opts.nearFields, report}, onDrop)(itemsOnly(out))

  let sink: RecordSink
  try {
    sink = await RecordSink.open(shard?.partPath ?? outPath!, await encoderFor(shard ? 'jsonl' : format, outputColumnTypes(layout, mapping.kind)), {scratch: opts.scratch})
  } catch (error) {
    rejects?.abort()
    throw error
  }
  const pending: PendingFile[] = []
  let written = 0
  let result
  try {
    for await (const item of out) {
      if ('bytes' in item) {
        await sink.writeJsonLines(item.bytes)
        written += item.count
      } else {
        await sink.write(item.record)
        written++
      }
    }
    reporter.finish()
    if (written === 0 && !shard) {
      throw new InputError('E_NOTHING_KEPT', `every one of the ${counter.n} records was dropped (${Object.entries(dropped).map(([r, n]) => `${r}: ${n}`).join(', ')})`, {
        location: {file: files[0]},
        suggestion: opts.rejects ? `see ${opts.rejects} for why` : 'rerun with --rejects rejects.jsonl to see why',
      })
    }
    result = await sink.finish()
    if (shard) {
      await commitAll([sink.file!])
      const meta = await shard.commit({run: {inputs: inputsOf(), options: optionsOf(), near_threshold: opts.nearThreshold, count: opts.shard!.count}, rejects: opts.rejects ?? null,
        dedup_report: opts.dedupReport ?? null, result: {...summaryOf(), format: 'jsonl', manifest: null}, records_in: counter.n, dropped, repaired: repaired ?? null}, result.sha256)
      return {...summaryOf(), format: 'jsonl', manifest: null, records_in: counter.n, records_out: written, dropped, repaired: repaired ?? null, bytes: result.bytes, sha256: result.sha256,
        seconds: (Date.now() - started) / 1000, shard: {...opts.shard!, meta}}
    }
    // Committed together, in this order, the manifest last: a crash between renames leaves the old manifest,
    // which no longer matches the new output, so register and stats refuse it (E_MANIFEST_MISMATCH).
    const described: ManifestFile[] = []
    const near = (path: string) => relative(dirname(resolve(opts.output)), resolve(path))
    if (sink.file) {
      pending.push(sink.file)
      described.push({role: 'output', path: near(opts.output), bytes: result.bytes, sha256: result.sha256})
    }
    if (rejects) {
      pending.push(rejects.file)
      described.push({role: 'rejects', path: near(opts.rejects!), ...rejects.finish()})
    }
    if (report && reportText !== undefined) {
      const file = PendingFile.create(reportPath!)
      pending.push(file)
      file.writeSync(reportText)
      described.push({role: 'dedup_report', path: near(report.path), bytes: Buffer.byteLength(reportText), sha256: createHash('sha256').update(reportText).digest('hex')})
    }
    if (manifestPath) pending.push(pendingManifest(manifestTarget!, buildManifest(result, described)))
    await commitAll(pending)
  } catch (error) {
    await sink.abort()
    rejects?.abort()
    for (const f of pending) f.abort()
    shard?.abort()
    throw error
  }

  function inputsOf() {
    return files.map((f, i) => ({path: f, bytes: sizes[i] ?? null, format: opts.inputFormat ?? (f === '-' ? stdinFormat() : undefined) ?? f.split('.').pop() ?? ''}))
  }
  function optionsOf() {
    return {on_error: opts.onError ?? 'fail', to: layout.target, map: opts.map, system: opts.system, dedup: opts.dedup, near_threshold: opts.dedup === 'near' ? opts.nearThreshold : undefined, near_fields: opts.dedup === 'near' ? opts.nearFields : undefined, fix_roles: opts.fixRoles, normalize: opts.normalize, filters: opts.filters, limit: opts.limit}
  }
  /** What a result says about the run apart from its counts (a shard hands it to the merge). */
  function summaryOf() {
    return {output: opts.output, manifest: manifestPath, rejects: opts.rejects ?? null, format, formatting: layout.formatting, ranking: layout.ranking, stage: layout.stage,
      columns: layout.columns, tags: layout.tags ?? null, mapping: mapping.columns, mapping_auto: (Object.keys(mapping.columns) as Field[]).filter((f) => !mapping.explicit.includes(f))}
  }

  function buildManifest(output: {bytes: number; sha256: string}, described: ManifestFile[]): Manifest {
    const inputs = inputsOf()
    return {
      manifest_version: 1,
      tool: {name: 'lfdata', version: VERSION},
      created: new Date().toISOString(),
      output: {path: opts.output, format, bytes: output.bytes, sha256: output.sha256},
      files: described,
      formatting: layout.formatting,
      ranking: layout.ranking,
      columns: layout.columns,
      ...(layout.tags ? {tags: layout.tags} : {}),
      stage: layout.stage,
      records_in: counter.n,
      records_out: written,
      dropped,
      inputs,
      options: optionsOf(),
    }
  }
  return {
    output: opts.output,
    manifest: manifestPath,
    rejects: opts.rejects ?? null,
    format,
    formatting: layout.formatting,
    ranking: layout.ranking,
    stage: layout.stage,
    columns: layout.columns,
    tags: layout.tags ?? null,
    mapping: mapping.columns,
    mapping_auto: (Object.keys(mapping.columns) as Field[]).filter((f) => !mapping.explicit.includes(f)),
    records_in: counter.n,
    records_out: written,
    dropped,
    repaired: repaired ?? null,
    bytes: result.bytes,
    sha256: result.sha256,
    seconds: (Date.now() - started) / 1000,
  }
}

/**
 * Whether this run's rows may take the plain-row lane (src/transforms/plain-csv.ts): options that leave a plain
 * row as it is (default cleaning and filters, no repair, no constant system prompt, no near dedup, no --limit)
 * and a JSONL or JSON-array output. Which inputs then take it is decided per file.
 */
function plainLane(opts: ConvertOptions, layout: OutputLayout, mapping: Mapping, format: string): boolean {
  const n = opts.normalize
  const f = opts.filters
  const defaults = n.nfc && n.newlines && n.trim && n.controlChars && f.dropEmpty && f.minChars === undefined && f.maxChars === undefined && f.dropRegex === undefined
  return defaults && !opts.fixRoles && opts.system === undefined && opts.dedup !== 'near' && opts.limit === undefined && (format === 'jsonl' || format === 'json') && laneColumns(mapping, layout) !== undefined
}

/** Near dedup runs only where the lane does not (plainLane), so every survivor is an OutputItem. */
async function* itemsOnly(items: AsyncIterable<OutputItem | EncodedLines>): AsyncGenerator<OutputItem> {
  for await (const item of items) {
    if ('bytes' in item) throw new Error('encoded lines reached near dedup')
    yield item
  }
}
