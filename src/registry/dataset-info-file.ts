import {existsSync, lstatSync, readlinkSync, realpathSync} from 'node:fs'
import {basename, dirname, join, resolve} from 'node:path'

import jsonc from 'jsonc-parser'

import {copyFileAtomic, writeFileAtomic} from '../io/atomic.js'
import {insideDatasetDir, readDatasetInfoFile} from '../io/dataset-files.js'
import {InputError, UsageError} from '../errors.js'
import {parseDatasetInfoJson, validateDatasetInfo, type DatasetInfo, type DatasetInfoEntry} from '../lf/dataset-info.js'

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

/**
 * How jsonc-parser should lay out what it inserts: like the file's first member (indent unit, CRLF or LF). A
 * one-line file gets its edit on that line (no formatting options: nothing else is re-laid out); an empty
 * object gets LF's own layout (2 spaces).
 */
function layoutOf(text: string): jsonc.FormattingOptions | undefined {
  const tree = jsonc.parseTree(text)
  if (tree?.children?.length && !text.trim().includes('\n')) return undefined
  const eol = text.includes('\r\n') ? '\r\n' : '\n'
  const unit = /\n([ \t]+)"/.exec(text)?.[1] ?? '  '
  return unit.startsWith('\t') ? {insertSpaces: false, tabSize: 1, eol} : {insertSpaces: true, tabSize: unit.length, eol}
}

/** How many times `name` is a top-level key (Python's json.load keeps the last of duplicates, as LF does). */
function occurrences(text: string, name: string): number {
  return (jsonc.parseTree(text)?.children ?? []).filter((p) => p.children?.[0]?.value === name).length
}

/** `value` set at top-level key `name` (undefined removes it), touching nothing else. jsonc-parser edits the first occurrence. */
function edit(text: string, name: string, value: DatasetInfoEntry | undefined): string {
  const formattingOptions = layoutOf(text)
  return jsonc.applyEdits(text, jsonc.modify(text, [name], value, {formattingOptions}))
}

/** Text with `name` set to `entry`: replaced where LF reads it (the last duplicate, the others removed), or appended last. */
export function withEntry(file: DatasetInfoFile, name: string, entry: DatasetInfoEntry): string {
  let text = file.text
  while (occurrences(text, name) > 1) text = edit(text, name, undefined)
  return edit(text, name, entry)
}

/** Text without `name` (every duplicate of it). */
export function withoutEntry(file: DatasetInfoFile, name: string): string {
  let text = file.text
  while (occurrences(text, name) > 0) text = edit(text, name, undefined)
  return text
}

/** Writes the new text atomically; `backup` keeps the previous file as `.bak`. The result must still parse and validate. */
export async function saveDatasetInfo(file: DatasetInfoFile, text: string, backup: boolean): Promise<void> {
  const parsed = parseDatasetInfoJson(text)
  if (!parsed.ok) throw new Error(`refusing to write dataset_info.json that is not JSON: ${parsed.message}`)
  const problems = validateDatasetInfo(parsed.value).filter((p) => !p.message.startsWith('unknown key'))
  if (problems.length > 0) throw new Error(`refusing to write an invalid dataset_info.json: ${problems[0]!.path} ${problems[0]!.message}`)
  // Atomic too: a link planted at the .bak name is replaced, never written through.
  if (backup && existsSync(file.path)) await copyFileAtomic(file.path, `${file.path}.bak`)
  await writeFileAtomic(file.path, text)
}

/**
 * The file to lock, read and write for dataset_info.json at `path`: itself, or, when it is a symlink, its target,
 * so the link survives the atomic rename. A link whose target leaves the dataset dir is refused: lfdata never
 * writes through a symlink out of the folder it was pointed at.
 */
export function datasetInfoTarget(path: string): string {
  if (!lstatSync(path, {throwIfNoEntry: false})?.isSymbolicLink()) return path
  let target: string
  try {
    target = realpathSync(path)
  } catch {
    // A dangling link: where it would create the file.
    const raw = resolve(dirname(path), readlinkSync(path))
    target = existsSync(dirname(raw)) ? join(realpathSync(dirname(raw)), basename(raw)) : raw
  }
  if (!insideDatasetDir(dirname(path), target)) {
    throw new UsageError(`${path} is a symlink to ${target}, outside ${dirname(path)}; lfdata does not write through it`, {
      code: 'E_OUTPUT_SYMLINK',
      suggestion: `pass --dataset-dir ${dirname(target)} to edit the real file, or replace the link with a copy of it`,
    })
  }
  return target
}
