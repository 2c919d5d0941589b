import {readFile} from 'node:fs/promises'
import {join} from 'node:path'

/**
 * A folder written by `datasets.save_to_disk` (state.json + dataset_info.json + data-*.arrow): its Arrow
 * shards in the order state.json lists them, or undefined when the folder is not one.
 */
export async function hfSaveToDiskFiles(dir: string): Promise<string[] | undefined> {
  let state: {_data_files?: {filename?: string}[]}
  try {
    state = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8'))
  } catch {
    return undefined
  }
  const files = (state._data_files ?? []).map((f) => f.filename).filter((f): f is string => typeof f === 'string')
  return files.length > 0 ? files.map((f) => join(dir, f)) : undefined
}
