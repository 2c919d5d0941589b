import {closeSync, openSync, readSync, realpathSync, statSync} from 'node:fs'
import {basename, extname, isAbsolute, join} from 'node:path'

import {insideDatasetDir, lfFolderFiles} from '../io/dataset-files.js'
import {FILEEXT2TYPE} from '../lf/constants.js'
import type {DatasetAttr} from '../lf/types.js'
import type {Code} from './codes.js'
import type {Diagnostics} from './diagnostics.js'

/** A file LF loads for a dataset, with the HF loader LF picks for it. */
export interface DataFile {
  path: string
  /** FILEEXT2TYPE's value: json (.json and .jsonl alike), csv, parquet, arrow or text. */
  type: string
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf])

/** The first bytes of a file, without reading the rest. */
export function head(path: string, bytes = 4096): Buffer {
  const fd = openSync(path, 'r')
  try {
    const buf = Buffer.alloc(bytes)
    return buf.subarray(0, readSync(fd, buf, 0, bytes, 0))
  } finally {
    closeSync(fd)
  }
}

/** The first non-space character of a text file (after a BOM), for telling JSON Lines from a JSON array. */
export function firstChar(path: string): string {
  let text = head(path, 1024).toString('utf8')
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  return text.trimStart().charAt(0)
}

/**
 * The files LF loads for a file entry, as _load_single_dataset finds them: dataset_dir joined with file_name
 * (an absolute file_name wins), a folder's every os.listdir entry, one allowed type. Reports why LF would fail
 * to load them, and the code of that problem.
 */
export function entryFiles(attr: DatasetAttr, datasetDir: string, diags: Diagnostics): {files: DataFile[]; failed?: Code} {
  const path = isAbsolute(attr.datasetName) ? attr.datasetName : join(datasetDir, attr.datasetName)
  const at = {file: path, dataset: attr.name}
  const stat = statSync(path, {throwIfNoEntry: false})
  if (!stat) {
    diags.add('LF301', 'data file not found', at, `File ${path} not found.`)
    return {files: [], failed: 'LF301'}
  }
  // register refuses these unless told (--allow-outside); a hand-written entry gets the same scrutiny here.
  if (!insideDatasetDir(datasetDir, path)) {
    diags.add('LF311', 'data file lies outside the dataset dir', at, `file_name "${attr.datasetName}" resolves to ${realpathSync(path)}, outside ${datasetDir}`)
    // Whatever is found in it is reported by path and line only: check must not print a file nobody put in the dataset dir.
    diags.redact(path)
  }
  let files: DataFile[]
  if (stat.isDirectory()) {
    const folder = lfFolderFiles(path)
    if (!folder.ok) {
      const code = folder.message.startsWith('no file') ? 'LF302' : 'LF303'
      diags.add(code, 'the folder does not load', at, folder.message)
      return {files: [], failed: code}
    }
    // Files LF would load as data though they are not: sub-folders, dataset_info.json, lfdata manifests.
    const stray = folder.files.find((f) => statSync(f).isDirectory() || basename(f) === 'dataset_info.json' || f.endsWith('.lfdata.json'))
    if (stray) {
      diags.add('LF303', 'the folder does not load', at, `"${basename(stray)}" would be loaded as data (LF loads every entry of the folder)`)
      return {files: [], failed: 'LF303'}
    }
    files = folder.files.map((f) => ({path: f, type: folder.type}))
  } else {
    const type = FILEEXT2TYPE[extname(path).slice(1)]
    if (!type) {
      diags.add('LF302', 'file type LF does not load', at, `"${extname(path) || '(no extension)'}" — Allowed file types: ${Object.keys(FILEEXT2TYPE).join(',')}.`)
      return {files: [], failed: 'LF302'}
    }
    files = [{path, type}]
  }
  for (const f of files) sniff(f, attr.name, diags)
  return {files}
}

/** Content that contradicts the extension, and a BOM. */
function sniff(f: DataFile, dataset: string, diags: Diagnostics): void {
  if (f.type === 'parquet' || f.type === 'arrow') return
  const bytes = head(f.path)
  const at = {file: f.path, line: 1, dataset}
  if (bytes.subarray(0, 3).equals(BOM)) diags.add('LF309', 'file starts with a UTF-8 BOM', at)
  const start = bytes.toString('utf8').replace(/^\uFEFF/, '').trimStart()
  if (f.type === 'text' && /^[[{]\s*["{[]/.test(start)) diags.add('LF307', '.txt file holds JSON; LF reads it line by line as {"text": …}', at)
}
