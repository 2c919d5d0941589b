import {readFile} from 'node:fs/promises'

import {isMap, isScalar, LineCounter, parseDocument} from 'yaml'

import {firstDuplicateKey} from '../io/yaml-keys.js'
import {checkDataArgs, LF_ARG_KEYS, LF_TEMPLATE_NAMES} from '../lf/data-args.js'
import type {Stage} from '../lf/types.js'
import {closest, didYouMean, type Diagnostics} from './diagnostics.js'

export const STAGES: readonly Stage[] = ['pt', 'sft', 'rm', 'ppo', 'dpo', 'kto']

/** A train YAML as LF reads it: the values, and where each top-level key sits for diagnostics. */
export interface TrainConfig {
  file: string
  values: Record<string, unknown>
  /** 1-based line of a top-level key. */
  lines: Map<string, number>
  /** The scalar's text as written (YAML `1.0` and `1` are both the number 1 once parsed). */
  sources: Map<string, string>
}

/** `dataset`/`eval_dataset` as LF splits them: comma-separated string or YAML list, items stripped. */
export function datasetNames(v: unknown): string[] {
  if (v === undefined || v === null) return []
  return (Array.isArray(v) ? v.map(String) : String(v).split(',')).map((s) => s.trim()).filter(Boolean)
}

/**
 * Reads a train YAML and checks what can be checked without the data: keys LF's argument parser rejects,
 * the data-args rules, the template name, argument types. Returns undefined when the YAML does not parse.
 */
export async function checkConfig(file: string, diags: Diagnostics): Promise<TrainConfig | undefined> {
  const text = await readFile(file, 'utf8')
  const counter = new LineCounter()
  const doc = parseDocument(text, {schema: 'core', lineCounter: counter, uniqueKeys: false})
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!
    diags.add('LF101', 'the YAML does not parse', {file, line: e.linePos?.[0]?.line}, e.message.split('\n')[0])
    return undefined
  }
  const duplicate = firstDuplicateKey(doc)
  if (duplicate) {
    diags.add('LF101', 'the YAML does not parse', {file, line: counter.linePos(duplicate.offset).line}, `Map keys must be unique: "${duplicate.key}" appears twice`)
    return undefined
  }
  if (!isMap(doc.contents)) {
    diags.add('LF101', 'the YAML is not a mapping of keys to values', {file})
    return undefined
  }
  const cfg: TrainConfig = {file, values: {}, lines: new Map(), sources: new Map()}
  for (const pair of doc.contents.items) {
    if (!isScalar(pair.key)) continue
    const key = String(pair.key.value)
    if (pair.key.range) cfg.lines.set(key, counter.linePos(pair.key.range[0]).line)
    if (isScalar(pair.value) && pair.value.range) cfg.sources.set(key, text.slice(pair.value.range[0], pair.value.range[1]).trim())
    if (!LF_ARG_KEYS.has(key)) diags.add('LF102', 'key is not an LF argument', {file, line: cfg.lines.get(key)}, () => `"${key}"${didYouMean(key, LF_ARG_KEYS)}`)
  }
  cfg.values = (doc.toJS() ?? {}) as Record<string, unknown>
  const at = (key: string) => ({file, line: cfg.lines.get(key)})
  for (const p of checkDataArgs(cfg.values)) {
    if (p.rule === 'template') diags.add('LF103', p.message, at('template'), guess(String(cfg.values.template), LF_TEMPLATE_NAMES))
    else if (p.rule === 'interleave_non_streaming') diags.add('LF112', p.message, at(p.key))
    else diags.add(p.severity === 'error' ? 'LF104' : 'LF105', p.message, at(p.key))
  }
  checkTypes(cfg, diags)
  for (const key of ['dataset', 'eval_dataset']) {
    const list = datasetNames(cfg.values[key])
    for (const twice of new Set(list.filter((n, i) => list.indexOf(n) !== i))) diags.add('LF111', `${key} lists a dataset more than once`, at(key), twice)
  }
  return cfg
}

/** "did you mean …?" as a detail, or undefined. */
export function guess(word: string, candidates: Iterable<string>): string | undefined {
  const best = closest(word, candidates)
  return best === undefined ? undefined : `did you mean "${best}"?`
}

/** Values whose type or form LF mishandles without a clear error. */
function checkTypes(cfg: TrainConfig, diags: Diagnostics): void {
  const v = cfg.values
  const at = (key: string) => ({file: cfg.file, line: cfg.lines.get(key)})
  if (v.stage !== undefined && !STAGES.includes(v.stage as Stage)) diags.add('LF104', `stage must be one of ${STAGES.join(', ')}`, at('stage'), `stage: ${String(v.stage)}`)
  for (const key of ['cutoff_len', 'max_samples']) {
    const value = v[key]
    if (value !== undefined && value !== null && !(Number.isInteger(value) && (value as number) > 0)) {
      diags.add('LF104', `${key} must be a positive integer (a list or string fails with TypeError)`, at(key), `${key}: ${JSON.stringify(value)}`)
    }
  }
  const valSize = v.val_size
  if (typeof valSize === 'number') {
    // split_dataset: > 1 means a number of examples, anything else a fraction; so 1.0 means "all of it".
    const written = cfg.sources.get('val_size') ?? ''
    if (valSize < 0) diags.add('LF104', 'val_size must be a fraction in (0, 1) or a number of examples > 1', at('val_size'), `val_size: ${written}`)
    else if (valSize === 1 && /[.eE]/.test(written)) diags.add('LF104', 'val_size 1.0 is a fraction: every example would go to evaluation (datasets: test_size=1.0 …)', at('val_size'), 'write 1 for one example, or a fraction below 1')
  }
}
