import {existsSync} from 'node:fs'

import {copyFileAtomic, writeFileAtomic} from '../io/atomic.js'
import {readDatasetInfoFile} from '../io/dataset-files.js'
import {InputError} from '../errors.js'
import {parseDatasetInfoJson, validateDatasetInfo, type DatasetInfo, type DatasetInfoEntry} from '../lf/dataset-info.js'
import {topLevelSpans} from '../io/json-spans.js'

/** dataset_info.json as text plus its parsed value; edits splice the text so untouched entries keep their bytes. */
export interface DatasetInfoFile {
  path: string
  text: string
  info: DatasetInfo
}

/** Reads and checks an existing dataset_info.json (a missing file is an empty one). A broken file is an error, never overwritten. */
export function loadDatasetInfo(path: string): Promise<DatasetInfoFile> {
  if (!existsSync(path)) return Promise.resolve({path, text: '{}\n', info: {}})
  // A BOM is refused like any other json.load failure: LF cannot read the file, and editing it would hide that.
  const {text, info} = readDatasetInfoFile(path)
  if (typeof info !== 'object' || info === null || Array.isArray(info)) {
    throw new InputError('E_DINFO_SHAPE', 'dataset_info.json must be a JSON object of entries', {location: {file: path}})
  }
  const problems = validateDatasetInfo(info).filter((p) => !p.message.startsWith('unknown key'))
  if (problems.length > 0) {
    throw new InputError('E_DINFO_SCHEMA', `dataset_info.json is invalid at ${problems[0]!.path}: ${problems[0]!.message}`, {
      location: {file: path},
      suggestion: 'fix the entry by hand (or run lfdata check) before registering more; lfdata does not rewrite a broken file',
    })
  }
  return Promise.resolve({path, text, info: info as DatasetInfo})
}

/** The indentation unit of the file (2 spaces for LF's own file), from its first member. */
function indentOf(text: string): string {
  const m = /\n([ \t]+)"/.exec(text)
  return m ? m[1]! : '  '
}

function renderEntry(name: string, entry: DatasetInfoEntry, unit: string): string {
  const body = JSON.stringify(entry, null, unit).replace(/\n/g, `\n${unit}`)
  return `${unit}${JSON.stringify(name)}: ${body}`
}

/** Text with `name` set to `entry` (replaced in place, or appended last). */
export function withEntry(file: DatasetInfoFile, name: string, entry: DatasetInfoEntry): string {
  const {members, close} = topLevelSpans(file.text)
  const unit = indentOf(file.text)
  const rendered = renderEntry(name, entry, unit)
  const existing = members.find((m) => m.key === name)
  if (existing) {
    const lineStart = file.text.lastIndexOf('\n', existing.start) + 1
    return file.text.slice(0, lineStart) + rendered + file.text.slice(existing.end)
  }
  const last = members.at(-1)
  if (!last) return `${file.text.slice(0, close).trimEnd()}\n${rendered}\n${file.text.slice(close)}`
  return `${file.text.slice(0, last.end)},\n${rendered}${file.text.slice(last.end)}`
}

/** Text without `name`. */
export function withoutEntry(file: DatasetInfoFile, name: string): string {
  const {members} = topLevelSpans(file.text)
  const i = members.findIndex((m) => m.key === name)
  if (i === -1) return file.text
  const m = members[i]!
  if (i > 0) return file.text.slice(0, members[i - 1]!.end) + file.text.slice(m.end)
  const next = members[1]
  const lineStart = file.text.lastIndexOf('\n', m.start) + 1
  return next ? file.text.slice(0, lineStart) + file.text.slice(file.text.lastIndexOf('\n', next.start) + 1) : '{}\n'
}

/** Writes the new text atomically; `backup` keeps the previous file as `.bak`. The result must still parse and validate. */
export async function saveDatasetInfo(file: DatasetInfoFile, text: string, backup: boolean): Promise<void> {
  const parsed = parseDatasetInfoJson(text)
  if (!parsed.ok) throw new Error(`refusing to write dataset_info.json that is not JSON: ${parsed.message}`)
  const problems = validateDatasetInfo(parsed.value).filter((p) => !p.message.startsWith('unknown key'))
  if (problems.length > 0) throw new Error(`refusing to write an invalid dataset_info.json: ${problems[0]!.path} ${problems[0]!.message}`)
  if (backup && existsSync(file.path)) await copyFileAtomic(file.path, `${file.path}.bak`)
  await writeFileAtomic(file.path, text)
}
