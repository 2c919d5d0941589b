import {createHash} from 'node:crypto'

import {PendingFile} from './atomic.js'

/**
 * The rejects file: one JSON line per dropped record. Drops are reported from inside pipeline stages through a
 * synchronous callback, so this writer appends synchronously, batching 64 KiB per write(2), into a PendingFile
 * that convert commits together with the output (see commitAll).
 */
export class RejectsWriter {
  readonly file: PendingFile
  private readonly hash = createHash('sha256')
  private buffer: string[] = []
  private size = 0
  bytes = 0
  count = 0

  constructor(readonly path: string, opts: {durable?: boolean} = {}) {
    this.file = PendingFile.create(path, opts)
  }

  add(entry: Record<string, unknown>): void {
    this.addLine(JSON.stringify(entry) + '\n')
  }

  /** A line already serialised as JSON, "\n" included (a shard's commonest log line, src/shard/convert-shard.ts). */
  addLine(line: string): void {
    this.buffer.push(line)
    this.size += line.length
    this.count++
    if (this.size >= 1 << 16) this.flush()
  }

  private flush(): void {
    if (this.buffer.length === 0) return
    const bytes = Buffer.from(this.buffer.join(''), 'utf8')
    this.hash.update(bytes)
    this.bytes += bytes.length
    this.file.writeSync(bytes)
    this.buffer = []
    this.size = 0
  }

  /** Writes what is buffered and returns the file's size and sha256 (for the manifest); commitAll() publishes it. */
  finish(): {bytes: number; sha256: string} {
    this.flush()
    return {bytes: this.bytes, sha256: this.hash.digest('hex')}
  }

  abort(): void {
    this.file.abort()
  }
}
