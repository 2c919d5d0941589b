import {existsSync, readdirSync, readFileSync, realpathSync, statSync} from 'node:fs'
import {isAbsolute, join, relative, resolve} from 'node:path'

import {InputError, UsageError} from '../errors.js'
import {resolveDatasetAttr} from '../lf/attr.js'
import {DATA_CONFIG, lfFolderRule, type FolderResult} from '../lf/constants.js'
import {parseDatasetInfoJson, type DatasetInfo} from '../lf/dataset-info.js'
import type {DatasetAttr} from '../lf/types.js'

/** The file side of LF's dataset rules (src/lf holds the rules; this module reads the disk for them). */

/** The files LF loads for a folder `file_name` (lfFolderRule over the folder's listing). */
export function lfFolderFiles(dir: string): FolderResult {
  return lfFolderRule(dir, readdirSync(dir))
}

/**
 * Whether `path` really lives under `datasetDir`, symlinks resolved (a link pointing out is outside). LF joins
 * dataset_dir with file_name and follows links, so an absolute file_name, `..` or a link out reaches files the
 * dataset dir's owner never meant to ship.
 */
export function insideDatasetDir(datasetDir: string, path: string): boolean {
  const real = (p: string) => (existsSync(p) ? realpathSync(p) : resolve(p))
  const rel = relative(real(datasetDir), real(path))
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)
}

/** os.path.isfile: false for anything missing or unreadable. */
export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}

/**
 * The one dataset_info.json reader: strict UTF-8, then LF's json.load rules (parseDatasetInfoJson: a BOM,
 * comments or trailing commas fail with Python's message and line). Throws E_DINFO_JSON naming file and line.
 */
export function readDatasetInfoFile(path: string): {text: string; info: unknown} {
  let text: string
  try {
    text = new TextDecoder('utf-8', {fatal: true, ignoreBOM: true}).decode(readFileSync(path))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== undefined) throw error
    throw new InputError('E_DINFO_JSON', 'dataset_info.json is not valid JSON: not UTF-8 text (UnicodeDecodeError)', {location: {file: path}, suggestion: 'save the file as UTF-8'})
  }
  const parsed = parseDatasetInfoJson(text)
  if (parsed.ok) return {text, info: parsed.value}
  throw new InputError('E_DINFO_JSON', `dataset_info.json is not valid JSON: ${parsed.message}`, {
    location: {file: path, line: parsed.line},
    suggestion: parsed.bom ? 'save the file as UTF-8 without a BOM' : 'LF reads it with Python json.load: double quotes only, no trailing commas, no comments',
  })
}

export function readDatasetInfo(datasetDir: string): DatasetInfo {
  const path = join(datasetDir, DATA_CONFIG)
  if (!existsSync(path)) throw new UsageError(`no dataset_info.json in ${datasetDir}`, {code: 'E_NO_DINFO', suggestion: 'pass --dataset-dir pointing at the folder that holds dataset_info.json'})
  return readDatasetInfoFile(path).info as DatasetInfo
}

export interface ResolvedDataset {
  attr: DatasetAttr
  files: string[]
}

/** A registered dataset's attributes and the local files LF would load for it. */
export function resolveDataset(name: string, info: DatasetInfo, datasetDir: string): ResolvedDataset {
  const entry = Object.hasOwn(info, name) ? info[name] : undefined
  if (!entry) throw new UsageError(`dataset "${name}" is not in dataset_info.json`, {code: 'E_UNDEFINED_DATASET', suggestion: `registered: ${Object.keys(info).slice(0, 20).join(', ')}`})
  const attr = resolveDatasetAttr(name, entry)
  if (attr.loadFrom !== 'file') throw new UsageError(`dataset "${name}" loads from ${attr.loadFrom}; lfdata reads local files only`)
  const path = isAbsolute(attr.datasetName) ? attr.datasetName : join(datasetDir, attr.datasetName)
  if (!existsSync(path)) throw new UsageError(`File ${path} not found (dataset ${name})`, {code: 'E_FILE_NOT_FOUND', location: {file: path}})
  if (statSync(path).isDirectory()) {
    const folder = lfFolderFiles(path)
    if (!folder.ok) throw new InputError('E_FOLDER', folder.message, {location: {file: path}})
    return {attr, files: folder.files}
  }
  return {attr, files: [path]}
}
