import type {InputError} from '../errors.js'

/**
 * The contract every reader keeps. A reader turns one input (file or stdin) into Rows, streaming, and throws
 * InputError (exit 3) naming the file and line/offset on malformed input.
 */

import type {RawRecord} from '../lf/types.js'

/** One input record. Keys come from the data; the object has a null prototype so `__proto__` is plain data. */
export type {RawRecord}

export interface Row {
  record: RawRecord
  /** The input path as the user gave it ("-" for stdin, "<dir>/<file>" for folder members). */
  source: string
  /**
   * 1-based position for error messages and rejects: the line where the record starts in text formats
   * (CSV counts the header as line 1), the record's row number (1-based) in Parquet/Arrow.
   */
  line: number
}

export type InputFormat = 'csv' | 'tsv' | 'jsonl' | 'json' | 'parquet' | 'arrow' | 'text'

export interface ReadOptions {
  /** Overrides detection by extension. */
  format?: InputFormat
  /** CSV only: the delimiter; sniffed when absent. */
  delimiter?: string
  /** CSV only: a repeated header name is an error (exit 3) instead of pandas' renaming to "q.1" (as LF reads it). */
  refuseDuplicateHeaders?: boolean
  /** Source text encoding (default utf-8, strict). Any label WHATWG TextDecoder knows, e.g. gb18030, utf-16le. */
  encoding?: string
  /** Called with the number of (compressed) bytes consumed, for progress. */
  onBytes?: (bytes: number) => void
  /**
   * `--on-error skip`: a record-level error (a JSON line or array element that does not parse, is not an
   * object or nests too deeply; a CSV row with too many fields or a malformed quote) is handed here with the
   * record's text, and the reader goes on with the next record. Without it the reader throws. Errors of the
   * whole input (encoding, gzip, an array that never closes) always throw.
   */
  onError?: (error: InputError, text: string) => void
  /** JSONL/CSV/TSV only: read just the records in this byte range (a shard, src/shard/plan.ts). */
  range?: ByteRange
  /** Parquet and Arrow only: read just the row groups / record batches that start in this byte window (a shard, src/shard/plan.ts). */
  blocks?: ByteWindow
}

/**
 * Bytes [start, end) of a Parquet or Arrow IPC file: a block (a Parquet row group, an Arrow record batch)
 * belongs to the window holding its first byte, so windows that tile the file split its blocks without
 * overlap. Rows keep their numbers in the whole file.
 */
export interface ByteWindow {
  start: number
  end: number
}

/**
 * Records of an uncompressed UTF-8 file that start in [start, end) — both record starts. `line` is the line
 * number at `start`; CSV also re-reads its header (bytes [0, header)) and uses the delimiter the whole file has.
 */
export interface ByteRange {
  start: number
  end: number
  line: number
  header?: number
  delimiter?: string
}

export type Reader = (path: string, opts: ReadOptions) => AsyncGenerator<Row>

/**
 * Turns output records into bytes for one output format. The sink (src/io/sink.ts) owns the file: it writes
 * what the encoder returns to a temp file and renames it into place only when the run succeeds.
 */
export interface RecordEncoder {
  /** Bytes to write before the first record (e.g. "[" for a JSON array). */
  start(): string | Uint8Array
  /** Bytes for one record; may be empty when the encoder batches (Arrow). */
  encode(record: Record<string, unknown>): string | Uint8Array
  /** Bytes after the last record (flushes any batch). */
  finish(): string | Uint8Array
  /**
   * Records already encoded as JSON lines (JSON.stringify of each + "\n", src/transforms/plain-csv.ts), as
   * encode() would have written them one by one; absent where the format cannot take them (Arrow).
   */
  jsonLines?(lines: Uint8Array): Uint8Array
}

export type OutputFormat = 'jsonl' | 'json' | 'arrow'
