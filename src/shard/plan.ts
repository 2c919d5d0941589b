import {createReadStream} from 'node:fs'

import {UsageError} from '../errors.js'
import {byteAddressable, inputSize, readBytes} from '../io/bytes.js'
import {byteDialect, csvDialect} from '../io/csv.js'
import {decodeText} from '../io/decode.js'
import {detectFormat} from '../io/read.js'
import type {ByteRange, ByteWindow, InputFormat} from '../io/types.js'
import {BoundaryScanner} from '../io/boundaries.js'
import type {ShardSpec} from './spec.js'

/** What one shard reads: a whole file, the records of a file that start inside `range`, or the `blocks` of a Parquet or Arrow file. */
export interface Slice {
  /** Position of the file in the input list. */
  index: number
  file: string
  range?: ByteRange
  blocks?: ByteWindow
}

export interface PlanOptions {
  format?: InputFormat
  encoding?: string
  delimiter?: string
}

interface Splittable {
  format: 'csv' | 'jsonl'
  delimiter: string
}

/**
 * The unit of sharding. The inputs, in order, are laid end to end as one byte space of T bytes; shard I of N
 * owns the window [⌊I·T/N⌋, ⌊(I+1)·T/N⌋) (the last shard also owns T). A record of a splittable file —
 * uncompressed UTF-8 JSON Lines, CSV or TSV with "\n" line ends — belongs to the shard whose window holds
 * its first byte; so does a Parquet row group or an Arrow record batch (the readers pick them by their first
 * byte); any other file (gzip, JSON arrays, text, other encodings) belongs whole to the shard whose window
 * holds the file's first byte. So shards are contiguous, disjoint, cover every
 * record, and depend only on the file list and sizes.
 */
export async function shardSlices(files: string[], shard: ShardSpec, opts: PlanOptions): Promise<Slice[]> {
  const sizes: number[] = []
  for (const f of files) {
    const size = await inputSize(f)
    if (size === null) throw new UsageError('stdin (-) cannot be sharded: every shard must read the same inputs', {suggestion: 'save the input to a file on the shared filesystem'})
    sizes.push(size)
  }
  const total = sizes.reduce((a, b) => a + b, 0)
  const last = shard.index === shard.count - 1
  const from = shard.share ? Math.floor(shard.share.from * total) : Math.floor((shard.index * total) / shard.count)
  const to = last ? Infinity : shard.share ? Math.floor(shard.share.to * total) : Math.floor(((shard.index + 1) * total) / shard.count)
  const out: Slice[] = []
  let offset = 0
  for (const [i, file] of files.entries()) {
    const size = sizes[i]!
    const start = offset
    offset += size
    if (start >= to || (offset <= from && !(size === 0 && start >= from))) continue
    const split = size > 0 ? await splittable(file, opts) : undefined
    if (!split) {
      // A Parquet or Arrow file cut by the window: its blocks are split by where each starts (the reader decides).
      if (!(start >= from && offset <= to) && (await hasBlocks(file, opts))) out.push({index: i, file, blocks: {start: Math.max(0, from - start), end: Math.min(size, to - start)}})
      else if (start >= from) out.push({index: i, file})
      continue
    }
    const range = await recordRange(file, size, split, Math.max(0, from - start), Math.min(size, to - start))
    if (range === 'whole') {
      if (start >= from) out.push({index: i, file})
    } else if (range.start < range.end) out.push({index: i, file, range})
  }
  return out
}

/** Whether a file can be split by bytes, and how its records are delimited. */
async function splittable(file: string, opts: PlanOptions): Promise<Splittable | undefined> {
  const format = opts.format ?? detectFormat(file)
  if (format !== 'csv' && format !== 'tsv' && format !== 'jsonl') return undefined
  if (opts.encoding && !/^utf-?8$/i.test(opts.encoding)) return undefined
  const head = await firstChunk(file)
  if (!byteAddressable(head)) return undefined
  if (format === 'jsonl') return {format: 'jsonl', delimiter: ''}
  // The delimiter and line end exactly as one process decides them: from the first decoded chunk.
  let text = ''
  for await (const t of decodeText(readBytes(file), file)) {
    text = t
    break
  }
  const dialect = csvDialect(text, {delimiter: opts.delimiter, tsv: format === 'tsv'})
  return byteDialect(dialect) ? {format: 'csv', delimiter: dialect.delimiter} : undefined
}

/** A Parquet or Arrow IPC file (by name or --format, and its first bytes), whose blocks the readers can pick. */
async function hasBlocks(file: string, opts: PlanOptions): Promise<boolean> {
  const format = opts.format ?? detectFormat(file)
  const head = await firstChunk(file)
  if (format === 'parquet') return head.subarray(0, 4).toString('latin1') === 'PAR1'
  return format === 'arrow' && head.length >= 8 && (head.subarray(0, 6).toString('latin1') === 'ARROW1' || head.readUInt32LE(0) === 0xffffffff)
}

async function firstChunk(file: string): Promise<Buffer> {
  for await (const chunk of createReadStream(file, {start: 0, end: 4095})) return chunk as Buffer
  return Buffer.alloc(0)
}

/**
 * The records of `file` that start in [from, to): the first record start at or after each end, found by
 * scanning from the file's first byte (the one place a CSV's quote state is known), plus the line number
 * where the range starts so rows carry the same line numbers as in one process.
 */
async function recordRange(file: string, size: number, split: Splittable, from: number, to: number): Promise<ByteRange | 'whole'> {
  const scanner = new BoundaryScanner(split.format, split.delimiter)
  const stream = createReadStream(file, {highWaterMark: 1 << 20})
  const it = stream[Symbol.asyncIterator]()
  let rest: Buffer | undefined
  let known = 0
  let knownLine = 1
  /** The first record start ≥ t (size when none). */
  const atOrAfter = async (t: number): Promise<{pos: number; line: number}> => {
    while (known < t) {
      const chunk = rest ?? ((await it.next()).value as Buffer | undefined)
      rest = undefined
      if (!chunk) return {pos: size, line: scanner.newlines + 1}
      const base = scanner.pos
      const found = scanner.scan(chunk, t)
      if (found >= 0) {
        if (found - base < chunk.length) rest = chunk.subarray(found - base)
        known = found
        knownLine = scanner.newlines + 1
      }
    }
    return {pos: known, line: knownLine}
  }
  try {
    let header: number | undefined
    if (split.format === 'csv') {
      const first = (await it.next()).value as Buffer | undefined
      if (!first) return 'whole'
      let body = first
      // A BOM is not part of the first field (the decoder drops it), so a quote right after it opens one.
      if (first[0] === 0xef && first[1] === 0xbb && first[2] === 0xbf) {
        scanner.pos = 3
        body = first.subarray(3)
      }
      rest = body
      header = (await atOrAfter(1)).pos
      // A blank first line (or an empty quoted cell) is skipped before the header: not worth splitting for.
      if (header >= size || /^[\r\n"]*$/.test(first.subarray(0, header).toString('latin1'))) {
        return 'whole'
      }
    }
    const s = await atOrAfter(Math.max(from, header ?? 0))
    const e = to >= size ? {pos: size} : await atOrAfter(Math.max(to, header ?? 0))
    return {start: s.pos, end: e.pos, line: s.line, ...(header === undefined ? {} : {header, delimiter: split.delimiter})}
  } finally {
    stream.destroy()
  }
}
