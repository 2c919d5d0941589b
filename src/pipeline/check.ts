import {existsSync, readdirSync, statSync} from 'node:fs'
import {join, resolve} from 'node:path'

import xxhash from 'xxhash-wasm'

import {UsageError} from '../errors.js'
import {DATA_STAGE, datasetStage, resolveDatasetAttr} from '../lf/attr.js'
import {DATA_ARGS_DEFAULTS, LF_TEMPLATE_NAMES} from '../lf/data-args.js'
import type {Stage} from '../lf/types.js'
import type {Reporter} from '../reporter.js'
import type {EncodeOptions} from '../templates/render.js'
import {processorOptionsFor, TEMPLATES, TOOL_FORMATS, withSwitches, type TemplateSwitches} from '../templates/templates.js'
import {templateWithoutName} from '../templates/parse-chat-template.js'
import {missingTemplateTokens} from '../measure/template-tokens.js'
import {loadTokenizer} from '../tokenize/load.js'
import {checkConfig, datasetNames, guess, STAGES, type TrainConfig} from '../check/config.js'
import {loadDatasetInfo, type LoadedInfo} from '../check/dataset-info.js'
import {closest, Diagnostics, type Diagnostic} from '../check/diagnostics.js'
import {entryFiles} from '../check/files.js'
import {REASONING_TEMPLATES, templateMedia, type Media} from '../check/lf-templates.js'
import {Dedup} from '../check/dedup.js'
import {FingerprintSet} from '../transforms/fingerprint-set.js'
import {checkRecords} from '../check/records.js'
import {summarize, type DatasetSummary} from '../check/summary.js'
import {TokenTally, type TokenSetup} from '../check/tokens.js'

export interface CheckOptions {
  /** Folder with dataset_info.json (default: the YAML's dataset_dir, else "data"), relative to the launch directory. */
  datasetDir?: string
  /** LF train YAML: datasets, stage, template, cutoff_len and the data args come from it. */
  config?: string
  /** Datasets to check (default: the YAML's dataset + eval_dataset, else every registered one). */
  datasets: string[]
  /** Overrides the YAML's stage; without either, each dataset's stage is read off its entry. */
  stage?: Stage
  /** Measure token lengths against cutoff_len with this tokenizer (preset, path or HF repo id). */
  tokenizer?: string
  template?: string
  cutoffLen?: number
  /** Locations kept per grouped diagnostic (default 5). */
  locations?: number
}

export interface CheckResult {
  errors: number
  warnings: number
  infos: number
  diagnostics: Diagnostic[]
  datasets: DatasetSummary[]
}

/**
 * The tokenizer and template the token counts use. A train YAML without `template` gets what LF gives it
 * (the tokenizer's chat_template parsed, or `empty`), reported as LF113; without a YAML a preset's own
 * template stands in.
 */
function tokenSetup(opts: CheckOptions, values: Record<string, unknown>, templateName: string | undefined, diags: Diagnostics): TokenSetup | undefined {
  if (!opts.tokenizer) return undefined
  const {counter, suggestedTemplate} = loadTokenizer(opts.tokenizer)
  const name = templateName ?? (opts.config ? undefined : suggestedTemplate)
  let template = name ? TEMPLATES[name] : undefined
  if (name && !template) throw new UsageError(`lfdata cannot measure tokens with template ${name}`, {suggestion: `pass --template, one of ${Object.keys(TEMPLATES).join(', ')}`})
  if (!template) {
    const resolved = templateWithoutName({chatTemplate: counter.chatTemplate, prefix: () => counter.emptyEncodingText(), specialTokens: counter.specialTokens})
    diags.add('LF113', 'no template set: LF picks one from the tokenizer', {file: opts.config}, `template: ${resolved.how}`)
    template = resolved.template
  }
  const cutoffLen = opts.cutoffLen ?? (typeof values.cutoff_len === 'number' ? values.cutoff_len : DATA_ARGS_DEFAULTS.cutoff_len)
  return {
    counter, template: withSwitches(template, yamlSwitches(values)), cutoffLen, packing: typeof values.packing === 'boolean' ? values.packing : undefined,
    neatPacking: values.neat_packing === true, options: yamlEncodeOptions(values),
  }
}

/** The data args of the YAML that change what the template renders (LF applies them to the template). */
function yamlSwitches(values: Record<string, unknown>): TemplateSwitches {
  const et = values.enable_thinking
  return {
    ...(et === true || et === false || et === null ? {enableThinking: et} : {}),
    ...(typeof values.preserve_thinking === 'boolean' ? {preserveThinking: values.preserve_thinking} : {}),
    ...(typeof values.default_system === 'string' ? {defaultSystem: values.default_system} : {}),
    ...(typeof values.tool_format === 'string' && (TOOL_FORMATS as readonly string[]).includes(values.tool_format) ? {toolFormat: values.tool_format} : {}),
  }
}

function yamlEncodeOptions(values: Record<string, unknown>): EncodeOptions {
  return {maskHistory: values.mask_history === true, trainOnPrompt: values.train_on_prompt === true}
}

/** tokenized_path: any non-empty folder makes LF load it and ignore the data (and data args). */
function checkTokenizedPath(cfg: TrainConfig, dataFiles: string[], diags: Diagnostics): void {
  const path = cfg.values.tokenized_path
  if (typeof path !== 'string') return
  const at = {file: cfg.file, line: cfg.lines.get('tokenized_path')}
  const entries = existsSync(path) && statSync(path).isDirectory() ? readdirSync(path) : []
  if (entries.length === 0) {
    if (cfg.values.streaming === true) diags.add('LF104', 'Turn off `streaming` when saving dataset to disk.', at)
    return
  }
  const written = Math.max(...entries.map((e) => statSync(join(path, e)).mtimeMs))
  const newer = dataFiles.find((f) => statSync(f).mtimeMs > written)
  diags.add('LF107', 'tokenized_path holds data: LF loads it and ignores the data files', at, newer ? `stale: ${newer} changed after ${path} was written` : `${resolve(path)} is not empty`)
}

/** What every dataset of a run is checked against. */
interface RunContext {
  diags: Diagnostics
  reporter: Reporter
  datasetDir: string
  dinfo: LoadedInfo
  values: Record<string, unknown>
  /** --stage or the YAML's; undefined: read off each entry. */
  stage?: Stage
  template?: string
  tokens?: TokenSetup
  dedup: Dedup
}

/** One registered name: its entry, its files and every record. Returns its summary and the files read. */
async function checkDataset(name: string, ctx: RunContext): Promise<{summary?: DatasetSummary; files: string[]}> {
  const {diags, dinfo, values} = ctx
  const entry = Object.hasOwn(dinfo.info, name) ? dinfo.info[name] : undefined
  const at = {file: dinfo.path, line: dinfo.lines.get(name), dataset: name}
  if (entry === undefined) {
    const best = closest(name, Object.keys(dinfo.info))
    const asPath = /[/\\]|\.(jsonl?|csv|parquet|arrow|txt)$/.test(name) ? '; dataset takes names registered in dataset_info.json, not file paths' : ''
    diags.add('LF207', 'dataset is not registered', {file: dinfo.path, dataset: name}, `Undefined dataset ${name} in dataset_info.json.${best ? ` Did you mean "${best}"?` : ''}${asPath}`)
    return {files: []}
  }
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return {files: []}
  const attr = resolveDatasetAttr(name, entry)
  if (typeof attr.datasetName !== 'string' || attr.datasetName === '') return {files: []} // no usable source: LF203 says so
  if (attr.loadFrom !== 'file') {
    // One group for all of them: a full dataset_info.json lists many hub datasets.
    diags.add('LF210', 'hub, script or cloud dataset: not checked offline', {file: dinfo.path, line: at.line}, `${name} (${attr.loadFrom}: ${attr.datasetName})`)
    return {files: []}
  }
  const stage = ctx.stage ?? datasetStage(attr)
  if (STAGES.includes(stage) && (DATA_STAGE[stage] === 'rm') !== attr.ranking) diags.add('LF208', 'ranking does not match the stage', at, `ranking: ${attr.ranking}, stage: ${stage}`)
  if (attr.formatting === 'openai') diags.add('LF212', 'formatting openai rewrites the system prompt', at)

  const {files, failed} = entryFiles(attr, ctx.datasetDir, diags)
  const template = ctx.template
  const maxSamples = typeof values.max_samples === 'number' ? values.max_samples : undefined
  const tokens = ctx.tokens ? new TokenTally(ctx.tokens, stage) : undefined
  ctx.reporter.info(`checking ${name} (${files.length} file${files.length === 1 ? '' : 's'}, stage ${stage})`)
  const counts = await checkRecords({
    dataset: name, attr, entry, files, stage, maxSamples, tokens, dedup: ctx.dedup, reporter: ctx.reporter,
    media: {
      mediaDir: typeof values.media_dir === 'string' ? values.media_dir : ctx.datasetDir,
      accepted: template !== undefined && LF_TEMPLATE_NAMES.includes(template) ? templateMedia(template) : undefined,
      mapped: new Set<Media>((['image', 'video', 'audio'] as const).filter((m) => attr.columns[`${m}s`] !== null)),
    },
    reasoningTemplate: template !== undefined && REASONING_TEMPLATES.has(template) ? template : undefined,
    // tool_format in the YAML replaces the template's function formatter, whose crash rules the processor applies.
    processor: template !== undefined && Object.hasOwn(TEMPLATES, template) ? processorOptionsFor(withSwitches(TEMPLATES[template]!, yamlSwitches(values))) : undefined,
    rendering: ctx.tokens ? {template: ctx.tokens.template, options: ctx.tokens.options} : template !== undefined && Object.hasOwn(TEMPLATES, template) ? {template: withSwitches(TEMPLATES[template]!, yamlSwitches(values)), options: yamlEncodeOptions(values)} : undefined,
  }, diags)
  if (failed) counts.fatal.push(failed)
  const summary = summarize({
    name, stage, stageInferred: ctx.stage === undefined, files: files.length, counts, numSamples: attr.numSamples,
    maxSamples, streaming: values.streaming === true, tokens: tokens?.report(name, diags),
  })
  return {summary, files: files.map((f) => f.path)}
}

/**
 * lfdata check: the train YAML, dataset_info.json, the files and every record, as LF would see them when
 * launched from the current directory. Returns the diagnostics and a summary per dataset; never exits (the
 * command turns errors into exit code 4).
 */
export async function runCheck(opts: CheckOptions, reporter: Reporter): Promise<CheckResult> {
  const diags = new Diagnostics(opts.locations ?? 5)
  let cfg: TrainConfig | undefined
  if (opts.config) {
    if (!existsSync(opts.config)) throw new UsageError(`config not found: ${opts.config}`)
    cfg = await checkConfig(opts.config, diags)
  }
  const values = cfg?.values ?? {}
  const datasetDir = opts.datasetDir ?? (typeof values.dataset_dir === 'string' ? values.dataset_dir : 'data')
  if (cfg) diags.add('LF108', 'dataset_dir resolves against the launch directory', {file: cfg.file, line: cfg.lines.get('dataset_dir')}, `"${datasetDir}" is ${resolve(datasetDir)} when LF is launched from ${process.cwd()}`)
  const template = opts.template ?? (typeof values.template === 'string' ? values.template : undefined)
  if (opts.template && !LF_TEMPLATE_NAMES.includes(opts.template)) diags.add('LF103', `Template ${opts.template} does not exist.`, {}, guess(opts.template, LF_TEMPLATE_NAMES))
  const tokens = tokenSetup(opts, values, template, diags)
  if (tokens) for (const warning of missingTemplateTokens(tokens.template, tokens.counter)) reporter.warn(warning)

  const summaries: DatasetSummary[] = []
  const dataFiles: string[] = []
  let dedup: Dedup | undefined
  const online = datasetDir === 'ONLINE' || datasetDir.startsWith('REMOTE:')
  if (online) diags.add('LF210', 'datasets come from the hub: not checked offline', {}, `dataset_dir: ${datasetDir}`)
  const dinfo = online ? undefined : loadDatasetInfo(datasetDir, diags, opts.config)
  if (dinfo) {
    const hasher = await xxhash()
    dedup = new Dedup(hasher.h64.bind(hasher), new FingerprintSet())
    // With a YAML, LF's default stage is sft; with neither YAML nor --stage, each entry says what it is for.
    const ctx: RunContext = {diags, reporter, datasetDir, dinfo, values, stage: opts.stage ?? (cfg ? ((values.stage as Stage | undefined) ?? 'sft') : undefined), template, tokens, dedup}
    const names = opts.datasets.length > 0 ? opts.datasets : cfg ? [...datasetNames(values.dataset), ...datasetNames(values.eval_dataset)] : Object.keys(dinfo.info)
    for (const name of new Set(names)) {
      const {summary, files} = await checkDataset(name, ctx)
      if (summary) summaries.push(summary)
      dataFiles.push(...files)
    }
  }
  if (dedup?.full) diags.add('LF431', 'the exact-duplicate check stopped at its memory bound', {}, `only the first ${dedup.limit.toLocaleString('en')} distinct examples were compared`)
  if (cfg) {
    crossChecks(cfg, summaries, diags)
    checkTokenizedPath(cfg, dataFiles, diags)
  }
  reporter.finish()
  return {errors: diags.count('error'), warnings: diags.count('warning'), infos: diags.count('info'), diagnostics: diags.list(), datasets: summaries}
}

/** YAML rules that need the data: max_samples vs rows, val_size vs rows, pt packing yielding no block. */
function crossChecks(cfg: TrainConfig, summaries: DatasetSummary[], diags: Diagnostics): void {
  const v = cfg.values
  const at = (key: string) => ({file: cfg.file, line: cfg.lines.get(key)})
  const train = new Set(datasetNames(v.dataset))
  const trainSets = summaries.filter((s) => train.has(s.name))
  const maxSamples = typeof v.max_samples === 'number' ? v.max_samples : undefined
  for (const s of summaries) {
    if (maxSamples !== undefined && maxSamples < s.records) diags.add('LF106', 'max_samples caps the dataset', {...at('max_samples'), dataset: s.name}, `keeps the first ${maxSamples} of ${s.records} rows`)
  }
  // split_dataset: an integer (or any value > 1) is a number of examples, anything else a fraction.
  const valSize = typeof v.val_size === 'number' ? v.val_size : 0
  const count = valSize > 1 || (valSize === 1 && !/[.eE]/.test(cfg.sources.get('val_size') ?? ''))
  const rows = trainSets.reduce((n, s) => n + Math.min(s.records, maxSamples ?? Infinity), 0)
  if (valSize > 1e-6 && (count || valSize < 1) && v.eval_dataset === undefined && v.streaming !== true && rows > 0) {
    const test = count ? Math.floor(valSize) : Math.ceil(valSize * rows)
    if (rows - test < 1) diags.add('LF104', 'val_size leaves no training example', at('val_size'), `val_size ${cfg.sources.get('val_size') ?? valSize}: ${test} of ${rows} rows go to evaluation`)
  }
  const packed = trainSets.filter((s) => s.tokens?.blocks !== undefined)
  if (packed.length > 0 && packed.reduce((n, s) => n + s.tokens!.blocks!, 0) === 0) {
    diags.add('LF503', 'pre-training text does not fill one block: LF fails with "Cannot find sufficient samples"', {dataset: packed[0]!.name}, `fewer than ${packed[0]!.tokens!.cutoff_len} tokens per 1000-row batch`)
  }
}
