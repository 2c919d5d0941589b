import {readFile, stat} from 'node:fs/promises'
import {join} from 'node:path'

import {InputError, UsageError} from '../errors.js'

/**
 * A folder written by `datasets.save_to_disk`: its Arrow shards (IPC streams) in the order state.json lists
 * them, or undefined when the folder is not one (no state.json + dataset_info.json pair). A DatasetDict
 * folder (dataset_dict.json, one sub-folder per split) is refused: mixing its splits would be wrong.
 */
export async function hfSaveToDiskFiles(dir: string): Promise<string[] | undefined> {
  const dict = await readJson(join(dir, 'dataset_dict.json'))
  if (dict !== undefined) {
    const splits = (dict as {splits?: unknown}).splits
    const names = Array.isArray(splits) ? splits.map(String) : []
    throw new UsageError(`folder is a datasets DatasetDict (splits: ${names.join(', ') || 'none listed'}), not one dataset: ${dir}`, {
      code: 'E_HF_DATASET_DICT',
      suggestion: `pass one split's folder, e.g. ${join(dir, names[0] ?? 'train')}`,
    })
  }
  if (!(await exists(join(dir, 'dataset_info.json')))) return undefined
  const state = await readJson(join(dir, 'state.json'))
  if (state === undefined) return undefined
  const entries = (state as {_data_files?: unknown})._data_files
  const files = Array.isArray(entries) ? entries.map((f) => (f as {filename?: unknown} | null)?.filename) : []
  if (files.length === 0 || !files.every((f): f is string => typeof f === 'string')) {
    throw stateError(dir, 'state.json lists no data files (_data_files[].filename)')
  }
  const paths: string[] = []
  for (const name of files) {
    // Shard names are plain file names; anything else would read outside the folder.
    if (name.includes('/') || name.includes('\\') || name === '..' || name === '.') throw stateError(dir, `state.json names a data file outside the folder: ${name}`)
    const path = join(dir, name)
    if (!(await exists(path))) throw stateError(dir, `state.json lists ${name}, which is missing`)
    paths.push(path)
  }
  return paths
}

function stateError(dir: string, message: string): InputError {
  return new InputError('E_HF_STATE', message, {
    location: {file: join(dir, 'state.json')},
    suggestion: 'the save_to_disk folder is incomplete; save it again or copy the whole folder',
  })
}

/** Parsed JSON, undefined when the file does not exist; malformed JSON is an input error. */
async function readJson(path: string): Promise<unknown> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch {
    return undefined
  }
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    throw new InputError('E_HF_STATE', `not valid JSON: ${(error as Error).message}`, {location: {file: path}})
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  )
}
