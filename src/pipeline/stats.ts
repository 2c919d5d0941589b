import {stat} from 'node:fs/promises'
import {availableParallelism} from 'node:os'

import {pMapIterable} from 'p-map'

import {InputError, UsageError} from '../errors.js'
import {readManifest} from '../io/manifest.js'
import {expandInputs, readRows, scanKeys} from '../io/read.js'
import type {ReadOptions, Row} from '../io/types.js'
import {lateColumnError, readAhead, STDIN_LOOKAHEAD} from './input-plan.js'
import {datasetStage, resolveDatasetAttr} from '../lf/attr.js'
import {readDatasetInfo, resolveDataset} from '../io/dataset-files.js'
import {lfVerdict} from '../lf/processor.js'
import {sniffEntry} from '../lf/sniff.js'
import type {AlignedExample, DatasetAttr, Stage} from '../lf/types.js'
import type {Reporter} from '../reporter.js'
import {LengthHistogram} from '../measure/length-histogram.js'
import {bucketWidth, cdfLines} from '../stats/render.js'
import {COMMON_CUTOFFS, impact, PackingCounter, suggestCutoff, summarize, type CutoffImpact, type LengthSummary} from '../stats/summary.js'
import {measureExample, type EncodeOptions, type Length, type Measured} from '../measure/encode.js'
import {processorOptionsFor, TEMPLATES, TEMPLATE_NAMES, TOOL_FORMATS, withSwitches, type ChatTemplate, type TemplateSwitches} from '../templates/templates.js'
import type {TokenCounter} from '../tokenize/counter.js'
import {templateWithoutName} from '../templates/parse-chat-template.js'
import {loadTokenizer} from '../tokenize/load.js'
import {missingTemplateTokens} from '../measure/template-tokens.js'
import {LengthPool} from '../measure/pool.js'
import {shardSlices, type Slice} from '../shard/plan.js'
import type {ShardSpec} from '../shard/spec.js'

const BATCH = 512

export interface StatsOptions {
  /** Data files (their manifests give the mapping) … */
  files: string[]
  /** … or registered dataset names resolved through DATASET_DIR/dataset_info.json. */
  datasets: string[]
  datasetDir: string
  tokenizer: string
  template?: string
  stage?: Stage
  percentile: number
  round: number
  packing: boolean
  /** cutoff_len used for the packing count (default: the suggestion). */
  cutoffLen?: number
  /** A line or row that does not parse: stop (default) or count it as dropped (parse_error) and go on. */
  onError?: 'fail' | 'skip'
  /** Worker threads for token counting (default: one per core but one; inputs under 8 MB are counted in-process). */
  workers?: number
  /** LF's DataArguments that change what the template renders or which tokens are trained. */
  switches?: TemplateSwitches
  encode?: EncodeOptions
  /** Sees every record (the HTML report collects examples through it); never changes the result. */
  observer?: StatsObserver
  /** Measure only this shard of the inputs (src/shard/plan.ts); the caller writes a partial instead of a result. */
  shard?: ShardSpec
}

export interface StatsObserver {
  dropped(row: Row, reason: string, detail: string): void
  measured(row: Row, example: AlignedExample, length: Length): void
  /** Once, after the last record, with what measuring used (to lay examples out token by token). */
  done(used: {template: ChatTemplate; counter: TokenCounter; stage: Stage}): void
}

export interface DatasetStats {
  name: string
  files: string[]
  examples: number
  dropped: Record<string, number>
  lengths: LengthSummary
}

export interface StatsResult {
  examples: number
  dropped: Record<string, number>
  tokenizer: string
  /** A preset's vocabulary ("Gemma 3 vocabulary, 262,145 tokens"); null for a tokenizer given by path. */
  vocabulary: string | null
  template: string
  /** Set when no template was named: how LF's own fallback chose it. */
  template_source?: string
  stage: Stage
  lengths: LengthSummary
  prompt_tokens: number
  response_tokens: number
  /** Tokens with a label (trained on) before truncation: the response, or more with train_on_prompt. */
  trained_tokens: number
  /** Examples with images/videos/audios: LF trains on them, but their length depends on the image processor, so they are not measured. */
  media_examples: number
  /** The switches applied (LF's defaults otherwise). */
  switches: {enable_thinking: boolean | null; default_system: string | null; tool_format: string | null; mask_history: boolean; train_on_prompt: boolean}
  cutoff_len: {suggested: number; percentile: number; round: number; truncated_examples: number; truncated_fraction: number; tokens_lost: number}
  at: CutoffImpact[]
  histogram: {bucket_width: number; counts: number[]}
  /** The lines LF's scripts/stat_utils/length_cdf.py prints (1000-token buckets). */
  cdf: string[]
  packing: {cutoff_len: number; sequences: number; truncated: number} | null
  datasets: DatasetStats[]
  seconds: number
}

interface Measurer {
  size: number
  measure(examples: AlignedExample[], stage: Stage): Promise<Measured[]>
  close(): Promise<void>
}

/** Bytes of all input files, or undefined when one is stdin (or unreadable): then progress shows no percent. */
async function totalBytes(sources: Source[]): Promise<number | undefined> {
  const files = sources.flatMap((s) => s.files)
  if (files.includes('-')) return undefined
  const sizes = await Promise.all(files.map((f) => stat(f).then((x): number | undefined => x.size, () => undefined)))
  let total = 0
  for (const size of sizes) {
    if (size === undefined) return undefined
    total += size
  }
  return total
}

/** Token counting in-process for small inputs (worker start-up would dominate), on a worker pool otherwise. */
async function measurerFor(opts: StatsOptions, template: ChatTemplate, counter: TokenCounter, sources: Source[]): Promise<Measurer> {
  const bytes = (await Promise.all(sources.flatMap((s) => s.files).map((f) => stat(f).then((x) => x.size, () => 0)))).reduce((a, b) => a + b, 0)
  // The main thread reads and applies LF's rules at about the speed one worker counts, so it keeps a core.
  const workers = opts.workers ?? (bytes < 8 * 1024 * 1024 ? 0 : Math.max(1, availableParallelism() - 1))
  if (!Number.isInteger(workers) || workers < 0) throw new UsageError('--workers must be a whole number ≥ 0')
  if (workers === 0) {
    return {size: 1, measure: (examples, stage) => Promise.resolve(examples.map((ex) => measureExample(ex, template, counter, stage, opts.encode))), close: () => Promise.resolve()}
  }
  const pools = new Map<Stage, LengthPool>()
  return {
    size: workers,
    measure(examples, stage) {
      let pool = pools.get(stage)
      if (!pool) pools.set(stage, (pool = new LengthPool({tokenizer: opts.tokenizer, template, stage, options: opts.encode ?? {}, counter: counter.spec}, workers)))
      return pool.measure(examples)
    },
    close: async () => {
      await Promise.all([...pools.values()].map((p) => p.close()))
    },
  }
}

/** The LF template for a tokenizer name, as lfdata guesses it when --template is not given. */
export function templateFor(spec: string, suggested?: string): string | undefined {
  if (suggested) return suggested
  const s = spec.toLowerCase()
  const rules: [RegExp, string][] = [[/qwen3/, 'qwen3'], [/qwen/, 'qwen'], [/llama-?3/, 'llama3'], [/llama-?2/, 'llama2'], [/gemma/, 'gemma'],
    [/mistral/, 'mistral'], [/glm-?4/, 'glm4'], [/deepseek-?(v3|r1)/, 'deepseek3'], [/phi-?4/, 'phi4']]
  return rules.find(([re]) => re.test(s))?.[1]
}

interface Source {
  name: string
  files: string[]
  /** What this run reads of `files`: all of them, or a shard's slices. */
  slices?: Slice[]
  /** The entry, or undefined to sniff from the first record. */
  attr?: DatasetAttr
  stage?: Stage
}

async function sourcesOf(opts: StatsOptions): Promise<Source[]> {
  if (opts.datasets.length > 0) {
    const info = readDatasetInfo(opts.datasetDir)
    return opts.datasets.map((name) => ({name, ...resolveDataset(name, info, opts.datasetDir)}))
  }
  const out: Source[] = []
  for (const file of opts.files) {
    const manifest = await readManifest(file)
    const files = await expandInputs([file])
    if (!manifest) {
      out.push({name: file, files})
      continue
    }
    const attr = resolveDatasetAttr(file, {file_name: file, formatting: manifest.formatting, ranking: manifest.ranking, columns: manifest.columns, ...(manifest.tags ? {tags: manifest.tags} : {})})
    out.push({name: file, files, attr, stage: manifest.stage})
  }
  return out
}

/** Everything measured, before summarising: what a shard's partial carries and `stats merge` adds up. */
export interface StatsTally {
  tokenizer: string
  vocabulary: string | null
  template: string
  /** Set when no template was named: how LF's own fallback chose it. */
  templateSource?: string
  stage: Stage
  all: LengthHistogram
  dropped: Record<string, number>
  prompt: number
  response: number
  trained: number
  media: number
  switches: StatsResult['switches']
  datasets: {name: string; files: string[]; dropped: Record<string, number>; lengths: LengthHistogram}[]
  /** Packing only (never sharded): every row's length in order, null for a dropped one. */
  lengthsInOrder: (number | null)[]
  firstFile?: string
}

/** A shard reads its slices of the inputs; a source without a manifest is sniffed from its first record, as one process does. */
async function shardSources(sources: Source[], shard: ShardSpec): Promise<void> {
  const flat = sources.flatMap((s, si) => s.files.map((file) => ({si, file})))
  const slices = await shardSlices(flat.map((f) => f.file), shard, {})
  for (const s of sources) s.slices = []
  for (const slice of slices) sources[flat[slice.index]!.si]!.slices!.push(slice)
  for (const source of sources) {
    if (source.attr) continue
    for (const file of source.files) {
      const rows = readRows(file)
      const first = await rows.next()
      await rows.return(undefined)
      if (first.done) continue
      source.attr = resolveDatasetAttr(source.name, sniffEntry(file, first.value.record, (await scanKeys(file)) ?? undefined))
      break
    }
  }
}

/**
 * Rows of one file; when its entry is sniffed, the first row carries the keys of the whole file (a key scan,
 * or for stdin the first STDIN_LOOKAHEAD records, past which a key that changes the sniffed entry stops the run).
 */
async function* sniffedRows(file: string, sniff: boolean, opts: ReadOptions): AsyncGenerator<Row & {keys?: Set<string>}> {
  if (!sniff) {
    yield* readRows(file, opts)
    return
  }
  if (file !== '-') {
    const keys = new Set(await scanKeys(file) ?? [])
    let first = true
    for await (const row of readRows(file, opts)) {
      yield first ? {...row, keys} : row
      first = false
    }
    return
  }
  const {buffered, rest, keys} = await readAhead(file, opts, STDIN_LOOKAHEAD)
  if (buffered.length === 0) return
  const columns = (k: Set<string>) => JSON.stringify(sniffEntry(file, buffered[0]!.record, k).columns)
  const sniffed = columns(keys)
  yield {...buffered[0]!, keys}
  yield* buffered.slice(1)
  for await (const row of rest) {
    for (const key of Object.keys(row.record)) {
      if (keys.has(key)) continue
      keys.add(key)
      if (columns(keys) !== sniffed) throw lateColumnError(key, key, row, 'or register it (lfdata convert writes a manifest stats reads)')
    }
    yield row
  }
}

/**
 * lfdata stats: every record through LF's converter and processor rules, kept examples measured with the
 * real tokenizer and template layout, lengths into an exact histogram. Read → count → summarise.
 */
export async function runStats(opts: StatsOptions, reporter: Reporter): Promise<StatsResult> {
  const started = Date.now()
  const tally = await measureStats(opts, reporter)
  return finishStats(tally, {percentile: opts.percentile, round: opts.round, packing: opts.packing, cutoffLen: opts.cutoffLen}, started)
}

/** Reads and measures (the whole input, or one shard of it with `opts.shard`). */
export async function measureStats(opts: StatsOptions, reporter: Reporter): Promise<StatsTally> {
  if (!(opts.percentile > 0 && opts.percentile <= 100)) throw new UsageError('--percentile must be in (0, 100]')
  if (!Number.isInteger(opts.round) || opts.round < 1) throw new UsageError('--round must be a whole number ≥ 1')
  if (opts.template && !TEMPLATES[opts.template]) throw new UsageError(`unknown template "${opts.template}"`, {suggestion: `lfdata knows: ${TEMPLATE_NAMES.join(', ')}`})
  const switches = opts.switches ?? {}
  const encode = opts.encode ?? {}
  if (switches.toolFormat !== undefined && !(TOOL_FORMATS as readonly string[]).includes(switches.toolFormat)) {
    throw new UsageError(`unknown tool format "${switches.toolFormat}"`, {suggestion: `LF knows: ${TOOL_FORMATS.join(', ')}`})
  }
  if (encode.maskHistory && encode.trainOnPrompt) throw new UsageError('`mask_history` is incompatible with `train_on_prompt`.', {suggestion: 'LF refuses both together; pick one'})
  const {counter, suggestedTemplate, description} = loadTokenizer(opts.tokenizer)
  const guessed = opts.template ?? templateFor(opts.tokenizer, suggestedTemplate)
  // No template named or implied by the tokenizer: what LF does without `template` (parse the chat_template, or empty).
  const resolved = guessed ? undefined : templateWithoutName({chatTemplate: counter.chatTemplate, prefix: () => counter.emptyEncodingText(), specialTokens: counter.specialTokens})
  if (resolved) reporter.info(`template: ${resolved.how}`)
  const templateName = guessed ?? resolved!.template.name
  const template = withSwitches(guessed ? TEMPLATES[guessed]! : resolved!.template, switches)
  if (encode.trainOnPrompt && template.efficientEos) throw new UsageError('Current template does not support `train_on_prompt`.', {suggestion: `LF refuses train_on_prompt with ${templateName} (efficient_eos)`})
  for (const warning of missingTemplateTokens(template, counter)) reporter.warn(warning)
  const lfOptions = processorOptionsFor(template)

  const all = new LengthHistogram()
  const dropped: Record<string, number> = {}
  let prompt = 0
  let response = 0
  let trained = 0
  let media = 0
  let stage: Stage = opts.stage ?? 'sft'
  const lengthsInOrder: (number | null)[] = []
  let done = 0
  let bytesDone = 0
  const sources = await sourcesOf(opts)
  if (opts.shard) {
    if (opts.packing) throw new UsageError('--packing cannot be sharded: LF packs rows in batches of 1,000 in order', {suggestion: 'run stats --packing in one process'})
    await shardSources(sources, opts.shard)
  }
  const datasets: StatsTally['datasets'] = []
  const bytesTotal = await totalBytes(sources)
  const pool = await measurerFor(opts, template, counter, sources)
  try {
    for (const source of sources) {
      stage = opts.stage ?? source.stage ?? (source.attr ? datasetStage(source.attr) : 'sft')
      const h = new LengthHistogram()
      const drops: Record<string, number> = {}
      let attr = source.attr
      // Rows in order; kept examples are measured in batches (on workers for large inputs), two per worker in flight.
      type Where = {file: string; line: number}
      const settle = (rows: (AlignedExample | null)[], at: Where[], seen: Row[], measured: Measured[]) => {
        let k = 0
        for (const [i, row] of rows.entries()) {
          if (row === null) {
            if (opts.packing) lengthsInOrder.push(null)
            continue
          }
          const len = measured[k++]!
          if ('raise' in len) {
            // LF's preprocessing stops the whole run on this record: no length of this dataset is LF's.
            throw new InputError('E_LF_RAISES', `LF's preprocessing raises on record ${at[i]!.line} of dataset ${source.name}: ${len.raise}`, {
              location: at[i],
              suggestion: 'fix or drop the record (lfdata check lists every such record)',
            })
          }
          if ('media' in len) {
            media++
            if (opts.packing) lengthsInOrder.push(null)
            continue
          }
          opts.observer?.measured(seen[i]!, row, len)
          h.add(len.total)
          prompt += len.prompt
          response += len.response
          trained += len.trained
          if (opts.packing) lengthsInOrder.push(len.total)
        }
      }
      async function* batches(): AsyncGenerator<{rows: (AlignedExample | null)[]; where: Where[]; seen: Row[]; stage: Stage}> {
        let batch: (AlignedExample | null)[] = []
        let where: Where[] = []
        let seen: Row[] = []
        for (const {file, range, blocks} of source.slices ?? source.files.map((file): Partial<Slice> & {file: string} => ({file}))) {
          // Without an entry or manifest, each file is sniffed from its first record and all of its keys.
          if (!source.attr) attr = undefined
          // --on-error skip: a line that does not parse is counted as dropped (parse_error), not measured.
          const onError = opts.onError === 'skip' ? () => void (drops.parse_error = (drops.parse_error ?? 0) + 1) : undefined
          for await (const row of sniffedRows(file, source.attr === undefined, {onError, onBytes: (b) => (bytesDone += b), ...(range ? {range} : {}), ...(blocks ? {blocks} : {})})) {
            if (attr === undefined) {
              attr = resolveDatasetAttr(source.name, sniffEntry(file, row.record, row.keys))
              stage = opts.stage ?? datasetStage(attr)
            }
            const verdict = lfVerdict(row.record, attr, stage, lfOptions)
            if (++done % 1000 === 0) reporter.progress({unit: 'examples', done, bytesDone, bytesTotal})
            if (!verdict.kept && verdict.crash) {
              throw new InputError('E_LF_RAISES', `LF's preprocessing raises on record ${row.line} of dataset ${source.name}: ${verdict.detail}`, {
                location: {file, line: row.line},
                suggestion: 'fix or drop the record (lfdata check lists every such record)',
              })
            }
            if (!verdict.kept) {
              drops[verdict.reason] = (drops[verdict.reason] ?? 0) + 1
              opts.observer?.dropped(row, verdict.reason, verdict.detail)
            }
            batch.push(verdict.kept ? verdict.example : null)
            where.push({file, line: row.line})
            if (opts.observer) seen.push(row)
            if (batch.length < BATCH) continue
            yield {rows: batch, where, seen, stage}
            batch = []
            where = []
            seen = []
          }
        }
        if (batch.length > 0) yield {rows: batch, where, seen, stage}
      }
      const measured = pMapIterable(batches(), async (b) => ({...b, lengths: await pool.measure(b.rows.filter((r): r is AlignedExample => r !== null), b.stage)}), {concurrency: 2 * pool.size})
      for await (const {rows, where, seen, lengths} of measured) settle(rows, where, seen, lengths)
      for (const [r, c] of Object.entries(drops)) dropped[r] = (dropped[r] ?? 0) + c
      all.merge(h)
      datasets.push({name: source.name, files: source.files, dropped: drops, lengths: h})
    }
  } finally {
    await pool.close()
  }
  reporter.finish()
  opts.observer?.done({template, counter, stage})
  return {
    tokenizer: opts.tokenizer, vocabulary: description ?? null, template: templateName, templateSource: resolved?.how, stage, all, dropped, prompt, response, trained, media,
    switches: {
      enable_thinking: template.enableThinking, default_system: switches.defaultSystem ?? null, tool_format: switches.toolFormat ?? null,
      mask_history: encode.maskHistory ?? false, train_on_prompt: encode.trainOnPrompt ?? false,
    },
    datasets, lengthsInOrder, firstFile: sources[0]?.files[0],
  }
}

/** Percentiles, histogram, suggestion and impacts from a tally (one process's, or merged partials). */
export function finishStats(tally: StatsTally, opts: Pick<StatsOptions, 'percentile' | 'round' | 'packing' | 'cutoffLen'>, started: number): StatsResult {
  const {all, dropped, lengthsInOrder} = tally
  if (all.n === 0 && tally.media > 0) {
    throw new InputError('E_ONLY_MEDIA', `every example LF keeps has images, videos or audios (${tally.media}): their length depends on the model's image processor, which lfdata does not guess`, {
      location: {file: tally.firstFile},
      suggestion: 'measure the text-only part with a dataset entry that maps no media columns',
    })
  }
  if (all.n === 0) {
    throw new InputError('E_NOTHING_KEPT', `no example would be trained on: every record is dropped by LF's rules (${JSON.stringify(dropped)})`, {
      location: {file: tally.firstFile},
      suggestion: 'run lfdata check for the reasons, record by record',
    })
  }

  const suggestion = suggestCutoff(all, opts.percentile, opts.round)
  let packing: StatsResult['packing'] = null
  if (opts.packing) {
    const cutoff = opts.cutoffLen ?? suggestion.cutoff_len
    const packer = new PackingCounter(cutoff - 1)
    for (const len of lengthsInOrder) packer.add(len)
    packer.flush()
    packing = {cutoff_len: cutoff, sequences: packer.sequences, truncated: packer.truncated}
  }
  const width = bucketWidth(all.max)
  return {
    examples: all.n,
    dropped,
    tokenizer: tally.tokenizer,
    vocabulary: tally.vocabulary,
    template: tally.template,
    ...(tally.templateSource ? {template_source: tally.templateSource} : {}),
    stage: tally.stage,
    lengths: summarize(all),
    prompt_tokens: tally.prompt,
    response_tokens: tally.response,
    trained_tokens: tally.trained,
    media_examples: tally.media,
    switches: tally.switches,
    cutoff_len: {suggested: suggestion.cutoff_len, percentile: opts.percentile, round: opts.round, truncated_examples: suggestion.truncated_examples, truncated_fraction: suggestion.truncated_fraction, tokens_lost: suggestion.tokens_lost},
    at: COMMON_CUTOFFS.map((c) => impact(all, c)),
    histogram: {bucket_width: width, counts: all.buckets(width)},
    cdf: cdfLines(all),
    packing,
    datasets: tally.datasets.map((d) => ({name: d.name, files: d.files, examples: d.lengths.n, dropped: d.dropped, lengths: summarize(d.lengths)})),
    seconds: (Date.now() - started) / 1000,
  }
}
