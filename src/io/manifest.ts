import {createHash} from 'node:crypto'
import {createReadStream, existsSync, statSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import {dirname, join} from 'node:path'

import {InputError} from '../errors.js'
import {PendingFile} from './atomic.js'
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
  /** Every file convert committed with this manifest (output, rejects, dedup report), named relative to the manifest's folder. */
  files?: ManifestFile[]
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

export interface ManifestFile {
  role: 'output' | 'rejects' | 'dedup_report'
  path: string
  bytes: number
  sha256: string
}

/** The manifest as a pending file at `path`, to be committed last, after the files it describes. */
export function pendingManifest(path: string, manifest: Manifest): PendingFile {
  const file = PendingFile.create(path)
  try {
    file.writeSync(JSON.stringify(manifest, null, 2) + '\n')
  } catch (error) {
    file.abort()
    throw error
  }
  return file
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/**
 * Refuses (exit 3) a manifest that does not describe the files beside it: the data file must have the
 * output's size and sha256, and every other file it lists that still exists must match too. This catches a
 * data file edited (or replaced) after convert, and a run that died between renaming its files.
 */
async function verifyManifest(dataFile: string, manifest: Manifest): Promise<void> {
  const checks = [{path: dataFile, role: 'output', bytes: manifest.output.bytes, sha256: manifest.output.sha256}]
  for (const f of manifest.files ?? []) if (f.role !== 'output') checks.push({...f, path: join(dirname(manifestPathFor(dataFile)), f.path)})
  for (const c of checks) {
    if (!existsSync(c.path) || !statSync(c.path).isFile()) {
      if (c.role === 'output') return
      continue
    }
    if (statSync(c.path).size === c.bytes && (await sha256Of(c.path)) === c.sha256) continue
    throw new InputError('E_MANIFEST_MISMATCH', `${manifestPathFor(dataFile)} does not match ${c.path} (the ${c.role} changed after convert wrote the manifest)`, {
      location: {file: manifestPathFor(dataFile)},
      suggestion: 'rerun lfdata convert, or delete the manifest to have the file sniffed instead',
    })
  }
}

const verified = new Map<string, Promise<Manifest | undefined>>()

/** The manifest beside `dataFile` (checked against its files, once per process), or undefined when there is none (or it is not ours). */
export function readManifest(dataFile: string): Promise<Manifest | undefined> {
  let result = verified.get(dataFile)
  if (!result) verified.set(dataFile, (result = loadManifest(dataFile)))
  return result
}

async function loadManifest(dataFile: string): Promise<Manifest | undefined> {
  let text: string
  try {
    text = await readFile(manifestPathFor(dataFile), 'utf8')
  } catch {
    return undefined
  }
  let parsed: Partial<Manifest>
  try {
    parsed = JSON.parse(text) as Partial<Manifest>
  } catch {
    return undefined
  }
  if (parsed.manifest_version !== 1 || parsed.tool?.name !== 'lfdata') return undefined
  await verifyManifest(dataFile, parsed as Manifest)
  return parsed as Manifest
}
