import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs'
import {extname, isAbsolute, join} from 'node:path'

import {InputError, UsageError} from '../errors.js'
import {resolveDatasetAttr} from './attr.js'
import {parseDatasetInfoText, type DatasetInfo} from './dataset-info.js'
import type {DatasetAttr} from './types.js'

/** LF's FILEEXT2TYPE (extras/constants.py). */
export const FILEEXT2TYPE: Record<string, string> = {arrow: 'arrow', csv: 'csv', json: 'json', jsonl: 'json', parquet: 'parquet', txt: 'text'}

export type FolderResult = {ok: true; files: string[]; type: string} | {ok: false; message: string; offender?: string}

/**
 * The files LF loads for a folder `file_name`: every entry of os.listdir (non-recursive, dotfiles and
 * sub-folders included), all of one type. LF takes the type from the first entry of an unsorted listing;
 * lfdata sorts, and reports any entry that breaks the one-type rule.
 */
export function lfFolderFiles(dir: string): FolderResult {
  const names = readdirSync(dir).sort()
  if (names.length === 0) return {ok: false, message: 'folder is empty (LF fails with IndexError)'}
  const typeOf = (n: string) => FILEEXT2TYPE[extname(n).slice(1)]
  const type = names.map(typeOf).find(Boolean)
  if (!type) return {ok: false, message: `no file LF can load in the folder (allowed: ${Object.keys(FILEEXT2TYPE).join(', ')})`, offender: names[0]}
  // LF takes the type from whichever entry os.listdir returns first, so a stray entry fails with "Allowed file
  // types" or "File types should be identical" depending on the order: either way the folder does not load.
  const odd = names.find((n) => typeOf(n) !== type)
  if (odd) return {ok: false, message: `"${odd}" is not a ${type} file like the rest (LF: "File types should be identical." or "Allowed file types")`, offender: odd}
  return {ok: true, files: names.map((n) => join(dir, n)), type}
}

export function readDatasetInfo(datasetDir: string): DatasetInfo {
  const path = join(datasetDir, 'dataset_info.json')
  if (!existsSync(path)) throw new UsageError(`no dataset_info.json in ${datasetDir}`, {code: 'E_NO_DINFO', suggestion: 'pass --dataset-dir pointing at the folder that holds dataset_info.json'})
  return parseDatasetInfoText(readFileSync(path, 'utf8'), path) as DatasetInfo
}

export interface ResolvedDataset {
  attr: DatasetAttr
  files: string[]
}

/** A registered dataset's attributes and the local files LF would load for it. */
export function resolveDataset(name: string, info: DatasetInfo, datasetDir: string): ResolvedDataset {
  const entry = info[name]
  if (!entry) throw new UsageError(`dataset "${name}" is not in dataset_info.json`, {code: 'E_UNDEFINED_DATASET', suggestion: `registered: ${Object.keys(info).slice(0, 20).join(', ')}`})
  const attr = resolveDatasetAttr(name, entry)
  if (attr.loadFrom !== 'file') throw new UsageError(`dataset "${name}" loads from ${attr.loadFrom}; lfdata reads local files only`)
  const path = isAbsolute(attr.datasetName) ? attr.datasetName : join(datasetDir, attr.datasetName)
  if (!existsSync(path)) throw new InputError('E_FILE_NOT_FOUND', `File ${path} not found (dataset ${name})`, {location: {file: path}})
  if (statSync(path).isDirectory()) {
    const folder = lfFolderFiles(path)
    if (!folder.ok) throw new InputError('E_FOLDER', folder.message, {location: {file: path}})
    return {attr, files: folder.files}
  }
  return {attr, files: [path]}
}
