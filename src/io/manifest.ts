import {readFile} from 'node:fs/promises'

import {writeFileAtomic} from './atomic.js'
import type {ColumnKey, Formatting, Stage, TagKey} from '../lf/types.js'

/**
 * The manifest `convert` writes beside its output (`OUT.lfdata.json`). `register` and `stats` read it to
 * learn the mapping without sniffing. Bump `manifest_version` on incompatible changes.
 */
export interface Manifest {
  manifest_version: 1
  tool: {name: 'lfdata'; version: string}
  created: string
  output: {path: string; format: 'jsonl' | 'json' | 'arrow'; bytes: number; sha256: string}
  /** What to put in dataset_info.json for this file. */
  formatting: Formatting
  ranking: boolean
  /** Complete blocks, ready for dataset_info.json (only the keys this file uses). */
  columns: Partial<Record<ColumnKey, string>>
  tags?: Partial<Record<TagKey, string>>
  /** The LF stage this data is shaped for. */
  stage: Stage
  records_in: number
  records_out: number
  dropped: Record<string, number>
  inputs: {path: string; bytes: number | null; format: string}[]
  options: Record<string, unknown>
  /** A folder written by a sharded run (`lfdata merge`): its parts in order; `output` describes their concatenation. */
  parts?: {path: string; bytes: number; records: number}[]
}

export const manifestPathFor = (output: string): string => `${output.replace(/(.)\/+$/, '$1')}.lfdata.json`

export async function writeManifest(output: string, manifest: Manifest): Promise<void> {
  await writeFileAtomic(manifestPathFor(output), JSON.stringify(manifest, null, 2) + '\n')
}

/** The manifest beside `dataFile`, or undefined when there is none (or it is not ours). */
export async function readManifest(dataFile: string): Promise<Manifest | undefined> {
  let text: string
  try {
    text = await readFile(manifestPathFor(dataFile), 'utf8')
  } catch {
    return undefined
  }
  try {
    const parsed = JSON.parse(text) as Partial<Manifest>
    return parsed.manifest_version === 1 && parsed.tool?.name === 'lfdata' ? (parsed as Manifest) : undefined
  } catch {
    return undefined
  }
}
