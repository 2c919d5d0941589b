import {existsSync, readFileSync, statSync} from 'node:fs'
import {isAbsolute, join} from 'node:path'

import {InputError, UsageError} from '../errors.js'
import {resolveDatasetAttr} from './attr.js'
import {DATA_CONFIG, lfFolderFiles} from './constants.js'
import {parseDatasetInfoText, type DatasetInfo} from './dataset-info.js'
import type {DatasetAttr} from './types.js'

export {FILEEXT2TYPE, lfFolderFiles, type FolderResult} from './constants.js'

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
