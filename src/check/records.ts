import {existsSync} from 'node:fs'
import {isAbsolute, join} from 'node:path'

import xxhash from 'xxhash-wasm'

import {LfdataError} from '../errors.js'
import {detectFormat, readRows} from '../io/read.js'
import type {RawRecord} from '../io/types.js'
import {lfVerdict} from '../lf/processor.js'
import type {DatasetAttr, Stage} from '../lf/types.js'
import {LengthHistogram} from '../stats/length-histogram.js'
import {exampleLength} from '../templates/encode.js'
import type {ChatTemplate} from '../templates/templates.js'
import type {TokenCounter} from '../tokenize/counter.js'
import {FingerprintSet} from '../transforms/fingerprint-set.js'
import {REASON_CODE} from './codes.js'
import type {Diagnostics} from './diagnostics.js'

/** pandas' default na_values: cells read_csv turns into NaN. */
export const PANDAS_NA = new Set(['', '#N/A', '#N/A N/A', '#NA', '-1.#IND', '-1.#QNAN', '-NaN', '-nan', '1.#IND', '1.#QNAN', '<NA>', 'N/A', 'NA', 'NULL', 'NaN', 'None', 'n/a', 'nan', 'null'])
/** Columns whose null or number makes LF drop the example or crash. */
const TEXT_KEYS = ['prompt', 'response', 'chosen', 'rejected', 'messages']
const NUMERIC = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/

export interface RecordCheckOptions {
  dataset: string
  attr: DatasetAttr
  files: string[]
  stage: Stage
  mediaDir: string
  tokens?: {counter: TokenCounter; template: ChatTemplate; cutoffLen: number; packing: boolean}
}

export interface DatasetSummary {
  name: string
  records: number
  kept: number
  dropped: Record<string, number>
  crashes: number
}

type Kind = 'string' | 'number' | 'boolean' | 'object' | 'array'
const kindOf = (v: unknown): Kind | null => (v === null || v === undefined ? null : Array.isArray(v) ? 'array' : (typeof v as Kind))

/** Arrow infers one type per path; records the first type seen per path (top level and inside lists of objects). */
class TypeTracker {
  private readonly first = new Map<string, {kind: Kind; line: number}>()
  readonly conflicts = new Set<string>()

  visit(record: RawRecord, line: number, report: (path: string, was: string, now: string, firstLine: number) => void): void {
    for (const key of Object.keys(record)) this.check(key, record[key], line, report)
  }

  private check(path: string, value: unknown, line: number, report: (path: string, was: string, now: string, firstLine: number) => void): void {
    const kind = kindOf(value)
    if (kind === null || this.conflicts.has(path)) return
    const seen = this.first.get(path)
    if (!seen) this.first.set(path, {kind, line})
    else if (seen.kind !== kind) {
      this.conflicts.add(path)
      report(path, seen.kind, kind, seen.line)
      return
    }
    if (kind === 'array') for (const item of value as unknown[]) {
      if (item && typeof item === 'object' && !Array.isArray(item)) for (const [k, v] of Object.entries(item)) this.check(`${path}[].${k}`, v, line, report)
      else this.check(`${path}[]`, item, line, report)
    } else if (kind === 'object') for (const [k, v] of Object.entries(value as object)) this.check(`${path}.${k}`, v, line, report)
  }
}

/** Texts of every message of an aligned example (for placeholders and think blocks). */
const contents = (ex: {prompt: {content: unknown}[]; response: {content: unknown}[]}) =>
  [...ex.prompt, ...ex.response].map((m) => (typeof m.content === 'string' ? m.content : ''))

/**
 * Streams one dataset's records through everything LF does to them: the loader's type inference, pandas' CSV
 * reading, the converter and processor rules for the stage, media checks, duplicates, and (with a tokenizer)
 * lengths against cutoff_len. Memory: a fingerprint per record and a few counters, never the records.
 */
export async function checkRecords(o: RecordCheckOptions, diags: Diagnostics): Promise<DatasetSummary> {
  const {h64} = await xxhash()
  const summary: DatasetSummary = {name: o.dataset, records: 0, kept: 0, dropped: {}, crashes: 0}
  const seen = new FingerprintSet()
  const types = new TypeTracker()
  const lengths = new LengthHistogram()
  const c = o.attr.columns
  const mapped = Object.entries(c).filter(([, v]) => v !== null) as [string, string][]
  const required = o.attr.formatting === 'alpaca' ? ['prompt', 'response', ...(o.attr.ranking ? ['chosen', 'rejected'] : [])] : ['messages']
  let ktoTrue = 0
  let ktoFalse = 0
  let thinkSeen = false
  for (const [fileIndex, file] of o.files.entries()) {
    const csv = detectFormat(file) === 'csv'
    const numericOnly = new Map<string, boolean>(csv ? mapped.map(([, col]) => [col, true]) : [])
    const present = new Set<string>()
    let rows = 0
    try {
      for await (const row of readRows(file)) {
        rows++
        summary.records++
        const at = {file, line: row.line, dataset: o.dataset, record: summary.records}
        let record = row.record
        for (const k of Object.keys(record)) present.add(k)
        if (csv) {
          // What pandas hands LF: NA-like cells become null.
          const typed: RawRecord = {...record}
          for (const [key, col] of mapped) {
            const cell = record[col]
            if (typeof cell !== 'string') continue
            if (PANDAS_NA.has(cell)) {
              typed[col] = null
              // A null input/system/history is as good as empty to LF; a null prompt or response is not.
              if (!TEXT_KEYS.includes(key)) continue
              diags.add('LF424', `column "${col}" (${key}) has a cell "${cell}" that pandas reads as null`, at)
            } else if (numericOnly.get(col) && !NUMERIC.test(cell)) numericOnly.set(col, false)
          }
          record = typed
        } else {
          types.visit(record, row.line, (path, was, now, firstLine) =>
            diags.add('LF421', `field "${path}" is ${now} here but ${was} at line ${firstLine}`, at))
        }
        const h = h64(JSON.stringify(record))
        const dup = seen.addOrGet(Number(h >> 32n), Number(h & 0xffffffffn), fileIndex, row.line)
        if (dup) diags.add('LF423', `same record as ${o.files[dup.source]}:${dup.line}`, at)

        const kto = c.kto_tag ? record[c.kto_tag] : undefined
        if (c.kto_tag && kto !== undefined && kto !== null) {
          if (typeof kto !== 'boolean') diags.add('LF428', `kto_tag is ${JSON.stringify(kto)}`, at)
          else if (kto) ktoTrue++
          else ktoFalse++
        }
        const verdict = lfVerdict(record, o.attr, o.stage)
        if (!verdict.kept) {
          summary.dropped[verdict.reason] = (summary.dropped[verdict.reason] ?? 0) + 1
          if (verdict.crash) summary.crashes++
          diags.add(REASON_CODE[verdict.reason] ?? 'LF403', verdict.detail, at)
          continue
        }
        summary.kept++
        const ex = verdict.example
        const texts = contents(ex)
        if (texts.some((t) => t.includes('</think>'))) thinkSeen = true
        const prompt = ex.prompt.at(-1)?.content
        const response = ex.response[0]?.content
        if ((typeof prompt === 'string' && prompt.trim() === '' && o.stage !== 'pt') || (typeof response === 'string' && response.trim() === '' && o.stage === 'sft')) {
          diags.add('LF422', `${typeof response === 'string' && response.trim() === '' ? 'response' : 'prompt'} is empty`, at)
        }
        if (o.attr.ranking && ex.response.length === 2 && ex.response[0]!.content === ex.response[1]!.content) diags.add('LF430', 'chosen and rejected are identical', at)
        checkMedia(ex, texts, o, at, diags)
        if (o.tokens) {
          const len = exampleLength(ex, o.tokens.template, o.tokens.counter, o.stage)
          lengths.add(len.total)
        }
      }
    } catch (error) {
      if (!(error instanceof LfdataError)) throw error
      const code = error.code === 'E_ENCODING' ? 'LF305' : error.code === 'E_EMPTY_FILE' ? 'LF304' : 'LF306'
      diags.add(code, error.message.replace(/ — .*$/, ''), {file, line: error.location?.line, dataset: o.dataset})
      continue
    }
    if (rows === 0) diags.add('LF304', 'no records in the file', {file, dataset: o.dataset})
    for (const [key, col] of mapped) {
      if (rows > 0 && !present.has(col) && required.includes(key)) {
        diags.add('LF308', `columns.${key} names "${col}", which no record has (columns: ${[...present].slice(0, 12).join(', ')})`, {file, dataset: o.dataset})
      }
      if (csv && rows > 0 && numericOnly.get(col) && ['prompt', 'query', 'response', 'system', 'chosen', 'rejected'].includes(key)) {
        diags.add('LF425', `column "${col}" (${key}) holds only numbers`, {file, dataset: o.dataset})
      }
    }
  }
  if (summary.records > 0 && summary.kept === 0) diags.add('LF420', `all ${summary.records} records of ${o.dataset} are dropped`, {dataset: o.dataset})
  if (o.stage === 'kto' && ktoTrue + ktoFalse > 0 && (ktoTrue === 0 || ktoFalse === 0)) diags.add('LF429', `all ${ktoTrue + ktoFalse} kto_tag values are ${ktoTrue ? 'true' : 'false'}`, {dataset: o.dataset})
  if (o.tokens?.template.reasoning && summary.kept > 0 && !thinkSeen) diags.add('LF109', `template ${o.tokens.template.name} adds <think></think> to every response of ${o.dataset}`, {dataset: o.dataset})
  if (o.tokens && lengths.n > 0) {
    const over = lengths.over(o.tokens.cutoffLen)
    if (over.examples > 0) {
      const code = o.tokens.packing ? 'LF502' : 'LF501'
      diags.add(code, `${over.examples} of ${lengths.n} examples (${((over.examples / lengths.n) * 100).toFixed(2)}%) are longer than cutoff_len ${o.tokens.cutoffLen} (max ${lengths.max}, ${over.tokens} tokens ${o.tokens.packing ? 'in dropped examples' : 'truncated'})`, {dataset: o.dataset})
    }
  }
  return summary
}

function checkMedia(ex: {images: unknown[] | null; videos: unknown[] | null; audios: unknown[] | null}, texts: string[], o: RecordCheckOptions, at: {file: string; line: number; dataset: string; record: number}, diags: Diagnostics): void {
  for (const [kind, list] of [['image', ex.images], ['video', ex.videos], ['audio', ex.audios]] as const) {
    const placeholders = texts.reduce((n, t) => n + (t.split(`<${kind}>`).length - 1), 0)
    const count = list?.length ?? 0
    if (placeholders !== count) diags.add('LF426', `${count} ${kind}(s) but ${placeholders} <${kind}> placeholder(s)`, at)
    for (const media of list ?? []) {
      if (typeof media !== 'string' || /^(https?|s3|gs):\/\//.test(media)) continue
      const inDir = join(o.mediaDir, media)
      if (!existsSync(inDir) && !(isAbsolute(media) && existsSync(media)) && !existsSync(media)) {
        diags.add('LF427', `${kind} ${media} is neither in media_dir (${o.mediaDir}) nor at that path`, at)
      }
    }
  }
}
