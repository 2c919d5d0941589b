import {join} from 'node:path'

import {UsageError} from '../errors.js'
import {guardOutputs} from '../io/output-guard.js'
import {readManifest} from '../io/manifest.js'
import {readRows} from '../io/read.js'
import {REASONING_TEMPLATES} from '../check/lf-templates.js'
import {resolveDatasetAttr} from '../lf/attr.js'
import {lfVerdict} from '../lf/processor.js'
import {resolveDataset} from '../io/dataset-files.js'
import type {DatasetInfo, DatasetInfoEntry} from '../lf/dataset-info.js'
import {DATA_ARGS_DEFAULTS, LF_TEMPLATE_NAMES, MIX_STRATEGIES, type MixStrategy} from '../lf/data-args.js'
import type {DatasetAttr, Stage} from '../lf/types.js'
import {datasetInfoTarget, loadDatasetInfo, saveDatasetInfo, withEntry, withoutEntry} from '../registry/dataset-info-file.js'
import {buildEntry, type EntryOptions} from '../registry/entry.js'
import {withLock} from '../registry/lock.js'
import {planMix, resolveProbs, type MixPlan} from '../registry/mix-plan.js'
import {writeTrainYaml} from '../registry/train-yaml.js'
import type {Reporter} from '../reporter.js'
import {TEMPLATE_NAMES, TEMPLATES} from '../templates/templates.js'
import {runStats, templateFor} from './stats.js'

/** What goes into the entry (EntryOptions) plus what register does with it. */
export interface RegisterOptions extends Omit<EntryOptions, 'file'> {
  file?: string
  name?: string
  force: boolean
  list: boolean
  remove?: string
  yaml?: string
  model?: string
  template?: string
  tokenizer?: string
  cutoffLen?: string
  with: string[]
  mix?: MixStrategy
  probs?: string
  stage?: Stage
  maxSamples?: number
}

export interface RegisterResult {
  action: 'added' | 'updated' | 'unchanged' | 'removed' | 'listed'
  name: string | null
  entry: DatasetInfoEntry | null
  dataset_info: string
  yaml: string | null
  mix: MixPlan | null
  /** With --list: every entry's name and source. */
  entries?: {name: string; source: string; formatting: string}[]
}

async function countRecords(files: string[]): Promise<number> {
  const manifest = files.length === 1 ? await readManifest(files[0]!) : undefined
  if (manifest) return manifest.records_out
  let n = 0
  for (const f of files) for await (const _ of readRows(f)) n++
  return n
}

/** Whether any example LF keeps has a thought block in a response. Stops at the first one. */
async function hasThoughts(sources: {attr: DatasetAttr; files: string[]}[], stage: Stage): Promise<boolean> {
  for (const {attr, files} of sources) {
    for (const file of files) {
      for await (const row of readRows(file)) {
        const verdict = lfVerdict(row.record, attr, stage)
        if (verdict.kept && verdict.example.response.some((m) => typeof m.content === 'string' && m.content.includes('think>'))) return true
      }
    }
  }
  return false
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/** lfdata register: one entry into dataset_info.json under a lock, then (optionally) the train YAML and mix plan. */
export async function register(opts: RegisterOptions, reporter: Reporter): Promise<RegisterResult> {
  const dinfoPath = join(opts.datasetDir, 'dataset_info.json')
  const base = {dataset_info: dinfoPath, yaml: null, mix: null}
  if (opts.list) {
    const file = await loadDatasetInfo(dinfoPath)
    const entries = Object.entries(file.info).map(([name, e]) => ({name, source: e.file_name ?? e.hf_hub_url ?? e.ms_hub_url ?? e.om_hub_url ?? e.script_url ?? e.cloud_file_name ?? '?', formatting: e.formatting ?? 'alpaca'}))
    return {action: 'listed', name: null, entry: null, entries, ...base}
  }
  // A symlinked dataset_info.json is edited in its target (and locked there), so the link survives.
  const real = datasetInfoTarget(dinfoPath)
  // Before anything is read or written: the YAML and the backup must not be an input, each other, a link out
  // of their folder or a device. (dataset_info.json itself is guarded where it is written.)
  guardOutputs({
    inputs: [opts.file ?? '-', real],
    outputs: [{path: opts.yaml ?? '-', what: '--yaml'}, {path: opts.force || opts.remove ? `${real}.bak` : '-', what: 'the backup'}],
  })
  if (opts.remove) {
    const name = opts.remove
    return withLock(real, async () => {
      const file = await loadDatasetInfo(real)
      if (!Object.hasOwn(file.info, name)) throw new UsageError(`no dataset named ${name} in ${dinfoPath}`, {suggestion: `lfdata register --list --dataset-dir ${opts.datasetDir} shows the names`})
      await saveDatasetInfo(file, withoutEntry(file, name), true)
      return {action: 'removed', name, entry: file.info[name]!, ...base}
    })
  }
  if (!opts.file || !opts.name) throw new UsageError('register needs FILE and --name', {suggestion: 'lfdata register data/train.jsonl --name my_data'})
  if (!/^[\w.-]+$/.test(opts.name)) throw new UsageError(`--name ${opts.name}: use letters, digits, _ . - only (LF splits dataset lists on commas)`)
  if (opts.template && !LF_TEMPLATE_NAMES.includes(opts.template)) throw new UsageError(`unknown template ${opts.template}`, {suggestion: 'see LF\'s data/template.py for names'})
  if (opts.mix && !MIX_STRATEGIES.includes(opts.mix)) throw new UsageError(`--mix must be one of ${MIX_STRATEGIES.join(', ')}`)

  const name = opts.name
  const built = await buildEntry({file: opts.file, datasetDir: opts.datasetDir, copy: opts.copy, allowOutside: opts.allowOutside, formatting: opts.formatting, ranking: opts.ranking, columns: opts.columns, tags: opts.tags})
  let info: DatasetInfo = {}
  const action = await withLock(real, async () => {
    const file = await loadDatasetInfo(real)
    info = file.info
    const old = Object.hasOwn(file.info, name) ? file.info[name] : undefined
    if (old && sameJson(old, built.entry)) return 'unchanged' as const
    if (old && !opts.force) {
      throw new UsageError(`dataset ${name} is already registered with a different entry`, {code: 'E_EXISTS', suggestion: 'pass --force to replace it (the old file is kept as dataset_info.json.bak), or choose another --name'})
    }
    await saveDatasetInfo(file, withEntry(file, name, built.entry), Boolean(old))
    info = {...file.info, [name]: built.entry}
    return old ? ('updated' as const) : ('added' as const)
  })

  let mix: MixPlan | null = null
  const datasets = [name, ...opts.with.filter((w) => w !== name)]
  if (opts.mix || opts.with.length > 0) {
    // fromEntries makes own properties: a dataset may be called __proto__ in LF's dict.
    const counted: [string, number][] = [[name, built.size ?? (await countRecords(built.files))]]
    for (const other of opts.with) counted.push([other, await countRecords(resolveDataset(other, info, opts.datasetDir).files)])
    const sizes = Object.fromEntries(counted)
    const strategy = opts.mix ?? 'concat'
    if (strategy === 'concat' && opts.probs) throw new UsageError('--probs needs an interleave --mix strategy (LF: interleave_probs is only valid for interleaved mixing)')
    mix = planMix(strategy, sizes, strategy === 'concat' ? null : resolveProbs(opts.probs, sizes))
  }

  let yaml: string | null = null
  if (opts.yaml) {
    const model = opts.model ?? 'Qwen/Qwen2.5-7B-Instruct'
    const stage = opts.stage ?? built.stage
    let template = opts.template ?? templateFor(model) ?? 'default'
    // A reasoning template adds an empty thought to every response without one (check: LF109); for data without
    // thoughts the model's _nothink variant trains on the data as written. An explicit --template is kept.
    const nothink = `${template}_nothink`
    if (!opts.template && REASONING_TEMPLATES.has(template) && LF_TEMPLATE_NAMES.includes(nothink)) {
      const sources = [{attr: resolveDatasetAttr(name, built.entry), files: built.files}, ...opts.with.filter((w) => w !== name).map((w) => resolveDataset(w, info, opts.datasetDir))]
      if (!(await hasThoughts(sources, stage))) template = nothink
    }
    let cutoffLen: number = DATA_ARGS_DEFAULTS.cutoff_len
    if (opts.cutoffLen === 'auto') {
      const tokenizer = opts.tokenizer ?? (template.startsWith('qwen') ? 'qwen' : template.startsWith('llama3') ? 'llama3' : undefined)
      if (!tokenizer) throw new UsageError('--cutoff-len auto needs --tokenizer for this template')
      if (!TEMPLATES[template]) throw new UsageError(`--cutoff-len auto: lfdata cannot measure template ${template} yet`, {suggestion: `pass --cutoff-len N, or a template lfdata knows (${TEMPLATE_NAMES.join(', ')})`})
      const stats = await runStats({files: [], datasets, datasetDir: opts.datasetDir, tokenizer, template, stage, percentile: 99, round: 128, packing: false}, reporter)
      cutoffLen = stats.cutoff_len.suggested
    } else if (opts.cutoffLen !== undefined) {
      cutoffLen = Number(opts.cutoffLen)
      if (!Number.isInteger(cutoffLen) || cutoffLen < 1) throw new UsageError('--cutoff-len must be a whole number or auto')
    }
    await writeTrainYaml(opts.yaml, {
      model, stage, template, datasets, datasetDir: opts.datasetDir, cutoffLen,
      mixStrategy: mix?.strategy, interleaveProbs: mix?.probs ? Object.values(mix.probs) : undefined, maxSamples: opts.maxSamples,
    })
    yaml = opts.yaml
  }
  return {action, name, entry: built.entry, dataset_info: dinfoPath, yaml, mix}
}

