import {createRequire} from 'node:module'

import type {Ajv, ErrorObject, ValidateFunction} from 'ajv'

import {findJsonError, formatJsonError, pythonPosition} from './json-error.js'
import {COLUMN_KEYS, FORMATTINGS, TAG_KEYS, type ColumnKey, type TagKey} from './types.js'

/** One entry of dataset_info.json as written on disk (the valid shape; files may hold anything). */
export interface DatasetInfoEntry {
  file_name?: string
  hf_hub_url?: string
  ms_hub_url?: string
  om_hub_url?: string
  script_url?: string
  cloud_file_name?: string
  formatting?: string
  ranking?: boolean
  subset?: string
  split?: string
  folder?: string
  num_samples?: number
  columns?: Partial<Record<ColumnKey, string>>
  tags?: Partial<Record<TagKey, string>>
}
export type DatasetInfo = Record<string, DatasetInfoEntry>

/** The keys that name where the data comes from; LF needs one (get_dataset_list falls back to file_name). */
export const SOURCE_KEYS = ['file_name', 'hf_hub_url', 'ms_hub_url', 'om_hub_url', 'script_url', 'cloud_file_name'] as const
/** Every key LF's DatasetAttr.join reads from an entry; any other key is ignored silently. */
export const ENTRY_KEYS = [...SOURCE_KEYS, 'formatting', 'ranking', 'subset', 'split', 'folder', 'num_samples', 'columns', 'tags'] as const

const stringMap = (keys: readonly string[]) => ({
  type: 'object',
  properties: Object.fromEntries(keys.map((k) => [k, {type: 'string'}])),
  additionalProperties: false,
})

/**
 * JSON Schema (draft-07) of dataset_info.json as LF reads it: an object of entries, each naming one source.
 * Unknown keys fail here although LF ignores them, because an ignored key is almost always a typo.
 */
export const datasetInfoSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'LLaMA-Factory dataset_info.json',
  type: 'object',
  additionalProperties: {
    type: 'object',
    properties: {
      ...Object.fromEntries(SOURCE_KEYS.map((k) => [k, {type: 'string', minLength: 1}])),
      formatting: {enum: [...FORMATTINGS]},
      ranking: {type: 'boolean'},
      subset: {type: 'string'},
      split: {type: 'string'},
      folder: {type: 'string'},
      num_samples: {type: 'integer', minimum: 1},
      columns: stringMap(COLUMN_KEYS),
      tags: stringMap(TAG_KEYS),
    },
    additionalProperties: false,
    anyOf: SOURCE_KEYS.map((k) => ({required: [k]})),
  },
} as const

// Loaded (~25 ms) and compiled (~70 ms) on first use: most runs (convert, stats, their workers) never validate
// an entry, and a static import would load ajv in every one of them.
let compiled: ValidateFunction | undefined
const validate = (value: unknown): boolean => {
  if (!compiled) {
    const {Ajv: AjvClass} = createRequire(import.meta.url)('ajv') as {Ajv: typeof Ajv}
    compiled = new AjvClass({allErrors: true, strict: false}).compile(datasetInfoSchema)
  }
  return compiled(value)
}

/** 1-based line and column (in characters) of a UTF-16 offset into `text`. */
export function lineColumn(text: string, offset: number): {line: number; column: number} {
  const {line, column} = pythonPosition(text, offset)
  return {line, column}
}

export type DatasetInfoParse =
  | {ok: true; value: unknown}
  /** `message` is Python's, with its position; `bom`: the text starts with a byte-order mark. */
  | {ok: false; message: string; line: number; bom: boolean}

/**
 * Strict JSON parse of dataset_info.json, as LF's json.load sees it: a BOM, comments, trailing commas or
 * single quotes fail, with Python's message, line and column ("Expecting value: line 3 column 5 (char 27)").
 * The one parser every command uses; src/io/dataset-files.ts reads the file.
 */
export function parseDatasetInfoJson(text: string): DatasetInfoParse {
  const error = findJsonError(text)
  if (error === undefined) return {ok: true, value: JSON.parse(text)}
  return {ok: false, message: formatJsonError(error), line: error.line, bom: error.char === 0 && text.charCodeAt(0) === 0xfeff}
}

export interface SchemaProblem {
  /** Dotted path: "alpaca_en_demo.columns.prompt" ("" for the whole file). */
  path: string
  message: string
  /** error: LF fails or reads something else than meant; warning: LF ignores it. */
  severity: 'error' | 'warning'
}

function describe(e: ErrorObject): SchemaProblem {
  const segments = e.instancePath.split('/').filter(Boolean)
  const path = segments.join('.')
  if (e.keyword === 'additionalProperties') {
    const key = (e.params as {additionalProperty: string}).additionalProperty
    // An unknown entry key is only ignored; an unknown key inside columns/tags leaves the key meant null.
    return {path: path ? `${path}.${key}` : key, message: `unknown key "${key}" (LF ignores it)`, severity: segments.length > 1 ? 'error' : 'warning'}
  }
  if (e.keyword === 'anyOf') return {path, message: `no source: needs one of ${SOURCE_KEYS.join(', ')} (LF: KeyError: 'file_name')`, severity: 'error'}
  if (e.keyword === 'enum') {
    return {path, message: `must be one of ${(e.params as {allowedValues: string[]}).allowedValues.join(', ')}`, severity: 'error'}
  }
  return {path, message: e.message ?? e.keyword, severity: 'error'}
}

/**
 * The schema violations of a parsed dataset_info.json (never throws). Unknown keys carry severity warning
 * at entry level (LF ignores them) and error inside columns/tags; their message starts with "unknown key".
 */
export function validateDatasetInfo(value: unknown): SchemaProblem[] {
  if (validate(value)) return []
  const problems = (compiled?.errors ?? []).filter((e) => e.keyword !== 'required').map(describe)
  const seen = new Set<string>()
  return problems.filter((p) => !seen.has(p.path + p.message) && seen.add(p.path + p.message))
}

const ALPACA_ONLY: readonly ColumnKey[] = ['prompt', 'query', 'response', 'history']
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** What LF accepts but ignores or resolves surprisingly in one entry (the schema cannot say these). */
function entryWarnings(name: string, entry: Record<string, unknown>): SchemaProblem[] {
  const out: SchemaProblem[] = []
  const sources = SOURCE_KEYS.filter((k) => Object.hasOwn(entry, k))
  if (sources.length > 1) {
    const hub = sources.find((k) => k === 'hf_hub_url' || k === 'ms_hub_url' || k === 'om_hub_url')
    const used = hub === undefined ? sources.find((k) => k === 'script_url' || k === 'cloud_file_name') ?? 'file_name' : sources.includes('hf_hub_url') ? 'hf_hub_url' : hub
    out.push({path: name, message: `several sources (${sources.join(', ')}): LF uses ${used} (hub urls > script_url > cloud_file_name > file_name)`, severity: 'warning'})
  }
  const formatting = entry.formatting ?? 'alpaca'
  const columns = isObject(entry.columns) ? Object.keys(entry.columns) : []
  if (formatting === 'alpaca') {
    if (Object.hasOwn(entry, 'tags')) out.push({path: `${name}.tags`, message: 'formatting alpaca ignores tags', severity: 'warning'})
    if (columns.includes('messages')) out.push({path: `${name}.columns.messages`, message: 'formatting alpaca ignores the messages column (did you mean formatting: sharegpt?)', severity: 'warning'})
  } else if (formatting === 'sharegpt' || formatting === 'openai') {
    for (const k of columns.filter((c) => (ALPACA_ONLY as readonly string[]).includes(c))) {
      out.push({path: `${name}.columns.${k}`, message: `formatting ${formatting} ignores the ${k} column (alpaca only)`, severity: 'warning'})
    }
  }
  return out
}

/** Schema problems split by severity, plus the entry-level warnings the schema cannot express. */
export function checkDatasetInfo(value: unknown): {errors: SchemaProblem[]; warnings: SchemaProblem[]} {
  const problems = validateDatasetInfo(value)
  if (isObject(value)) {
    for (const [name, entry] of Object.entries(value)) if (isObject(entry)) problems.push(...entryWarnings(name, entry))
  }
  return {errors: problems.filter((p) => p.severity === 'error'), warnings: problems.filter((p) => p.severity === 'warning')}
}
