import {createWriteStream} from 'node:fs'
import {mkdtemp, open, readdir, rm, stat} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {basename, extname, join} from 'node:path'
import {pipeline} from 'node:stream/promises'

import {InputError, UsageError} from '../errors.js'
import {inputSize, peekStdin, readBytes} from './bytes.js'
import {readCsv, sniffDelimiter} from './csv.js'
import {decodeText} from './decode.js'
import {readJsonArray} from './json-array.js'
import {readJsonl} from './jsonl.js'
import {KeyScanner} from './key-scan.js'
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
  const format = opts.format ?? detectFormat(path) ?? (path === '-' ? await sniffStdinFormat() : undefined)
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
  if (path === '-' && (format === 'parquet' || format === 'arrow')) {
    yield* spooled(reader, opts)
    return
  }
  yield* reader(path, opts)
}

/**
 * The format of stdin from its first bytes (gunzipped): Parquet or Arrow magic, a JSON array ("["), JSON
 * Lines ("{"), else CSV — or TSV when the delimiter sniffer picks tabs.
 */
export async function sniffStdinFormat(): Promise<InputFormat> {
  sniffedStdin = sniffHead(await peekStdin())
  return sniffedStdin
}

let sniffedStdin: InputFormat | undefined

/** The format stdin was sniffed as (for the manifest), once it has been read. */
export const stdinFormat = (): InputFormat | undefined => sniffedStdin

function sniffHead(head: Buffer): InputFormat {
  const magic = head.subarray(0, 6).toString('latin1')
  if (magic.startsWith('PAR1')) return 'parquet'
  if (magic === 'ARROW1' || (head.length >= 4 && head.readUInt32LE(0) === 0xffffffff)) return 'arrow'
  const utf16 = head[0] === 0xff && head[1] === 0xfe ? 'utf-16le' : head[0] === 0xfe && head[1] === 0xff ? 'utf-16be' : 'utf-8'
  const text = new TextDecoder(utf16).decode(head).replace(/^\uFEFF/, '')
  const start = text.trimStart()[0]
  if (start === '[') return 'json'
  if (start === '{') return 'jsonl'
  return sniffDelimiter(text) === '\t' ? 'tsv' : 'csv'
}

/** Parquet and Arrow need random access: stdin is copied to a private temp folder, read, and removed. */
async function* spooled(reader: Reader, opts: ReadOptions): AsyncGenerator<Row> {
  const dir = await mkdtemp(join(tmpdir(), 'lfdata-stdin-'))
  try {
    const file = join(dir, 'stdin')
    await pipeline(readBytes('-', opts.onBytes), createWriteStream(file))
    for await (const row of reader(file, {...opts, onBytes: undefined})) yield {...row, source: '-'}
  } finally {
    await rm(dir, {recursive: true, force: true})
  }
}

/**
 * Every top-level key of a JSON Lines or JSON array file, over all its records (a byte scan, no JSON.parse),
 * because records there may each have different keys. Undefined for stdin (it cannot be read twice) and for
 * the formats whose first record already names every column (CSV/TSV header, Parquet/Arrow schema, text).
 */
export async function scanKeys(path: string, opts: ReadOptions = {}): Promise<string[] | undefined> {
  const format = opts.format ?? detectFormat(path)
  if (path === '-' || (format !== 'jsonl' && format !== 'json')) return undefined
  const scanner = new KeyScanner(format === 'jsonl' || (await startsWithObject(path)) ? 'lines' : 'array')
  for await (const chunk of utf8Bytes(path, opts.encoding)) scanner.push(chunk)
  return [...scanner.keys]
}

/** The input as UTF-8 bytes: as stored when it is UTF-8 (no decoding cost), else decoded and re-encoded. */
async function* utf8Bytes(path: string, encoding: string | undefined): AsyncGenerator<Buffer> {
  const label = encoding?.toLowerCase().replace(/[^a-z0-9]/g, '')
  const bytes = readBytes(path)
  const first = await bytes.next()
  if (first.done) return
  async function* all(): AsyncGenerator<Buffer> {
    yield first.value
    yield* bytes
  }
  const head = first.value
  const utf16Bom = (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)
  if ((label === undefined || label === 'utf8' || label === 'unicode11utf8') && !utf16Bom) {
    yield* all()
    return
  }
  for await (const text of decodeText(all(), path, encoding)) yield Buffer.from(text, 'utf8')
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
