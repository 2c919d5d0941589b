import {closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync} from 'node:fs'

import {tempPathFor} from './atomic.js'

/**
 * The rejects file: one JSON line per dropped record. Drops are reported from inside pipeline stages through a
 * synchronous callback, so this writer appends synchronously, batching 64 KiB per write(2). Temp + rename
 * like every other output.
 */
export class RejectsWriter {
  private readonly temp: string
  private readonly fd: number
  private buffer: string[] = []
  private size = 0
  count = 0

  constructor(readonly path: string) {
    this.temp = tempPathFor(path)
    this.fd = openSync(this.temp, 'w')
  }

  add(entry: Record<string, unknown>): void {
    const line = JSON.stringify(entry) + '\n'
    this.buffer.push(line)
    this.size += line.length
    this.count++
    if (this.size >= 1 << 16) this.flush()
  }

  private flush(): void {
    if (this.buffer.length === 0) return
    writeSync(this.fd, this.buffer.join(''))
    this.buffer = []
    this.size = 0
  }

  commit(): void {
    this.flush()
    fsyncSync(this.fd)
    closeSync(this.fd)
    renameSync(this.temp, this.path)
  }

  abort(): void {
    closeSync(this.fd)
    rmSync(this.temp, {force: true})
  }
}
