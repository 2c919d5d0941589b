import {InputError} from '../errors.js'
import {loneSurrogate} from '../io/record.js'
import {readRows} from '../io/read.js'
import type {InputFormat, RawRecord, Row} from '../io/types.js'
import type {DatasetInfoEntry} from '../lf/dataset-info.js'
import {LF_REASONS} from '../lf/drop-reasons.js'
import {lfVerdict, type ProcessorOptions} from '../lf/processor.js'
import {pyTruthy} from '../lf/py.js'
import type {AlignedExample, ColumnKey, DatasetAttr, Stage} from '../lf/types.js'
import type {Reporter} from '../reporter.js'
import {REASON_CODE, type Code} from './codes.js'
import {pandasRows, type CsvSchema, type TypedRow} from './csv-typing.js'
import type {Dedup} from './dedup.js'
import type {Diagnostics, Location} from './diagnostics.js'
import {firstChar, type DataFile} from './files.js'
import {mediaProblems, type MediaContext} from './media.js'
import {PartialBlocks} from './partial-blocks.js'
import {lfRaiseOf, type EncodeOptions} from '../templates/render.js'
import type {ChatTemplate} from '../templates/templates.js'
import type {TokenTally} from './tokens.js'
import {TypeTracker} from './type-tracker.js'

/** Distinct columns tracked per file (records keyed by data rather than by schema stop here). */
const MAX_COLUMNS = 10_000

export interface RecordCheckOptions {
  dataset: string
  attr: DatasetAttr
  /** The entry as written: which blocks are present decides what LF nulled. */
  entry: DatasetInfoEntry
  files: DataFile[]
  stage: Stage
  media: MediaContext
  /** The YAML's max_samples: LF keeps the first N rows. */
  maxSamples?: number
  /** Set when the template is a reasoning template (its name). */
  reasoningTemplate?: string
  /** What LF's processor reads from the YAML's template, when lfdata knows it. */
  processor?: ProcessorOptions
  tokens?: TokenTally
  /** The template (with the YAML's switches) LF renders kept examples with: a record it raises on is LF418. */
  rendering?: {template: ChatTemplate; options: EncodeOptions}
  dedup: Dedup
  reporter: Reporter
}

export interface RecordCounts {
  records: number
  kept: number
  /** Kept examples among the first max_samples rows. */
  keptInFirst: number
  dropped: Partial<Record<string, number>>
  crashes: number
  /** Codes of problems that stop LF loading the dataset at all (unreadable file, missing column, type change). */
  fatal: Code[]
}

/** Columns whose values LF needs as text (a number or null there drops the example or crashes). */
const TEXT_COLUMNS: ColumnKey[] = ['prompt', 'query', 'response', 'system', 'chosen', 'rejected']

/** The columns LF's converter reads for this entry (a column absent from the whole file is a KeyError). */
function readColumns(attr: DatasetAttr): [ColumnKey, string][] {
  const keys: ColumnKey[] = attr.formatting === 'alpaca' ? ['prompt', 'query', 'history', 'system', 'tools', 'images', 'videos', 'audios', 'kto_tag'] : ['messages', 'system', 'tools', 'images', 'videos', 'audios', 'kto_tag']
  if (attr.ranking) keys.push('chosen', 'rejected')
  else if (attr.formatting === 'alpaca') keys.push('response')
  return keys.flatMap((k) => (attr.columns[k] === null ? [] : [[k, attr.columns[k]] as [ColumnKey, string]]))
}

/** How to parse a file LF loads with its `json` builder: both extensions may hold JSON Lines or one array. */
function formatOf(file: DataFile): InputFormat | undefined {
  if (file.type === 'json') return firstChar(file.path) === '[' ? 'json' : undefined
  return file.type === 'text' ? 'text' : undefined
}

/** Whether a record holds a conversation (a list of objects) under a column the alpaca entry does not read. */
function unreadConversation(record: RawRecord, read: ReadonlySet<string>): string | undefined {
  return Object.keys(record).find((k) => !read.has(k) && Array.isArray(record[k]) && (record[k] as unknown[]).some((m) => m !== null && typeof m === 'object' && !Array.isArray(m)))
}

/** Where the first lone surrogate of a JSON record is ("field.path: \\ud800 at character N"), or undefined. */
function loneSurrogateIn(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') {
    const at = loneSurrogate(value)
    return at === -1 ? undefined : `${path || 'key'}: \\u${value.charCodeAt(at).toString(16)} at character ${at + 1}`
  }
  if (typeof value !== 'object' || value === null) return undefined
  if (Array.isArray(value)) {
    for (const item of value) {
      const hit = loneSurrogateIn(item, `${path}[]`)
      if (hit) return hit
    }
    return undefined
  }
  for (const [key, item] of Object.entries(value)) {
    const hit = loneSurrogate(key) === -1 ? loneSurrogateIn(item, path ? `${path}.${key}` : key) : `key of ${path || 'the record'}`
    if (hit) return hit
  }
  return undefined
}

/**
 * What HF datasets' loaders make of the rows before LF's converter sees them: pandas' reading of CSV (nulls,
 * numbers, per-chunk types) and Arrow's one type per JSON field. Reports what breaks or changes the data.
 */
class LoaderModel {
  readonly csvSchema: CsvSchema = {}
  private readonly types = new TypeTracker()
  private readonly numeric = new Set<string>()

  constructor(private readonly attr: DatasetAttr, private readonly diags: Diagnostics, private readonly fatal: (code: Code) => void) {}

  visit(row: Row | TypedRow, record: RawRecord, file: DataFile, at: Location): void {
    if ('typed' in row) this.csv(row, record, at)
    else if (file.type === 'json') {
      const lone = loneSurrogateIn(record)
      if (lone) this.diags.add('LF432', 'a string holds a lone UTF-16 surrogate', at, lone)
      this.types.visit(record, file.path, row.line, (t) => {
        this.diags.add('LF421', `field "${t.path}" changes type between rows`, at, `${t.now} here, ${t.was} at ${t.firstFile}:${t.firstLine}`)
        this.fatal('LF421')
      })
    }
  }

  private csv(row: TypedRow, record: RawRecord, at: Location): void {
    const c = this.attr.columns
    for (const note of row.notes) {
      if (note.type === 'cast') {
        this.diags.add('LF421', `CSV column "${note.column}" changes type between 10,000-row chunks: the cast to the first chunk's type fails`, at, `first chunk: ${note.schema}, this one: ${note.chunk} ("${note.cell.slice(0, 40)}")`)
        this.fatal('LF421')
      } else if (TEXT_COLUMNS.some((k) => c[k] === note.column)) {
        this.diags.add('LF424', `CSV cell pandas reads as null in column "${note.column}"`, at, `"${note.cell}"`)
      }
    }
    for (const k of TEXT_COLUMNS) {
      const col = c[k]
      if (!col || typeof record[col] !== 'number' || this.numeric.has(col)) continue
      this.numeric.add(col)
      this.diags.add('LF425', `CSV column "${col}" (${k}) is read as numbers`, at, `pandas reads ${String(record[col])} as a number: LF ${k === 'prompt' || k === 'query' ? 'crashes joining the prompt' : 'drops the example'}`)
    }
  }
}

/**
 * Streams one dataset's records through everything LF does to them: the loader's type inference (Arrow for
 * JSON, pandas for CSV), the converter and the processor's drop rules for the stage, media checks, duplicates
 * and token lengths. Memory: a fingerprint per example and some counters, never the records (CSV: one
 * 10,000-row chunk, as pandas reads it).
 */
export async function checkRecords(o: RecordCheckOptions, diags: Diagnostics): Promise<RecordCounts> {
  const counts: RecordCounts = {records: 0, kept: 0, keptInFirst: 0, dropped: {}, crashes: 0, fatal: []}
  const fatal = (code: Code) => counts.fatal.includes(code) || counts.fatal.push(code)
  const loader = new LoaderModel(o.attr, diags, fatal)
  const partial = new PartialBlocks(o.attr, o.entry, diags)
  const columns = readColumns(o.attr)
  const readNames = new Set(columns.map(([, col]) => col))
  const c = o.attr.columns
  let firstColumns: {file: string; names: string[]} | undefined
  let ktoTrue = 0
  let ktoFalse = 0
  let thoughtSeen = false
  let conversationChecked = o.attr.formatting !== 'alpaca'

  for (const file of o.files) {
    const fileIndex = Math.min(o.dedup.files.push(file.path) - 1, 0xffff)
    const csv = file.type === 'csv'
    const present = new Set<string>()
    let rows = 0
    try {
      // LF's pandas reads CSV with sep=",", whatever the file's real delimiter; pandas and pyarrow read UTF-8
      // only, so a UTF-16 file (which convert decodes by its BOM) is an encoding error here (LF305).
      const source: AsyncIterable<Row | TypedRow> = csv ? pandasRows(loader.csvSchema)(readRows(file.path, {delimiter: ',', encoding: 'utf-8'})) : readRows(file.path, {format: formatOf(file), encoding: 'utf-8'})
      for await (const row of source) {
        rows++
        counts.records++
        if (counts.records % 10_000 === 0) o.reporter.progress({unit: 'records', done: counts.records})
        const at = {file: file.path, line: row.line, dataset: o.dataset, record: counts.records}
        const record = 'typed' in row ? row.typed : row.record
        if ((rows === 1 || !csv) && present.size < MAX_COLUMNS) for (const k of Object.keys(record)) present.add(k)
        loader.visit(row, record, file, at)
        partial.visit(record, at)
        if (!conversationChecked && counts.records <= 100) {
          const key = unreadConversation(record, readNames)
          if (key) {
            diags.add('LF209', 'conversation data read as alpaca: add "formatting": "sharegpt"', at, `column "${key}" holds a list of messages`)
            conversationChecked = true
          }
        }
        if (o.stage === 'kto' && c.kto_tag) {
          const tag = record[c.kto_tag]
          if (tag === true) ktoTrue++
          else if (tag === false) ktoFalse++
          else if (tag !== null && tag !== undefined) diags.add('LF428', 'kto_tag is not a JSON boolean', at, `kto_tag is ${JSON.stringify(tag)}`)
        }

        const verdict = lfVerdict(record, o.attr, o.stage, o.processor)
        if (!verdict.kept) {
          counts.dropped[verdict.reason] = (counts.dropped[verdict.reason] ?? 0) + 1
          if (verdict.crash) counts.crashes++
          diags.add(REASON_CODE[verdict.reason], LF_REASONS[verdict.reason].text, at, verdict.detail)
          o.tokens?.add(null)
          continue
        }
        const raised = o.rendering ? lfRaiseOf(verdict.example, o.rendering.template, o.stage, o.rendering.options) : null
        if (raised) {
          counts.crashes++
          diags.add('LF418', 'record makes LF crash while the template renders it', at, `${o.rendering!.template.name}: ${raised}`)
          o.tokens?.add(null)
          continue
        }
        counts.kept++
        if (o.maxSamples !== undefined && counts.records <= o.maxSamples) counts.keptInFirst++
        const ex = verdict.example
        if (!thoughtSeen && o.reasoningTemplate && ex.response.some((r) => typeof r.content === 'string' && r.content.includes('think>'))) thoughtSeen = true
        examineKept(ex, o, at, diags)
        const dup = o.dedup.seen(ex, fileIndex, row.line)
        if (dup) diags.add('LF423', 'exact duplicate of an earlier example', at, `same as ${dup.file}:${dup.line}`)
        o.tokens?.add(ex)
      }
    } catch (error) {
      if (!(error instanceof InputError)) throw error
      const code = error.code === 'E_ENCODING' ? 'LF305' : error.code === 'E_EMPTY_FILE' ? 'LF304' : 'LF306'
      diags.add(code, code === 'LF305' ? 'file is not valid UTF-8' : code === 'LF304' ? 'file has no records' : 'file is not readable as its type', {file: file.path, line: error.location?.line, dataset: o.dataset}, error.message.replace(/ — .*$/, ''))
      fatal(code)
      continue
    }
    if (rows === 0) {
      diags.add('LF304', 'file has no records', {file: file.path, dataset: o.dataset})
      fatal('LF304')
      continue
    }
    for (const [key, col] of columns) {
      if (present.has(col)) continue
      diags.add('LF308', 'a mapped column is missing from the file: LF fails with KeyError', {file: file.path, dataset: o.dataset}, `columns.${key} is "${col}" (${Object.hasOwn(o.entry.columns ?? {}, key) ? 'from the entry' : 'LF\'s default: give a columns block without it'}); the file has ${[...present].slice(0, 12).join(', ') || 'no columns'}`)
      fatal('LF308')
    }
    const names = [...present].sort()
    if (!firstColumns) firstColumns = {file: file.path, names}
    else if (names.join('\u0000') !== firstColumns.names.join('\u0000')) {
      diags.add('LF310', 'files of the folder have different columns', {file: file.path, dataset: o.dataset}, `${names.join(', ')} vs ${firstColumns.names.join(', ')} in ${firstColumns.file}`)
      fatal('LF310')
    }
  }
  const where = {dataset: o.dataset}
  if (counts.records > 0 && counts.kept === 0) {
    const top = Object.entries(counts.dropped).sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))[0]
    diags.add('LF420', 'no example survives: LF fails with "Cannot find valid samples"', where, top ? `all ${counts.records} records dropped, most for ${top[0]}` : undefined)
  }
  if (o.stage === 'kto' && ktoTrue + ktoFalse > 0 && (ktoTrue === 0 || ktoFalse === 0)) {
    diags.add('LF429', 'KTO data has only one label', where, `all ${ktoTrue + ktoFalse} kto_tag values are ${ktoTrue > 0}`)
  }
  if (o.reasoningTemplate && counts.kept > 0 && !thoughtSeen) {
    diags.add('LF109', `reasoning template ${o.reasoningTemplate} on data without thought blocks`, where, `no response holds <think>…</think>; LF adds an empty one to each of the ${counts.kept} examples`)
  }
  return counts
}

/** Rules for examples LF keeps: empty turns, identical pairs, tools LF cannot parse, media. */
function examineKept(ex: AlignedExample, o: RecordCheckOptions, at: Location, diags: Diagnostics): void {
  if (o.stage !== 'pt') {
    const prompt = ex.prompt.at(-1)?.content
    const emptyPrompt = typeof prompt === 'string' && prompt.trim() === ''
    const emptyResponse = o.stage === 'sft' && ex.response.some((r) => typeof r.content === 'string' && r.content.trim() === '')
    if (emptyPrompt || emptyResponse) diags.add('LF422', 'empty prompt or response', at, emptyResponse ? 'the response is empty' : 'the last user turn is empty')
  }
  if (o.attr.ranking && ex.response.length === 2 && ex.response[0]!.content === ex.response[1]!.content) diags.add('LF430', 'chosen and rejected are identical', at)
  // LF json.loads a non-empty tools value; a list or object (JSON data) is a TypeError, not a string to parse.
  if (o.attr.formatting !== 'openai' && ex.tools !== null && typeof ex.tools === 'object' && pyTruthy(ex.tools)) {
    diags.add('LF415', 'tools is not a JSON string', at, `tools is a ${Array.isArray(ex.tools) ? 'list' : 'object'}; write it as a JSON-encoded string`)
  }
  for (const p of mediaProblems(ex, o.media)) diags.add(p.code, p.message, at, p.detail)
}
