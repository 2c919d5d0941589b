import {existsSync, readFileSync, statSync} from 'node:fs'
import {extname, isAbsolute, join, resolve} from 'node:path'

import {LfdataError, UsageError} from '../errors.js'
import {readRows} from '../io/read.js'
import {DATA_STAGE, DEFAULT_COLUMNS, DEFAULT_TAGS, resolveDatasetAttr} from '../lf/attr.js'
import {FILEEXT2TYPE, lfFolderFiles} from '../lf/dataset-files.js'
import {parseDatasetInfoText, validateDatasetInfo, type DatasetInfo} from '../lf/dataset-info.js'
import {COLUMN_KEYS, TAG_KEYS, type DatasetAttr, type Stage} from '../lf/types.js'
import type {Reporter} from '../reporter.js'
import {TEMPLATES} from '../templates/templates.js'
import {loadTokenizer} from '../tokenize/load.js'
import {checkConfig} from './config.js'
import {closest, Diagnostics, type Diagnostic} from './diagnostics.js'
import {checkRecords, type DatasetSummary} from './records.js'

export interface CheckOptions {
  datasetDir?: string
  config?: string
  datasets: string[]
  stage?: Stage
  tokenizer?: string
  template?: string
  cutoffLen?: number
}

export interface CheckResult {
  errors: number
  warnings: number
  infos: number
  diagnostics: Diagnostic[]
  datasets: (DatasetSummary & {summary: string})[]
}

const list = (v: unknown): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : String(v).split(',').map((s) => s.trim()).filter(Boolean))

/** The files LF loads for a file entry, or diagnostics saying why it cannot. */
function entryFiles(attr: DatasetAttr, datasetDir: string, diags: Diagnostics): string[] {
  const path = isAbsolute(attr.datasetName) ? attr.datasetName : join(datasetDir, attr.datasetName)
  const at = {file: path, dataset: attr.name}
  if (!existsSync(path)) {
    diags.add('LF301', `File ${path} not found`, at)
    return []
  }
  if (statSync(path).isDirectory()) {
    const folder = lfFolderFiles(path)
    if (!folder.ok) {
      diags.add(folder.message.startsWith('no file') ? 'LF302' : 'LF303', folder.message, at)
      return []
    }
    return folder.files
  }
  const type = FILEEXT2TYPE[extname(path).slice(1)]
  if (!type) {
    diags.add('LF302', `"${extname(path) || '(no extension)'}" is not a type LF loads`, at)
    return []
  }
  if (type === 'text') {
    const head = readFileSync(path, 'utf8').slice(0, 200).trimStart()
    if (head.startsWith('{') || head.startsWith('[')) diags.add('LF307', 'the .txt file looks like JSON; LF reads it line by line as {"text": …}', at)
  }
  if (readFileSync(path).subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))) diags.add('LF309', 'UTF-8 BOM at the start', at)
  return [path]
}

/** Partial blocks: a default the data relies on, nulled because the entry's block does not list it. */
async function checkPartialBlocks(attr: DatasetAttr, entry: DatasetInfo[string], file: string, diags: Diagnostics): Promise<void> {
  const first = await readRows(file)[Symbol.asyncIterator]().next().catch(() => undefined)
  if (!first || first.done) return
  const record = first.value.record
  const at = {file, line: first.value.line, dataset: attr.name}
  const listKey = Object.keys(record).find((k) => Array.isArray(record[k]) && (record[k] as unknown[]).some((m) => m && typeof m === 'object' && !Array.isArray(m)))
  const alpacaColumns = (['prompt', 'query', 'response', 'history', 'system', 'tools', 'chosen', 'rejected'] as const).map((k) => attr.columns[k])
  if (attr.formatting === 'alpaca' && listKey && !alpacaColumns.includes(listKey)) {
    diags.add('LF209', `column "${listKey}" holds a conversation but the entry has no "formatting": "sharegpt"`, at)
  }
  if (entry.columns) {
    for (const key of COLUMN_KEYS) {
      const def = DEFAULT_COLUMNS[key]
      if (def && attr.columns[key] === null && Object.hasOwn(record, def)) {
        const relevant = attr.formatting === 'alpaca' ? ['prompt', 'query', 'response'].includes(key) : key === 'messages'
        if (relevant) diags.add('LF205', `columns omits ${key}: LF nulls it, so the "${def}" column is ignored`, at)
      }
    }
  }
  if (entry.tags && attr.formatting !== 'alpaca' && attr.columns.messages && Array.isArray(record[attr.columns.messages])) {
    const roleKey = attr.tags.role_tag ?? 'from'
    const roles = new Set((record[attr.columns.messages] as Record<string, unknown>[]).map((m) => m?.[roleKey]))
    for (const key of TAG_KEYS) {
      if (attr.tags[key] === null && key !== 'role_tag' && key !== 'content_tag' && roles.has(DEFAULT_TAGS[key])) {
        diags.add('LF206', `tags omits ${key}: LF nulls it, so "${DEFAULT_TAGS[key]}" turns are not recognised`, at)
      }
    }
  }
}

/**
 * lfdata check: config, dataset_info.json, files and every record, as LF would see them. Returns diagnostics;
 * never exits (the command turns errors into exit code 4).
 */
export async function runCheck(opts: CheckOptions, reporter: Reporter): Promise<CheckResult> {
  const diags = new Diagnostics()
  let values: Record<string, unknown> = {}
  if (opts.config) {
    if (!existsSync(opts.config)) throw new UsageError(`config not found: ${opts.config}`)
    values = (await checkConfig(opts.config, diags))?.values ?? {}
  }
  const datasetDir = opts.datasetDir ?? (typeof values.dataset_dir === 'string' ? values.dataset_dir : 'data')
  if (opts.config) diags.add('LF108', `dataset_dir "${datasetDir}" resolves to ${resolve(datasetDir)} when LF is launched from ${process.cwd()}`, {file: opts.config})
  const stage = (opts.stage ?? (values.stage as Stage | undefined) ?? 'sft') as Stage
  const cutoffLen = opts.cutoffLen ?? (typeof values.cutoff_len === 'number' ? values.cutoff_len : 2048)
  const packing = typeof values.packing === 'boolean' ? values.packing : values.neat_packing === true || stage === 'pt'
  const templateName = opts.template ?? (typeof values.template === 'string' ? values.template : undefined)
  let tokens: Parameters<typeof checkRecords>[0]['tokens']
  if (opts.tokenizer) {
    const {counter, suggestedTemplate} = loadTokenizer(opts.tokenizer)
    const name = templateName ?? suggestedTemplate
    const template = name ? TEMPLATES[name] : undefined
    if (!template) throw new UsageError(`cannot measure tokens with template ${name ?? '(none)'}`, {suggestion: `pass --template (${Object.keys(TEMPLATES).join(', ')})`})
    tokens = {counter, template, cutoffLen: packing ? cutoffLen - 1 : cutoffLen, packing}
  }

  const dinfoPath = join(datasetDir, 'dataset_info.json')
  const summaries: CheckResult['datasets'] = []
  let info: DatasetInfo | undefined
  if (!existsSync(dinfoPath)) diags.add('LF201', `Cannot open ${dinfoPath}`, {file: dinfoPath})
  else {
    try {
      info = parseDatasetInfoText(readFileSync(dinfoPath, 'utf8'), dinfoPath) as DatasetInfo
    } catch (error) {
      if (!(error instanceof LfdataError)) throw error
      diags.add('LF202', error.message.replace(/ — .*$/, ''), {file: dinfoPath, line: error.location?.line})
    }
  }
  if (info) {
    for (const p of validateDatasetInfo(info)) diags.add(p.message.startsWith('unknown key') ? 'LF204' : 'LF203', `${p.path}: ${p.message}`, {file: dinfoPath, dataset: p.path.split('.')[0]})
    const names = opts.datasets.length > 0 ? opts.datasets : opts.config ? [...list(values.dataset), ...list(values.eval_dataset)] : Object.keys(info)
    for (const name of [...new Set(names)]) {
      const entry = info[name]
      if (!entry) {
        const guess = closest(name, Object.keys(info))
        diags.add('LF207', `Undefined dataset ${name} in dataset_info.json${guess ? ` — did you mean "${guess}"?` : ''}`, {file: dinfoPath, dataset: name})
        continue
      }
      if (typeof entry !== 'object' || entry === null) continue
      const attr = resolveDatasetAttr(name, entry)
      if (attr.loadFrom !== 'file') {
        diags.add('LF210', `${name} loads from ${attr.loadFrom} (${attr.datasetName})`, {dataset: name})
        continue
      }
      const dataStage = DATA_STAGE[stage]
      if ((dataStage === 'rm') !== attr.ranking) diags.add('LF208', `${name} has ranking: ${attr.ranking} but stage is ${stage}`, {file: dinfoPath, dataset: name})
      const files = entryFiles(attr, datasetDir, diags)
      if (files.length === 0) continue
      await checkPartialBlocks(attr, entry, files[0]!, diags)
      reporter.info(`checking ${name} (${files.length} file${files.length === 1 ? '' : 's'})`)
      const mediaDir = typeof values.media_dir === 'string' ? values.media_dir : datasetDir
      const s = await checkRecords({dataset: name, attr, files, stage, mediaDir, tokens}, diags)
      const maxSamples = typeof values.max_samples === 'number' ? values.max_samples : undefined
      if (maxSamples !== undefined && maxSamples < s.records) diags.add('LF106', `max_samples ${maxSamples} keeps ${maxSamples} of ${s.records} rows of ${name}`, {file: opts.config, dataset: name})
      const drops = Object.entries(s.dropped).map(([r, c]) => `${r}: ${c}`).join(', ')
      const trained = maxSamples !== undefined ? Math.min(s.kept, maxSamples) : s.kept
      summaries.push({...s, summary: `${name}: would train on ${trained} of ${s.records} examples${drops ? ` (${s.records - s.kept} dropped: ${drops})` : ''}`})
    }
  }
  reporter.finish()
  const diagnostics = diags.list()
  return {errors: diags.count('error'), warnings: diags.count('warning'), infos: diags.count('info'), diagnostics, datasets: summaries}
}
