import {open, type FileHandle} from 'node:fs/promises'
import {brotliDecompressSync, gunzipSync} from 'node:zlib'

import {parquetMetadataAsync, parquetSchema, type AsyncBuffer, type Compressors, type FileMetaData, type ParquetParsers, type RowGroup} from 'hyparquet'
import {compressors} from 'hyparquet-compressors'

import {InputError} from '../errors.js'
import {floorDiv, isoDate, isoTimestamp} from './iso-time.js'
import {ColumnError, rowGroupRows} from './parquet-pages.js'
import {toPlain} from './plain.js'
import {newRecord} from './record.js'
import type {ByteWindow, ReadOptions, Row} from './types.js'

/** hyparquet-compressors' codecs, with Node's native zlib where it has one (several times faster than JS). */
const CODECS: Compressors = {
  ...compressors,
  GZIP: (input) => gunzipSync(input),
  BROTLI: (input) => brotliDecompressSync(input),
}

/** Dates and timestamps as ISO 8601 strings (hyparquet's defaults are JS Dates). */
const PARSERS: Partial<ParquetParsers> = {
  timestampFromMilliseconds: (ms) => isoTimestamp(Number(ms)),
  timestampFromMicroseconds: (us) => isoTimestamp(floorDiv(us, 1000n)),
  timestampFromNanoseconds: (ns) => isoTimestamp(floorDiv(ns, 1_000_000n)),
  dateFromDays: (days) => isoDate(days),
}

/**
 * Parquet, streamed: the footer metadata first, then each row group page by page (parquet-pages.ts), so
 * memory holds about one page per column whatever the file and row group sizes. Codecs: snappy, gzip, zstd,
 * brotli, lz4. Nested columns (a `messages` list of structs) become plain arrays and null-prototype objects;
 * dates and timestamps ISO 8601 strings, bytes base64, integers beyond 2^53 decimal strings.
 */
export async function* readParquet(path: string, opts: ReadOptions = {}, tuning: {window?: number} = {}): AsyncGenerator<Row> {
  const file = await open(path, 'r')
  try {
    const metadata = await readMetadata(file, path)
    const schema = parquetSchema(metadata)
    const names = schema.children.map((c) => c.element.name)
    const pages = {compressors: CODECS, parsers: PARSERS, onBytes: opts.onBytes, window: tuning.window}
    let line = 0
    for (const [g, group] of metadata.row_groups.entries()) {
      const first = line + 1
      if (opts.blocks && !inWindow(group, opts.blocks)) {
        line += Number(group.num_rows) // another shard's row group: its rows keep their numbers
        continue
      }
      try {
        for await (const columns of rowGroupRows(file, schema, group, pages)) {
          const count = columns[0]?.length ?? 0
          for (let i = 0; i < count; i++) {
            const record = newRecord()
            for (let c = 0; c < names.length; c++) record[names[c]!] = toPlain(columns[c]![i])
            yield {record, source: path, line: ++line}
          }
        }
      } catch (error) {
        if (!(error instanceof ColumnError)) throw error
        const rows = `row group ${g + 1} of ${metadata.row_groups.length} (rows ${first}–${first + Number(group.num_rows) - 1})`
        throw parquetError(`cannot decode column ${error.column} in ${rows}: ${error.message}`, path, error)
      }
    }
  } finally {
    await file.close()
  }
}

/** Whether a row group's first byte (the lowest page offset of its column chunks) lies in the window. */
function inWindow(group: RowGroup, window: ByteWindow): boolean {
  const starts = group.columns.map((c) => Number(c.meta_data?.dictionary_page_offset ?? c.meta_data?.data_page_offset ?? c.file_offset))
  const start = Math.min(...starts)
  return start >= window.start && start < window.end
}

async function readMetadata(file: FileHandle, path: string): Promise<FileMetaData> {
  const {size} = await file.stat()
  // Parquet starts and ends with "PAR1"; tell a cut-off file from something else before decoding anything.
  const head = Buffer.alloc(4)
  const tail = Buffer.alloc(4)
  await file.read(head, 0, 4, 0)
  await file.read(tail, 0, 4, Math.max(0, size - 4))
  if (size < 12 || tail.toString('latin1') !== 'PAR1') {
    const cut = head.toString('latin1') === 'PAR1'
    throw parquetError(cut ? 'truncated Parquet file (its footer is missing)' : 'not a Parquet file (no PAR1 marker)', path, undefined)
  }
  try {
    return await parquetMetadataAsync(byteRanges(file, size), {parsers: PARSERS})
  } catch (error) {
    throw parquetError(`not a readable Parquet file: ${(error as Error).message}`, path, error)
  }
}

function parquetError(message: string, path: string, cause: unknown): InputError {
  const unsupported = /not supported|unsupported/i.test(message)
  return new InputError(unsupported ? 'E_PARQUET_UNSUPPORTED' : 'E_PARQUET_CORRUPT', message.replace(/\s+/g, ' '), {
    location: {file: path},
    cause,
    suggestion: unsupported
      ? 'rewrite the file with common types and codecs (pyarrow or DuckDB defaults: strings, numbers, lists, structs; snappy or zstd)'
      : 'the file is truncated or not Parquet; download or export it again',
  })
}

/** hyparquet's view of the file: byte ranges read on demand through one handle. */
function byteRanges(file: FileHandle, size: number): AsyncBuffer {
  return {
    byteLength: size,
    async slice(start: number, end = size): Promise<ArrayBuffer> {
      const buf = new Uint8Array(Math.max(0, Math.min(end, size) - start))
      const {bytesRead} = await file.read(buf, 0, buf.length, start)
      return buf.buffer.slice(0, bytesRead)
    },
  }
}
