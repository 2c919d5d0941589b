import {Ajv, type ErrorObject} from 'ajv'

import {InputError} from '../errors.js'
import {COLUMN_KEYS, TAG_KEYS, type ColumnKey, type TagKey} from './types.js'

/** One entry of dataset_info.json as written on disk. */
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

export const SOURCE_KEYS = ['file_name', 'hf_hub_url', 'ms_hub_url', 'om_hub_url', 'script_url', 'cloud_file_name'] as const
export const ENTRY_KEYS = [...SOURCE_KEYS, 'formatting', 'ranking', 'subset', 'split', 'folder', 'num_samples', 'columns', 'tags'] as const

const stringMap = (keys: readonly string[]) => ({
  type: 'object',
  properties: Object.fromEntries(keys.map((k) => [k, {type: 'string'}])),
  additionalProperties: false,
})

/** JSON Schema (draft-07) of dataset_info.json as LF reads it. Unknown keys are errors here; LF ignores them silently. */
export const datasetInfoSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'LLaMA-Factory dataset_info.json',
  type: 'object',
  additionalProperties: {
    type: 'object',
    properties: {
      ...Object.fromEntries(SOURCE_KEYS.map((k) => [k, {type: 'string', minLength: 1}])),
      formatting: {enum: ['alpaca', 'sharegpt', 'openai']},
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

const ajv = new Ajv({allErrors: true, strict: false})
const validate = ajv.compile(datasetInfoSchema)

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, offset: number): {line: number; column: number} {
  let line = 1
  let last = -1
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++
    last = i
  }
  return {line, column: offset - last}
}

/** Strict JSON parse of dataset_info.json; a syntax error names line and column (as Python's json module would). */
export function parseDatasetInfoText(text: string, file: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  try {
    return JSON.parse(body)
  } catch (error) {
    const message = (error as Error).message
    const pos = /position (\d+)/.exec(message)
    const where = pos ? lineColumn(body, Number(pos[1])) : undefined
    throw new InputError('E_DINFO_JSON', `dataset_info.json is not valid JSON (${message.replace(/ in JSON at position \d+.*$/, '')}${where ? `, column ${where.column}` : ''})`, {
      location: {file, line: where?.line},
      suggestion: 'LF reads it with Python json.load: no trailing commas, no comments, double quotes only',
    })
  }
}

export interface SchemaProblem {
  /** JSON pointer-ish path, e.g. "alpaca_en_demo.columns.prompt". */
  path: string
  message: string
}

function describe(e: ErrorObject): SchemaProblem {
  const path = e.instancePath.split('/').filter(Boolean).join('.')
  if (e.keyword === 'additionalProperties') {
    const key = (e.params as {additionalProperty: string}).additionalProperty
    return {path: path ? `${path}.${key}` : key, message: `unknown key "${key}" (LF ignores it)`}
  }
  if (e.keyword === 'anyOf') return {path, message: `no source: needs one of ${SOURCE_KEYS.join(', ')}`}
  if (e.keyword === 'enum') return {path, message: `must be one of ${(e.params as {allowedValues: string[]}).allowedValues.join(', ')}`}
  return {path, message: e.message ?? e.keyword}
}

/** Schema problems of a parsed dataset_info.json (never throws). */
export function validateDatasetInfo(value: unknown): SchemaProblem[] {
  if (validate(value)) return []
  const problems = (validate.errors ?? []).filter((e) => e.keyword !== 'required').map(describe)
  const seen = new Set<string>()
  return problems.filter((p) => !seen.has(p.path + p.message) && seen.add(p.path + p.message))
}
