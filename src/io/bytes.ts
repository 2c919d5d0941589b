import {createReadStream} from 'node:fs'
import {stat} from 'node:fs/promises'
import {Readable, pipeline} from 'node:stream'
import {constants, createGunzip, gunzipSync} from 'node:zlib'

import {InputError, UsageError} from '../errors.js'
import type {ByteRange} from './types.js'

const GZIP_MAGIC = [0x1f, 0x8b] as const

/**
 * Whether a file starting with `head` is text whose records lie at byte offsets: not gzip, no UTF-16 BOM (what
 * the shard planner and the plain-row lane need before reading by bytes).
 */
export function byteAddressable(head: Uint8Array): boolean {
  const gzip = head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1]
  const utf16 = (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)
  return !gzip && !utf16
}

/** Size of a file in bytes, or null for stdin. Missing paths are a usage error (exit 2). */
export async function inputSize(path: string): Promise<number | null> {
  if (path === '-') return null
  try {
    return (await stat(path)).size
  } catch {
    throw new UsageError(`input not found: ${path}`, {code: 'E_NOT_FOUND', suggestion: 'check the path (use - to read stdin)'})
  }
}

/** Stdin bytes already read to sniff the format; the next read of `-` starts with them. */
let stdinPushback: Buffer[] = []

async function* stdinBytes(): AsyncGenerator<Buffer> {
  while (stdinPushback.length > 0) yield stdinPushback.shift()!
  yield* process.stdin
}

/**
 * The first bytes of stdin (at least `want`, unless it ends sooner), decompressed when gzip, without consuming
 * them: the next readBytes('-') sees the whole stream. Lets `-` be read without --input-format.
 */
export async function peekStdin(want = 64 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [...stdinPushback]
  let size = chunks.reduce((n, c) => n + c.length, 0)
  const it = process.stdin[Symbol.asyncIterator]()
  while (size < want) {
    const next = await it.next()
    if (next.done) break
    chunks.push(next.value as Buffer)
    size += (next.value as Buffer).length
  }
  // Return the iterator's hold on stdin without destroying it (the reader iterates it again).
  stdinPushback = chunks
  const head = Buffer.concat(chunks)
  if (head[0] !== GZIP_MAGIC[0] || head[1] !== GZIP_MAGIC[1]) return head
  try {
    return gunzipSync(head, {finishFlush: constants.Z_SYNC_FLUSH})
  } catch {
    return head // corrupt gzip: the reader reports it
  }
}

async function* counted(source: AsyncIterable<Buffer>, onBytes?: (n: number) => void): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    onBytes?.(chunk.length)
    yield chunk
  }
}

/**
 * The raw bytes of an input (file or `-` for stdin), gunzipped when the data starts with gzip's magic bytes
 * (whatever the extension). `onBytes` sees compressed bytes, so progress matches the file size.
 */
export async function* readBytes(path: string, onBytes?: (n: number) => void, range?: ByteRange): AsyncGenerator<Buffer> {
  await inputSize(path)
  if (range) {
    // A shard's byte range of a plain file (the CSV header first); never gzip, checked when planning.
    if (range.header) yield* counted(createReadStream(path, {start: 0, end: range.header - 1}), onBytes)
    if (range.end > range.start) yield* counted(createReadStream(path, {start: range.start, end: range.end - 1, highWaterMark: 1 << 20}), onBytes)
    return
  }
  const raw: AsyncIterable<Buffer> = path === '-' ? stdinBytes() : createReadStream(path, {highWaterMark: 1 << 20})
  const it = counted(raw, onBytes)[Symbol.asyncIterator]()
  const first = await it.next()
  if (first.done) return
  const head = first.value
  const rest: AsyncIterable<Buffer> = {[Symbol.asyncIterator]: () => it}
  if (head[0] !== GZIP_MAGIC[0] || head[1] !== GZIP_MAGIC[1]) {
    yield head
    yield* rest
    return
  }
  async function* all(): AsyncGenerator<Buffer> {
    yield head
    yield* rest
  }
  const gunzip = pipeline(Readable.from(all()), createGunzip(), () => {})
  try {
    for await (const chunk of gunzip) yield chunk as Buffer
  } catch (error) {
    const reason = (error as Error).message
    throw new InputError('E_GZIP', `gzip data is truncated or corrupt (${reason})`, {
      location: {file: path},
      suggestion: 're-download or re-compress the file; `gzip -t FILE` tells whether it is whole',
    })
  } finally {
    gunzip.destroy()
  }
}
