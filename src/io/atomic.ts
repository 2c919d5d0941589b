import {randomBytes} from 'node:crypto'
import {closeSync, createReadStream, createWriteStream, fdatasync, fsyncSync, openSync, readdirSync, renameSync, rmSync, writeSync, type WriteStream} from 'node:fs'
import {once} from 'node:events'
import {pipeline} from 'node:stream/promises'
import {basename, dirname, join} from 'node:path'

import {envErrorFrom} from '../errors.js'

/**
 * The one way lfdata writes a file: a temp file in the target's folder (so the rename stays on one filesystem
 * and is atomic), fsync the file, rename it over the target, fsync the folder. A crash leaves the old file or
 * the new one, never a torn one. Temp names are `.lfdata-tmp-<name>.<pid>.<8 hex>` (git-ignored): a signal
 * handler removes this process's temps (removeLiveTemps), and the next run that writes into a folder removes
 * the temps of processes that are gone (sweepStaleTemps), so a SIGKILL leaves litter only until then.
 */

const TEMP_PREFIX = '.lfdata-tmp-'
const TEMP_NAME = /^\.lfdata-tmp-.*\.(\d+)\.[0-9a-f]{8}$/

/** Temp files this process has open, removed by removeLiveTemps() on a signal. */
const live = new Set<string>()
const swept = new Set<string>()

export function tempPathFor(target: string): string {
  // Keep the name under NAME_MAX (255) whatever the target's length.
  return join(dirname(target), `${TEMP_PREFIX}${basename(target).slice(0, 200)}.${process.pid}.${randomBytes(4).toString('hex')}`)
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Removes lfdata temp files in `dir` whose owner process is gone (left by a SIGKILL or a power cut). Returns how many. */
export function sweepStaleTemps(dir: string): number {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return 0
  }
  let removed = 0
  for (const name of names) {
    const m = TEMP_NAME.exec(name)
    if (!m || Number(m[1]) === process.pid || alive(Number(m[1]))) continue
    try {
      rmSync(join(dir, name), {force: true})
      removed++
    } catch {
      // another run swept it first, or it is not ours to remove: leave it
    }
  }
  return removed
}

/** Marks a temp file made outside PendingFile (the registry lock's private file) for removal on a signal; returns the unmarking. */
export function trackTemp(path: string): () => void {
  live.add(path)
  return () => live.delete(path)
}

/** Removes every temp file this process still has (synchronous: called from signal handlers). */
export function removeLiveTemps(): void {
  for (const temp of live) {
    try {
      rmSync(temp, {force: true})
    } catch {
      // nothing more can be done while exiting
    }
  }
  live.clear()
}

function fsyncDir(dir: string): void {
  let fd: number | undefined
  try {
    fd = openSync(dir, 'r')
    fsyncSync(fd)
  } catch {
    // some filesystems cannot fsync a folder; the rename itself is still atomic
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

/** Runs `fn`, turning an errno failure into a one-line EnvError (exit 5) that names `path`. */
function io<T>(path: string, fn: () => T): T {
  try {
    return fn()
  } catch (error) {
    throw envErrorFrom(error, path) ?? error
  }
}

/**
 * A file being written: bytes go to the temp file (synchronously with write(), or through stream()), then
 * prepare() makes them durable and publish() renames them over the target. Several files commit together by
 * preparing all of them first and publishing them in a fixed order (see commitAll).
 */
export class PendingFile {
  private fd?: number
  private writer?: WriteStream
  private state: 'open' | 'prepared' | 'done' = 'open'
  /** A background fdatasync in flight (see syncSoon). */
  private syncing?: Promise<void>

  private constructor(readonly target: string, readonly temp: string, private readonly durable = true) {}

  /**
   * Creates the temp file beside `target` (after sweeping the folder's stale temps). `durable: false` skips the
   * fsyncs, for a convert --jobs run's own scratch files (deleted with their folder whatever happens; a part
   * that becomes the output is fsynced as the output).
   */
  static create(target: string, {durable = true}: {durable?: boolean} = {}): PendingFile {
    const dir = dirname(target)
    if (!swept.has(dir)) {
      sweepStaleTemps(dir)
      swept.add(dir)
    }
    const file = new PendingFile(target, tempPathFor(target), durable)
    file.fd = io(target, () => openSync(file.temp, 'wx', 0o666))
    live.add(file.temp)
    return file
  }

  /**
   * Takes over `from` (a finished file of this run on the same filesystem, e.g. a --jobs part) as the temp file
   * of `target`, opened for appending: what it holds becomes the start of the new content, without a copy.
   */
  static adopt(target: string, from: string): PendingFile {
    const file = new PendingFile(target, tempPathFor(target))
    live.add(file.temp)
    io(target, () => renameSync(from, file.temp))
    file.fd = io(target, () => openSync(file.temp, 'a'))
    return file
  }

  /** Appends synchronously (the rejects writer reports drops from synchronous callbacks). */
  writeSync(data: string | Uint8Array): void {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
    io(this.target, () => {
      for (let off = 0; off < bytes.length; ) off += writeSync(this.fd!, bytes, off, bytes.length - off)
    })
  }

  /**
   * A write stream into the temp file for large streamed outputs. It never closes the file on its own
   * (autoClose off, so prepare() can fsync after 'finish'); destroying it closes the file, which abort() relies on.
   */
  stream(highWaterMark: number): WriteStream {
    this.writer = createWriteStream('', {fd: this.fd!, autoClose: false, highWaterMark})
    return this.writer
  }

  /**
   * Starts flushing what is written so far to disk in the background (libuv's pool), so that prepare()'s fsync
   * finds little left to do: on the 100 MB bench CSV the final fsync took 40–56 ms of a ~1 s convert. Errors are
   * left to prepare()'s fsync, which reports them.
   */
  syncSoon(): void {
    if (!this.durable || this.syncing || this.fd === undefined || this.state !== 'open') return
    this.syncing = new Promise((resolve) => fdatasync(this.fd!, () => resolve()))
    void this.syncing.then(() => (this.syncing = undefined))
  }

  /** Ends the stream (if any), fsyncs and closes the temp file. */
  async prepare(): Promise<void> {
    if (this.state !== 'open') return
    await this.syncing
    if (this.writer?.errored) throw envErrorFrom(this.writer.errored, this.target) ?? this.writer.errored
    if (this.writer && !this.writer.writableFinished) {
      this.writer.end()
      await once(this.writer, 'finish').catch((error) => {
        throw envErrorFrom(error, this.target) ?? error
      })
    }
    this.prepareSync()
  }

  prepareSync(): void {
    if (this.state !== 'open') return
    if (this.durable) io(this.target, () => fsyncSync(this.fd!))
    closeSync(this.fd!)
    this.fd = undefined
    // Finished and closed by us: never destroyed later (that would close the fd number again).
    this.writer = undefined
    this.state = 'prepared'
  }

  /** Renames the prepared temp file over the target and fsyncs the folder. */
  publish(): void {
    if (this.state !== 'prepared') throw new Error(`publish before prepare: ${this.target}`)
    io(this.target, () => renameSync(this.temp, this.target))
    live.delete(this.temp)
    this.state = 'done'
    if (this.durable) fsyncDir(dirname(this.target))
  }

  /** Throws the new content away; the target is untouched. Safe to call at any point, also twice. */
  abort(): void {
    if (this.state === 'done') return
    // A stream owns the fd once made: destroying it closes the fd (closing it here too could close a reused number).
    if (this.writer) this.writer.destroy()
    else if (this.fd !== undefined) closeSync(this.fd)
    this.fd = undefined
    rmSync(this.temp, {force: true})
    live.delete(this.temp)
    this.state = 'done'
  }
}

/**
 * Commits files together: all are made durable first, then renamed in the order given (callers put the
 * manifest last), so a crash between renames leaves a manifest that is either the old one or describes every
 * new file. On failure every file not yet published is thrown away.
 */
export async function commitAll(files: PendingFile[]): Promise<void> {
  try {
    for (const f of files) await f.prepare()
    for (const f of files) f.publish()
  } catch (error) {
    for (const f of files) f.abort()
    throw error
  }
}

/** Writes `data` to `target` atomically (temp file, fsync, rename, fsync folder; see PendingFile.create for `durable`). */
export async function writeFileAtomic(target: string, data: string | Uint8Array, opts: {durable?: boolean} = {}): Promise<void> {
  const file = PendingFile.create(target, opts)
  try {
    file.writeSync(data)
    await file.prepare()
    file.publish()
  } catch (error) {
    file.abort()
    throw error
  }
}

/** Copies `source` to `target` atomically (the same temp + fsync + rename; a link planted at `target` is replaced, never followed). */
export async function copyFileAtomic(source: string, target: string): Promise<void> {
  const file = PendingFile.create(target)
  try {
    await pipeline(createReadStream(source), file.stream(1 << 20))
    await file.prepare()
    file.publish()
  } catch (error) {
    file.abort()
    throw envErrorFrom(error, target) ?? error
  }
}
