import {existsSync, readFileSync, realpathSync, statSync} from 'node:fs'
import {isAbsolute, join, relative, resolve} from 'node:path'

import {InputError, UsageError} from '../errors.js'
import {resolveDatasetAttr} from './attr.js'
import {DATA_CONFIG, lfFolderFiles} from './constants.js'
import {parseDatasetInfoText, type DatasetInfo} from './dataset-info.js'
import type {DatasetAttr} from './types.js'

export {FILEEXT2TYPE, lfFolderFiles, type FolderResult} from './constants.js'

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

export function readDatasetInfo(datasetDir: string): DatasetInfo {
  const path = join(datasetDir, DATA_CONFIG)
  if (!existsSync(path)) throw new UsageError(`no dataset_info.json in ${datasetDir}`, {code: 'E_NO_DINFO', suggestion: 'pass --dataset-dir pointing at the folder that holds dataset_info.json'})
  return parseDatasetInfoText(readFileSync(path, 'utf8'), path) as DatasetInfo
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
  if (!existsSync(path)) throw new InputError('E_FILE_NOT_FOUND', `File ${path} not found (dataset ${name})`, {location: {file: path}})
  if (statSync(path).isDirectory()) {
    const folder = lfFolderFiles(path)
    if (!folder.ok) throw new InputError('E_FOLDER', folder.message, {location: {file: path}})
    return {attr, files: folder.files}
  }
  return {attr, files: [path]}
}
