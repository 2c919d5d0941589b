import {existsSync, readdirSync} from 'node:fs'
import {readFile} from 'node:fs/promises'

import {isMap, isScalar, LineCounter, parseDocument} from 'yaml'

import {checkDataArgs, LF_ARG_KEYS, LF_TEMPLATE_NAMES} from '../lf/data-args.js'
import {closest, type Diagnostics} from './diagnostics.js'

export interface TrainConfig {
  values: Record<string, unknown>
  file: string
}

/** Reads a train YAML (core schema: no custom or language tags) and checks its keys and data-args rules. */
export async function checkConfig(file: string, diags: Diagnostics): Promise<TrainConfig | undefined> {
  const text = await readFile(file, 'utf8')
  const lines = new LineCounter()
  const doc = parseDocument(text, {schema: 'core', lineCounter: lines, uniqueKeys: true})
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!
    diags.add('LF101', e.message.split('\n')[0]!, {file, line: e.linePos?.[0]?.line})
    return undefined
  }
  if (!isMap(doc.contents)) {
    diags.add('LF101', 'the YAML is not a mapping of keys', {file})
    return undefined
  }
  const lineOf = new Map<string, number>()
  for (const pair of doc.contents.items) {
    if (!isScalar(pair.key)) continue
    const key = String(pair.key.value)
    const line = pair.key.range ? lines.linePos(pair.key.range[0]).line : undefined
    if (line !== undefined) lineOf.set(key, line)
    if (!LF_ARG_KEYS.has(key)) {
      const guess = closest(key, LF_ARG_KEYS)
      diags.add('LF102', `"${key}" is not an LF argument${guess ? ` — did you mean "${guess}"?` : ''}`, {file, line})
    }
  }
  const values = (doc.toJS() ?? {}) as Record<string, unknown>
  for (const p of checkDataArgs(values)) {
    const code = p.rule === 'template' ? 'LF103' : p.severity === 'error' ? 'LF104' : 'LF105'
    const message = p.rule === 'template' ? `${p.message}${closest(String(values.template), LF_TEMPLATE_NAMES) ? ` — did you mean "${closest(String(values.template), LF_TEMPLATE_NAMES)}"?` : ''}` : p.message
    diags.add(code, message, {file, line: lineOf.get(p.key)})
  }
  const tokenized = values.tokenized_path
  if (typeof tokenized === 'string' && existsSync(tokenized) && readdirSync(tokenized).length > 0) {
    diags.add('LF107', `${tokenized} is not empty`, {file, line: lineOf.get('tokenized_path')})
  }
  return {values, file}
}
