import {open, type FileHandle} from 'node:fs/promises'

import {CompressionType, DataType, Message, MessageHeader, RecordBatchReader, TimeUnit, compressionRegistry, type Vector} from 'apache-arrow'

import {decompressZstd} from 'hyparquet-compressors'

import {InputError} from '../errors.js'
import {floorDiv, isoDate, isoTimestamp} from './iso-time.js'
import {decodeLz4Frame} from './lz4-frame.js'
import {toPlain} from './plain.js'
import {newRecord} from './record.js'
import type {ByteWindow, ReadOptions, Row} from './types.js'

/**
 * Arrow IPC, stream or file format (.arrow/.feather v2, and the shards `datasets.save_to_disk` writes), one
 * record batch at a time: apache-arrow reads through a file handle, so the file format's footer and batches
 * are read by position and neither format is ever held whole in memory.
 */
export async function* readArrow(path: string, opts: ReadOptions = {}): AsyncGenerator<Row> {
  const handle = await open(path, 'r')
  let line = 0
  let batchNo = 0
  try {
    await checkMagic(handle, path)
    // A shard's record batches: the others are passed over without building their rows, and reading stops
    // after its last one.
    const own = opts.blocks ? await batchesInWindow(handle, opts.blocks) : undefined
    line = own?.rowsBefore ?? 0
    const reader = await RecordBatchReader.from(counting(handle, opts.onBytes))
    const batches = reader[Symbol.asyncIterator]()
    for (;;) {
      batchNo++
      if (own && batchNo > own.end) break
      const next = await batches.next()
      if (next.done) break
      if (own && batchNo <= own.first) continue
      const batch = next.value
      const columns = batch.schema.fields.map((field, c) => {
        const vector = batch.getChildAt(c)
        return {name: field.name, at: vector ? converter(field.type as DataType)(vector) : () => null}
      })
      for (let i = 0; i < batch.numRows; i++) {
        const record = newRecord()
        for (const {name, at} of columns) record[name] = at(i)
        yield {record, source: path, line: ++line}
      }
    }
  } catch (error) {
    if (error instanceof InputError) throw error
    const message = (error as Error).message
    if (/compressed but codec not found/.test(message)) {
      throw new InputError('E_ARROW_UNSUPPORTED', 'the Arrow file is compressed with a codec lfdata cannot read (it reads LZ4 and zstd)', {
        location: {file: path},
        suggestion: "re-save it uncompressed, e.g. pyarrow.feather.write_feather(table, path, compression='uncompressed')",
      })
    }
    throw new InputError('E_ARROW_CORRUPT', `cannot read Arrow record batch ${batchNo} (after row ${line}): ${message}`, {
      location: {file: path},
      cause: error,
      suggestion: 'the file is truncated or not Arrow IPC; export it again (datasets: save_to_disk; pyarrow: pa.ipc.new_stream)',
    })
  } finally {
    await handle.close().catch(() => undefined)
  }
}

/**
 * Which record batches start in `window` (numbers first+1 to end, counted from 1) and how many rows come
 * before them, from the message headers alone: each header gives its body's length, so the walk reads a few
 * hundred bytes a batch and skips the bodies. The file format's messages start after its 8-byte magic.
 */
async function batchesInWindow(handle: FileHandle, window: ByteWindow): Promise<{first: number; end: number; rowsBefore: number}> {
  const {size} = await handle.stat()
  const prefix = Buffer.alloc(8)
  await handle.read(prefix, 0, 8, 0)
  let pos = prefix.subarray(0, 6).toString('latin1') === 'ARROW1' ? 8 : 0
  let batch = 0
  let rows = 0
  let first: number | undefined
  let rowsBefore = 0
  while (pos + 4 <= size && pos < window.end) {
    await handle.read(prefix, 0, 8, pos)
    // A message: 0xFFFFFFFF, its header's length, the header, the body (pre-0.15 streams omit the marker).
    const marked = prefix.readUInt32LE(0) === 0xffffffff
    const length = marked ? prefix.readInt32LE(4) : prefix.readInt32LE(0)
    if (length <= 0) break // end of stream
    const start = pos + (marked ? 8 : 4)
    const header = Buffer.alloc(length)
    await handle.read(header, 0, length, start)
    const message = Message.decode(header)
    if (message.headerType === MessageHeader.RecordBatch) {
      if (first === undefined && pos >= window.start) [first, rowsBefore] = [batch, rows]
      batch++
      rows += Number((message.header() as {length: number | bigint}).length)
    }
    pos = start + length + Number(message.bodyLength)
  }
  return {first: first ?? batch, end: batch, rowsBefore: first === undefined ? rows : rowsBefore}
}

/** Tells the formats apache-arrow cannot read (or that are not Arrow at all) apart up front. */
async function checkMagic(handle: FileHandle, path: string): Promise<void> {
  const head = Buffer.alloc(8)
  const {bytesRead} = await handle.read(head, 0, 8, 0)
  const text = head.subarray(0, bytesRead).toString('latin1')
  const fail = (code: string, message: string, suggestion: string) => new InputError(code, message, {location: {file: path}, suggestion})
  if (text.startsWith('FEA1')) {
    throw fail('E_ARROW_UNSUPPORTED', 'Feather v1 files are not supported', 're-save as Feather v2 / Arrow IPC: pyarrow.feather.write_feather(df, path, version=2)')
  }
  if (text.startsWith('PAR1')) throw fail('E_ARROW_CORRUPT', 'this is a Parquet file, not Arrow IPC', 'rename it to .parquet or pass --input-format parquet')
  if (text.startsWith('ARROW1')) {
    // The file format ends with its footer and "ARROW1" again; without them the file was cut short.
    const {size} = await handle.stat()
    const tail = Buffer.alloc(6)
    await handle.read(tail, 0, 6, Math.max(0, size - 6))
    if (size < 12 || tail.toString('latin1') !== 'ARROW1') {
      throw fail('E_ARROW_CORRUPT', 'truncated Arrow IPC file (its footer is missing)', 'the file was cut short; copy or export it again')
    }
    return
  }
  // A stream starts with a continuation marker (0xFFFFFFFF) or, in the pre-0.15 layout, the schema's length.
  const stream = bytesRead >= 8 && (head.readUInt32LE(0) === 0xffffffff || (head.readInt32LE(0) > 0 && head.readInt32LE(0) < 1 << 24))
  if (!stream) throw fail('E_ARROW_CORRUPT', 'not an Arrow IPC file (no Arrow magic bytes or stream header)', 'the file is truncated or not Arrow IPC; export it again')
}

/** Arrow's batches read through a handle that reports the bytes it reads. */
function counting(handle: FileHandle, onBytes?: (bytes: number) => void): FileHandle {
  if (!onBytes) return handle
  const wrapped = {
    fd: handle.fd,
    stat: () => handle.stat(),
    close: () => handle.close(),
    read: async (...args: Parameters<FileHandle['read']>) => {
      const result = await handle.read(...args)
      onBytes(result.bytesRead)
      return result
    },
  }
  return wrapped as unknown as FileHandle
}

// Compressed IPC buffers (pyarrow's `compression=`): zstd with fzstd, as for Parquet pages; LZ4 frames, the
// default of pyarrow.feather and pandas' to_feather, with our own decoder.
compressionRegistry.set(CompressionType.ZSTD, {
  decode(bytes: Uint8Array): Uint8Array {
    const out = decompressZstd(bytes)
    // apache-arrow views buffers as 64-bit arrays, which must start at a multiple of 8.
    return out.byteOffset % 8 === 0 ? out : out.slice()
  },
})
compressionRegistry.set(CompressionType.LZ4_FRAME, {decode: decodeLz4Frame})

/** A column's converter, bound to one vector (a batch's column, or a list's items): row index → plain value. */
type Convert = (vector: Vector) => (i: number) => unknown

/**
 * How one column's values become plain JSON-like values, decided once per column from its Arrow type:
 * structs by child vector (so a field named `__proto__` stays data), lists element by element, timestamps
 * and dates as ISO 8601 (the same strings the Parquet reader gives), decimals with their scale.
 */
function converter(type: DataType): Convert {
  if (DataType.isStruct(type)) {
    const fields = type.children.map((f, j) => ({name: f.name, j, convert: converter(f.type as DataType)}))
    return (vector) => {
      const children = fields.map(({name, j, convert}) => {
        const child = vector.getChildAt(j)
        return {name, at: child ? convert(child) : () => null}
      })
      return (i) => {
        if (!vector.isValid(i)) return null
        const out = newRecord()
        for (const {name, at} of children) out[name] = at(i)
        return out
      }
    }
  }
  if (DataType.isList(type) || DataType.isFixedSizeList(type) || DataType.isLargeList(type)) {
    const convert = converter(type.children[0]!.type as DataType)
    return (vector) => (i) => {
      const items = vector.get(i) as Vector | null
      if (items == null) return null
      const at = convert(items)
      const out = new Array<unknown>(items.length)
      for (let k = 0; k < items.length; k++) out[k] = at(k)
      return out
    }
  }
  if (DataType.isMap(type)) {
    return (vector) => (i) => {
      const map = vector.get(i) as Iterable<[unknown, unknown]> | null
      if (map == null) return null
      const out = newRecord()
      for (const [key, value] of map) out[String(key)] = toPlain(value)
      return out
    }
  }
  if (DataType.isTimestamp(type)) {
    // apache-arrow's get() truncates toward zero (-500 µs becomes 0 ms); the stored int64 floors like Parquet.
    const toMs = MILLIS[type.unit]
    return (vector) => (i) => {
      const raw = rawValue(vector, i)
      return raw === null ? null : isoTimestamp(toMs(BigInt(raw as bigint)))
    }
  }
  if (DataType.isDate(type)) return scalar((ms) => isoDate(Math.floor((ms as number) / 86_400_000)))
  if (DataType.isDecimal(type)) return scalar((v) => decimal(String(v), type.scale))
  return scalar(toPlain)
}

const MILLIS: Record<TimeUnit, (stored: bigint) => number> = {
  [TimeUnit.SECOND]: (s) => Number(s) * 1000,
  [TimeUnit.MILLISECOND]: (ms) => Number(ms),
  [TimeUnit.MICROSECOND]: (us) => floorDiv(us, 1000n),
  [TimeUnit.NANOSECOND]: (ns) => floorDiv(ns, 1_000_000n),
}

/** The stored value (not get()'s conversion) of a fixed-width column at row i, or null. */
function rawValue(vector: Vector, i: number): unknown {
  if (!vector.isValid(i)) return null
  let row = i
  for (const data of vector.data) {
    if (row < data.length) return (data.values as ArrayLike<unknown>)[data.offset + row]
    row -= data.length
  }
  return null
}

function scalar(convert: (value: unknown) => unknown): Convert {
  return (vector) => (i) => {
    const value: unknown = vector.get(i)
    return value === null || value === undefined ? null : convert(value)
  }
}

/** apache-arrow gives a decimal's unscaled integer; place the point (Parquet decimals also become numbers). */
function decimal(unscaled: string, scale: number): number {
  if (scale <= 0) return Number(unscaled) * 10 ** -scale
  const negative = unscaled.startsWith('-')
  const digits = (negative ? unscaled.slice(1) : unscaled).padStart(scale + 1, '0')
  return Number(`${negative ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`)
}
