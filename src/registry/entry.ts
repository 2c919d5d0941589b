import {existsSync, realpathSync, statSync} from 'node:fs'
import {basename, join, relative, resolve} from 'node:path'

import {InputError, UsageError} from '../errors.js'
import {copyFileAtomic} from '../io/atomic.js'
import {guardOutputs} from '../io/output-guard.js'
import {readManifest} from '../io/manifest.js'
import {readRows} from '../io/read.js'
import {completeColumns, completeTags, datasetStage} from '../lf/attr.js'
import {insideDatasetDir, lfFolderFiles} from '../io/dataset-files.js'
import type {DatasetInfoEntry} from '../lf/dataset-info.js'
import {sniffEntry} from '../lf/sniff.js'
import type {ColumnKey, Formatting, Stage, TagKey} from '../lf/types.js'

export interface EntryOptions {
  file: string
  datasetDir: string
  copy: boolean
  allowOutside: boolean
  formatting?: Formatting
  ranking?: boolean
  columns: Partial<Record<ColumnKey, string>>
  tags: Partial<Record<TagKey, string>>
}

export interface BuiltEntry {
  entry: DatasetInfoEntry
  stage: Stage
  /** Records in the file, when a manifest says so. */
  size?: number
  /** The data files (one, or a folder's shards). */
  files: string[]
}

/**
 * `file_name` as LF will resolve it (join(dataset_dir, file_name)): relative when the file really lives in the
 * dataset dir (symlinks resolved, so a link pointing out counts as outside), copied in with --copy, absolute
 * only with --allow-outside.
 */
async function placeFile(opts: EntryOptions): Promise<{fileName: string; path: string}> {
  if (!existsSync(opts.file)) throw new UsageError(`not found: ${opts.file}`, {code: 'E_NOT_FOUND'})
  const dir = resolve(opts.datasetDir)
  const real = realpathSync(opts.file)
  if (insideDatasetDir(dir, real)) return {fileName: relative(realpathSync(dir), real), path: real}
  if (opts.copy) {
    if (statSync(real).isDirectory()) throw new UsageError('--copy takes a file, not a folder')
    const target = join(dir, basename(opts.file))
    const manifest = `${real}.lfdata.json`
    guardOutputs({inputs: [real, manifest], outputs: [{path: target, what: '--copy'}, {path: `${target}.lfdata.json`, what: "--copy's manifest"}]})
    if (existsSync(target)) throw new UsageError(`--copy: ${target} already exists`, {suggestion: 'rename the file or register the one in the dataset dir'})
    // The data first, its manifest last (the manifest's sha256 describes the copy).
    await copyFileAtomic(real, target)
    if (existsSync(manifest)) await copyFileAtomic(manifest, `${target}.lfdata.json`)
    return {fileName: basename(opts.file), path: target}
  }
  if (opts.allowOutside) return {fileName: real, path: real}
  throw new UsageError(`${opts.file} is outside the dataset dir ${opts.datasetDir}`, {
    code: 'E_OUTSIDE',
    suggestion: 'move it into the dataset dir, pass --copy to copy it in, or --allow-outside to reference it by absolute path',
  })
}

/** The dataset_info.json entry for a file: from its manifest (convert wrote it) or sniffed, flags on top, blocks complete. */
export async function buildEntry(opts: EntryOptions): Promise<BuiltEntry> {
  const {fileName, path} = await placeFile(opts)
  let files = [path]
  if (statSync(path).isDirectory()) {
    const folder = lfFolderFiles(path)
    if (!folder.ok) throw new InputError('E_FOLDER', folder.message, {location: {file: path}, suggestion: 'a folder file_name must hold files of one allowed type and nothing else (LF lists it with os.listdir)'})
    files = folder.files
  }
  const manifest = await readManifest(path)
  let base: DatasetInfoEntry
  let stage: Stage | undefined
  if (manifest) {
    base = {formatting: manifest.formatting, ranking: manifest.ranking, columns: manifest.columns, ...(manifest.tags ? {tags: manifest.tags} : {})}
    stage = manifest.stage
  } else {
    const first = await readRows(files[0]!)[Symbol.asyncIterator]().next()
    if (first.done) throw new InputError('E_NO_RECORDS', 'no records to register', {location: {file: files[0]}})
    base = sniffEntry(fileName, first.value.record)
  }
  const formatting = (opts.formatting ?? base.formatting ?? 'alpaca') as Formatting
  const ranking = opts.ranking ?? base.ranking ?? false
  const entry: DatasetInfoEntry = {file_name: fileName}
  if (formatting !== 'alpaca') entry.formatting = formatting
  if (ranking) entry.ranking = true
  entry.columns = completeColumns(formatting, {...base.columns, ...opts.columns})
  if (formatting !== 'alpaca') entry.tags = completeTags({...base.tags, ...opts.tags})
  return {entry, stage: stage && opts.ranking === undefined ? stage : datasetStage(entry), size: manifest?.records_out, files}
}
