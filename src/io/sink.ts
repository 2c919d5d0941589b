import {createHash} from 'node:crypto'
import {createWriteStream, type WriteStream} from 'node:fs'
import {rename, rm} from 'node:fs/promises'
import {once} from 'node:events'

import {tempPathFor} from './atomic.js'
import type {RecordEncoder} from './types.js'

const FLUSH_AT = 1 << 20

export interface SinkResult {
  bytes: number
  sha256: string
}

/**
 * Where records go: a temp file beside `path` that becomes `path` only on commit() (or stdout for "-").
 * Small writes are batched, and every write waits for 'drain' when the stream asks, so memory stays flat.
 */
export class RecordSink {
  private readonly stream: NodeJS.WritableStream
  private readonly file?: WriteStream
  private readonly temp?: string
  private readonly hash = createHash('sha256')
  private pending: (string | Uint8Array)[] = []
  private pendingBytes = 0
  private bytes = 0
  private failed?: Error

  private constructor(readonly path: string, private readonly encoder: RecordEncoder) {
    if (path === '-') {
      this.stream = process.stdout
    } else {
      this.temp = tempPathFor(path)
      this.file = createWriteStream(this.temp)
      this.file.on('error', (error) => (this.failed = error))
      this.stream = this.file
    }
  }

  static async open(path: string, encoder: RecordEncoder): Promise<RecordSink> {
    const sink = new RecordSink(path, encoder)
    await sink.push(encoder.start())
    return sink
  }

  async write(record: Record<string, unknown>): Promise<void> {
    await this.push(this.encoder.encode(record))
  }

  private async push(chunk: string | Uint8Array): Promise<void> {
    if (chunk.length === 0) return
    this.pending.push(chunk)
    this.pendingBytes += chunk.length
    if (this.pendingBytes >= FLUSH_AT) await this.flush()
  }

  private async flush(): Promise<void> {
    if (this.failed) throw this.failed
    if (this.pending.length === 0) return
    const data = this.pending.every((c) => typeof c === 'string')
      ? Buffer.from((this.pending as string[]).join(''), 'utf8')
      : Buffer.concat(this.pending.map((c) => (typeof c === 'string' ? Buffer.from(c, 'utf8') : c)))
    this.pending = []
    this.pendingBytes = 0
    this.hash.update(data)
    this.bytes += data.length
    if (!this.stream.write(data)) await once(this.stream, 'drain')
  }

  /** Finishes the output and moves it into place. */
  async commit(): Promise<SinkResult> {
    await this.push(this.encoder.finish())
    await this.flush()
    if (this.file && this.temp) {
      this.file.end()
      await once(this.file, 'close')
      if (this.failed) throw this.failed
      await rename(this.temp, this.path)
    }
    return {bytes: this.bytes, sha256: this.hash.digest('hex')}
  }

  /** Throws the output away; the previous file at `path` (if any) is untouched. */
  async abort(): Promise<void> {
    if (this.file && this.temp) {
      this.file.destroy()
      await rm(this.temp, {force: true})
    }
  }
}
