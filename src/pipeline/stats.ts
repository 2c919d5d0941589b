import {stat} from 'node:fs/promises'
import {availableParallelism} from 'node:os'

import {InputError, UsageError} from '../errors.js'
import {readManifest} from '../io/manifest.js'
import {expandInputs, readRows} from '../io/read.js'
import {datasetStage, resolveDatasetAttr} from '../lf/attr.js'
import {readDatasetInfo, resolveDataset} from '../io/dataset-files.js'
import {lfVerdict} from '../lf/processor.js'
import {sniffEntry} from '../lf/sniff.js'
import type {AlignedExample, DatasetAttr, Stage} from '../lf/types.js'
import type {Reporter} from '../reporter.js'
import {LengthHistogram} from '../measure/length-histogram.js'
import {bucketWidth, cdfLines} from '../stats/render.js'
import {COMMON_CUTOFFS, impact, PackingCounter, suggestCutoff, summarize, type CutoffImpact, type LengthSummary} from '../stats/summary.js'
import {exampleLength, type Length} from '../measure/encode.js'
import {processorOptionsFor, TEMPLATES, TEMPLATE_NAMES} from '../templates/templates.js'
import type {TokenCounter} from '../tokenize/counter.js'
import {loadTokenizer} from '../tokenize/load.js'
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
  /** Worker threads for token counting (default: one per core but one; inputs under 8 MB are counted in-process). */
  workers?: number
  /** Measure only this shard of the inputs (src/shard/plan.ts); the caller writes a partial instead of a result. */
  shard?: ShardSpec
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
  template: string
  stage: Stage
  lengths: LengthSummary
  prompt_tokens: number
  response_tokens: number
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
  measure(examples: AlignedExample[], stage: Stage): Promise<Length[]>
  close(): Promise<void>
}

/** Token counting in-process for small inputs (worker start-up would dominate), on a worker pool otherwise. */
async function measurerFor(opts: StatsOptions, template: string, counter: TokenCounter, sources: Source[]): Promise<Measurer> {
  const bytes = (await Promise.all(sources.flatMap((s) => s.files).map((f) => stat(f).then((x) => x.size, () => 0)))).reduce((a, b) => a + b, 0)
  // The main thread reads and applies LF's rules at about the speed one worker counts, so it keeps a core.
  const workers = opts.workers ?? (bytes < 8 * 1024 * 1024 ? 0 : Math.max(1, availableParallelism() - 1))
  if (!Number.isInteger(workers) || workers < 0) throw new UsageError('--workers must be a whole number ≥ 0')
  if (workers === 0) {
    const tpl = TEMPLATES[template]!
    return {size: 1, measure: (examples, stage) => Promise.resolve(examples.map((ex) => exampleLength(ex, tpl, counter, stage))), close: () => Promise.resolve()}
  }
  const pools = new Map<Stage, LengthPool>()
  return {
    size: workers,
    measure(examples, stage) {
      let pool = pools.get(stage)
      if (!pool) pools.set(stage, (pool = new LengthPool({tokenizer: opts.tokenizer, template, stage, counter: counter.spec}, workers)))
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
  template: string
  stage: Stage
  all: LengthHistogram
  dropped: Record<string, number>
  prompt: number
  response: number
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
      source.attr = resolveDatasetAttr(source.name, sniffEntry(file, first.value.record))
      break
    }
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
  const {counter, suggestedTemplate} = loadTokenizer(opts.tokenizer)
  const templateName = opts.template ?? templateFor(opts.tokenizer, suggestedTemplate)
  if (!templateName) throw new UsageError(`cannot tell the template for tokenizer ${opts.tokenizer}`, {suggestion: `pass --template (${TEMPLATE_NAMES.join(', ')})`})
  const template = TEMPLATES[templateName]!
  const lfOptions = processorOptionsFor(template)

  const all = new LengthHistogram()
  const dropped: Record<string, number> = {}
  let prompt = 0
  let response = 0
  let stage: Stage = opts.stage ?? 'sft'
  const lengthsInOrder: (number | null)[] = []
  let done = 0
  const sources = await sourcesOf(opts)
  if (opts.shard) {
    if (opts.packing) throw new UsageError('--packing cannot be sharded: LF packs rows in batches of 1,000 in order', {suggestion: 'run stats --packing in one process'})
    await shardSources(sources, opts.shard)
  }
  const datasets: StatsTally['datasets'] = []
  const pool = await measurerFor(opts, templateName, counter, sources)
  try {
    for (const source of sources) {
      stage = opts.stage ?? source.stage ?? (source.attr ? datasetStage(source.attr) : 'sft')
      const h = new LengthHistogram()
      const drops: Record<string, number> = {}
      let attr = source.attr
      // Rows in order; kept examples are measured in batches (on workers for large inputs), at most a few in flight.
      let batch: (AlignedExample | null)[] = []
      const inFlight: {rows: (AlignedExample | null)[]; lengths: Promise<Length[]>}[] = []
      const settle = async () => {
        const {rows, lengths} = inFlight.shift()!
        const measured = await lengths
        let k = 0
        for (const row of rows) {
          if (row === null) {
            if (opts.packing) lengthsInOrder.push(null)
            continue
          }
          const len = measured[k++]!
          h.add(len.total)
          prompt += len.prompt
          response += len.response
          if (opts.packing) lengthsInOrder.push(len.total)
        }
      }
      const submit = async () => {
        inFlight.push({rows: batch, lengths: pool.measure(batch.filter((r): r is AlignedExample => r !== null), stage)})
        batch = []
        if (inFlight.length > 2 * pool.size) await settle()
      }
      for (const {file, range} of source.slices ?? source.files.map((file) => ({file, range: undefined}))) {
        for await (const row of readRows(file, range ? {range} : {})) {
          if (attr === undefined) {
            attr = resolveDatasetAttr(source.name, sniffEntry(file, row.record))
            stage = opts.stage ?? datasetStage(attr)
          }
          const verdict = lfVerdict(row.record, attr, stage, lfOptions)
          if (++done % 1000 === 0) reporter.progress({unit: 'examples', done})
          if (!verdict.kept) drops[verdict.reason] = (drops[verdict.reason] ?? 0) + 1
          batch.push(verdict.kept ? verdict.example : null)
          if (batch.length >= BATCH) await submit()
        }
      }
      if (batch.length > 0) await submit()
      while (inFlight.length > 0) await settle()
      for (const [r, c] of Object.entries(drops)) dropped[r] = (dropped[r] ?? 0) + c
      all.merge(h)
      datasets.push({name: source.name, files: source.files, dropped: drops, lengths: h})
    }
  } finally {
    await pool.close()
  }
  reporter.finish()
  return {tokenizer: opts.tokenizer, template: templateName, stage, all, dropped, prompt, response, datasets, lengthsInOrder, firstFile: sources[0]?.files[0]}
}

/** Percentiles, histogram, suggestion and impacts from a tally (one process's, or merged partials). */
export function finishStats(tally: StatsTally, opts: Pick<StatsOptions, 'percentile' | 'round' | 'packing' | 'cutoffLen'>, started: number): StatsResult {
  const {all, dropped, lengthsInOrder} = tally
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
    template: tally.template,
    stage: tally.stage,
    lengths: summarize(all),
    prompt_tokens: tally.prompt,
    response_tokens: tally.response,
    cutoff_len: {suggested: suggestion.cutoff_len, percentile: opts.percentile, round: opts.round, truncated_examples: suggestion.truncated_examples, truncated_fraction: suggestion.truncated_fraction, tokens_lost: suggestion.tokens_lost},
    at: COMMON_CUTOFFS.map((c) => impact(all, c)),
    histogram: {bucket_width: width, counts: all.buckets(width)},
    cdf: cdfLines(all),
    packing,
    datasets: tally.datasets.map((d) => ({name: d.name, files: d.files, examples: d.lengths.n, dropped: d.dropped, lengths: summarize(d.lengths)})),
    seconds: (Date.now() - started) / 1000,
  }
}
