import {createHash, type Hash} from 'node:crypto'
import {createReadStream} from 'node:fs'
import {once} from 'node:events'

import {envErrorFrom} from '../errors.js'
import {commitAll, PendingFile} from './atomic.js'
import type {RecordEncoder} from './types.js'

const FLUSH_AT = 1 << 20
const SLACK = 64 * 1024
// Writes queue up to this much before write() asks us to wait, so a flush rarely waits on the disk.
const STREAM_BUFFER = 8 << 20
const SYNC_EVERY = 16 << 20

export interface SinkResult {
  bytes: number
  sha256: string
}

/**
 * Where records go: a PendingFile beside `path` that becomes `path` only on commit() (or stdout for "-").
 * Small writes are batched, and every write waits for 'drain' when the stream asks, so memory stays flat.
 */
export class RecordSink {
  private readonly stream: NodeJS.WritableStream
  /** The temp file (undefined for stdout); finish() then commitAll() with other files commits them together. */
  readonly file?: PendingFile
  private readonly hash: Hash = createHash('sha256')
  // Encoded records are written straight into `buf` (no join, no per-flush copy); it is handed to the stream
  // whole and replaced by one the stream has finished writing (`written`), so no write ever reads a reused buffer.
  private buf = Buffer.allocUnsafe(FLUSH_AT + SLACK)
  private used = 0
  /** Buffers the stream has written, for the next flushes (a fresh 1 MB each flush kept V8 collecting). */
  private readonly written: Buffer<ArrayBuffer>[] = []
  private bytes = 0
  private syncedAt = 0
  private failed?: Error

  private constructor(readonly path: string, private readonly encoder: RecordEncoder, adopted?: {file: PendingFile; hash: Hash; bytes: number}, scratch = false) {
    if (adopted) {
      this.file = adopted.file
      this.hash = adopted.hash
      this.bytes = adopted.bytes
      this.stream = this.file.stream(STREAM_BUFFER)
    } else if (path === '-') {
      this.stream = process.stdout
    } else {
      this.file = PendingFile.create(path, {durable: !scratch})
      this.stream = this.file.stream(STREAM_BUFFER)
    }
    // A full disk, or a reader that closed the pipe (EPIPE): remembered and thrown from the next write.
    this.stream.on('error', (error: Error) => (this.failed = envErrorFrom(error, path) ?? error))
  }

  /** `scratch`: a convert --jobs part, not fsynced (see PendingFile.create). */
  static async open(path: string, encoder: RecordEncoder, {scratch = false}: {scratch?: boolean} = {}): Promise<RecordSink> {
    const sink = new RecordSink(path, encoder, undefined, scratch)
    await sink.push(encoder.start())
    return sink
  }

  /**
   * A sink for `path` whose content starts with the file `from` (taken over, not copied; see PendingFile.adopt),
   * read once for the sha256 the finished file will have.
   */
  static async continuing(path: string, from: string, encoder: RecordEncoder): Promise<RecordSink> {
    const hash = createHash('sha256')
    let bytes = 0
    for await (const chunk of createReadStream(from, {highWaterMark: 1 << 20})) {
      hash.update(chunk as Buffer)
      bytes += (chunk as Buffer).length
    }
    return new RecordSink(path, encoder, {file: PendingFile.adopt(path, from), hash, bytes})
  }

  async write(record: Record<string, unknown>): Promise<void> {
    await this.push(this.encoder.encode(record))
  }

  /** Records already encoded as JSON lines (made from input bytes, src/transforms/plain-csv.ts), in this sink's format. */
  async writeJsonLines(lines: Uint8Array): Promise<void> {
    if (!this.encoder.jsonLines) throw new Error('this output format takes no pre-encoded JSON lines')
    await this.push(this.encoder.jsonLines(lines))
  }

  private async push(chunk: string | Uint8Array): Promise<void> {
    if (chunk.length === 0) return
    if (typeof chunk === 'string') {
      // A UTF-16 unit takes at most 3 UTF-8 bytes; longer strings than the room left are copied whole.
      if (this.used + chunk.length * 3 <= this.buf.length) this.used += this.buf.write(chunk, this.used, 'utf8')
      else await this.pushBytes(Buffer.from(chunk, 'utf8'))
    } else {
      await this.pushBytes(chunk)
    }
    if (this.used >= FLUSH_AT) await this.flush()
  }

  /** Copies `bytes` in, never keeping them: the caller may reuse its buffer once this returns (plain-csv-read.ts). */
  private async pushBytes(bytes: Uint8Array): Promise<void> {
    let from = 0
    for (;;) {
      const n = Math.min(bytes.length - from, this.buf.length - this.used)
      this.buf.set(from === 0 && n === bytes.length ? bytes : bytes.subarray(from, from + n), this.used)
      this.used += n
      from += n
      if (from === bytes.length) return
      await this.flush()
    }
  }

  private async flush(): Promise<void> {
    if (this.used === 0) return
    const full = this.buf
    const data = full.subarray(0, this.used)
    this.buf = this.written.pop() ?? Buffer.allocUnsafe(FLUSH_AT + SLACK)
    this.used = 0
    await this.out(data, () => this.written.length < 4 && this.written.push(full))
  }

  private throwIfFailed(): void {
    if (this.failed) throw this.failed
  }

  private async out(data: Uint8Array, written: () => void): Promise<void> {
    this.throwIfFailed()
    this.hash.update(data)
    this.bytes += data.length
    // once() rejects on 'error'; the listener above has already recorded it.
    const synced = this.bytes - this.syncedAt >= SYNC_EVERY
    if (synced) this.syncedAt = this.bytes
    const done = (error?: Error | null) => {
      if (error) return
      written()
      // Once this much more is written, the disk starts on it while the run goes on (PendingFile.syncSoon).
      if (synced) this.file?.syncSoon()
    }
    if (!this.stream.write(data, done)) await once(this.stream, 'drain').catch(() => undefined)
    this.throwIfFailed()
  }

  /** Writes the encoder's tail and makes the temp file durable, without moving it into place (see commitAll). */
  async finish(): Promise<SinkResult> {
    await this.push(this.encoder.finish())
    await this.flush()
    this.throwIfFailed()
    await this.file?.prepare()
    return {bytes: this.bytes, sha256: this.hash.digest('hex')}
  }

  /** Finishes the output and moves it into place. */
  async commit(): Promise<SinkResult> {
    const result = await this.finish()
    if (this.file) await commitAll([this.file])
    return result
  }

  /** Throws the output away; the previous file at `path` (if any) is untouched. */
  abort(): Promise<void> {
    this.file?.abort()
    return Promise.resolve()
  }
}
