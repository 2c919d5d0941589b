import {open, readdir, stat} from 'node:fs/promises'
import {basename, extname, join} from 'node:path'

import {InputError, UsageError} from '../errors.js'
import {inputSize, readBytes} from './bytes.js'
import {readCsv} from './csv.js'
import {decodeText} from './decode.js'
import {readJsonArray} from './json-array.js'
import {readJsonl} from './jsonl.js'
import {newRecord} from './record.js'
import type {InputFormat, ReadOptions, Reader, Row} from './types.js'

/** The one place that knows file formats: commands ask for rows and never see a parser. */
const READERS: Record<InputFormat, () => Promise<Reader>> = {
  csv: () => Promise.resolve(readCsv),
  tsv: () => Promise.resolve((path, opts) => readCsv(path, {...opts, tsv: true})),
  jsonl: () => Promise.resolve(readJsonl),
  json: () => Promise.resolve(readJsonArray),
  // Binary formats load their libraries only when used, keeping start-up fast for text inputs.
  parquet: async () => (await import('./parquet.js')).readParquet,
  arrow: async () => (await import('./arrow.js')).readArrow,
  text: () => Promise.resolve(readText),
}

const EXTENSIONS: Record<string, InputFormat> = {
  '.csv': 'csv', '.tsv': 'tsv', '.tab': 'tsv', '.jsonl': 'jsonl', '.ndjson': 'jsonl', '.json': 'json',
  '.parquet': 'parquet', '.arrow': 'arrow', '.feather': 'arrow', '.ipc': 'arrow', '.txt': 'text',
}

export const INPUT_FORMATS = Object.keys(READERS) as InputFormat[]

/** Format from the extension (a trailing .gz is looked through), or undefined when unknown. */
export function detectFormat(path: string): InputFormat | undefined {
  const name = path.toLowerCase().replace(/\.gz$/, '')
  return EXTENSIONS[extname(name)]
}

/** Rows of one input file (or `-` for stdin), in file order. */
export async function* readRows(path: string, opts: ReadOptions = {}): AsyncGenerator<Row> {
  const format = opts.format ?? detectFormat(path)
  if (!format) {
    throw new UsageError(`cannot tell the format of ${path} from its extension`, {
      code: 'E_FORMAT',
      suggestion: `pass --input-format (${INPUT_FORMATS.join('|')})`,
    })
  }
  const size = await inputSize(path)
  if (size === 0) {
    throw new InputError('E_EMPTY_FILE', 'input file is empty', {location: {file: path}, suggestion: 'LLaMA-Factory fails on empty files; remove it or fill it'})
  }
  if (format === 'json' && (await startsWithObject(path))) {
    // HF datasets (and so LF) read a .json file that holds one object per line as JSON Lines.
    try {
      yield* readJsonl(path, opts)
    } catch (error) {
      if (error instanceof InputError && error.code === 'E_JSONL_PARSE' && error.location?.line === 1) {
        throw new InputError('E_JSON_NOT_ARRAY', 'top-level JSON value is an object, not an array of records', {
          location: {file: path, line: 1},
          suggestion: 'LLaMA-Factory needs a list of records: extract the array (e.g. `jq .data FILE`) or write one object per line (.jsonl)',
        })
      }
      throw error
    }
    return
  }
  const reader = await READERS[format]()
  yield* reader(path, opts)
}

/** Whether a plain (non-gzip) file's first non-space character is "{". */
async function startsWithObject(path: string): Promise<boolean> {
  if (path === '-') return false
  const handle = await open(path, 'r')
  try {
    const {buffer, bytesRead} = await handle.read(Buffer.alloc(4096), 0, 4096, 0)
    const head = buffer.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '').trimStart()
    return head.startsWith('{')
  } finally {
    await handle.close()
  }
}

/** Pre-training text: one record `{text}` per non-empty line (LF's `text` builder for .txt). */
async function* readText(path: string, opts: ReadOptions): AsyncGenerator<Row> {
  let buf = ''
  let line = 0
  const make = (text: string, at: number): Row => {
    const record = newRecord()
    record.text = text.endsWith('\r') ? text.slice(0, -1) : text
    return {record, source: path, line: at}
  }
  for await (const text of decodeText(readBytes(path, opts.onBytes), path, opts.encoding)) {
    buf += text
    let start = 0
    for (let nl = buf.indexOf('\n'); nl !== -1; nl = buf.indexOf('\n', start)) {
      line++
      const piece = buf.slice(start, nl)
      start = nl + 1
      if (piece.trim() !== '') yield make(piece, line)
    }
    buf = buf.slice(start)
  }
  if (buf.trim() !== '') yield make(buf, line + 1)
}

/**
 * Inputs as files: folders become their data files in a stable (sorted) order — or, for a folder written by
 * `datasets.save_to_disk`, its Arrow shards in state.json order. Dotfiles and unknown types are skipped.
 */
export async function expandInputs(paths: string[]): Promise<string[]> {
  const out: string[] = []
  for (const path of paths) {
    if (path === '-') {
      out.push(path)
      continue
    }
    await inputSize(path)
    if (!(await stat(path)).isDirectory()) {
      out.push(path)
      continue
    }
    const {hfSaveToDiskFiles} = await import('./hf-folder.js')
    const shards = await hfSaveToDiskFiles(path)
    if (shards) {
      out.push(...shards)
      continue
    }
    const names = (await readdir(path)).filter((n) => !n.startsWith('.') && detectFormat(n) && !n.endsWith('.lfdata.json')).sort()
    const files: string[] = []
    for (const name of names) {
      const full = join(path, name)
      if ((await stat(full)).isFile() && basename(name) !== 'dataset_info.json') files.push(full)
    }
    if (files.length === 0) {
      throw new UsageError(`folder has no data files: ${path}`, {code: 'E_EMPTY_FOLDER', suggestion: `expected files ending in ${Object.keys(EXTENSIONS).join(', ')}`})
    }
    out.push(...files)
  }
  return out
}
