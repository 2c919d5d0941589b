import {open, stat} from 'node:fs/promises'

import {BoundaryScanner} from '../io/boundaries.js'
import {byteAddressable, readBytes} from '../io/bytes.js'
import {byteDialect, csvDialect, csvHeader, readCsv} from '../io/csv.js'
import {decodeText} from '../io/decode.js'
import {newRecord} from '../io/record.js'
import type {ByteRange, ReadOptions, Row} from '../io/types.js'
import {WorkerPool} from '../worker-pool.js'
import {LANE_WORKER} from './lane-worker.js'
import type {Fingerprinter} from './exact-dedup.js'
import {EncodedBatch, laneChunk, laneReadable, LaneRows, outSizeFor, SpareBuffers, type EncodedParts, type LaneChunk, type LaneColumns, type LaneLayout} from './plain-csv.js'

/**
 * The plain-row lane's readers (the lane itself is plain-csv.ts): plainCsvRows reads a CSV/TSV on this thread,
 * parallelPlainCsvRows on several; both give the same items in the same order.
 */

export interface PlainCsvOptions {
  read: ReadOptions & {tsv?: boolean}
  columns: LaneColumns
  fingerprints: Fingerprinter
}

/** A row longer than this (a huge quoted cell spanning chunks) is left to readCsv, whose re-parsing stays linear. */
const LONG_ROW = 4 << 20

/**
 * The rows of one CSV/TSV file (or a shard's byte range of it) for convert: EncodedRows where the lane can
 * write them, Rows otherwise, exactly in readCsv's order and numbering. Leaves the whole input to readCsv when
 * it is stdin, gzip, not UTF-8, or laid out in a way the lane does not read (see laneSetup).
 */
export async function* plainCsvRows(path: string, opts: PlainCsvOptions): AsyncGenerator<Row | EncodedBatch> {
  yield* rowsHere(path, opts, await laneSetup(path, opts.read))
}

/** plainCsvRows once laneSetup has looked at the file (undefined: all of it is readCsv's). */
async function* rowsHere(path: string, opts: PlainCsvOptions, setup: LaneSetup | undefined): AsyncGenerator<Row | EncodedBatch> {
  const {read, fingerprints} = opts
  if (!setup) {
    yield* readCsv(path, read)
    return
  }
  const lane = new LaneRows(path, setup, opts.columns, fingerprints, setup.range.line)
  /** The file offset of buf[0]; `carry` is the start of a row the bytes so far do not finish. */
  let base = setup.range.start
  let carry: Buffer | undefined
  let weird = false
  let skipHeader = setup.range.header ?? 0

  for await (const chunk of readBytes(path, read.onBytes, setup.range)) {
    let data: Buffer = chunk
    if (skipHeader > 0) {
      // The range read yields the header bytes first; laneSetup has read them.
      const drop = Math.min(skipHeader, data.length)
      skipHeader -= drop
      data = data.subarray(drop)
      if (data.length === 0) continue
    }
    const buf = carry ? Buffer.concat([carry, data]) : data
    // Whole lines only; the tail waits for the next chunk. A NUL or invalid UTF-8 is readCsv's to report.
    const regionEnd = buf.lastIndexOf(0x0a) + 1
    if (!laneReadable(buf.subarray(0, regionEnd))) {
      weird = true
      break
    }
    const pos = yield* lane.rowsOf(buf, regionEnd, false)
    if ((weird = lane.weird)) {
      base += pos
      break
    }
    carry = pos < buf.length ? buf.subarray(pos) : undefined
    base += pos
    // A row longer than this (a huge quoted cell) is readCsv's: re-scanning it for every chunk would be quadratic.
    if (carry && carry.length > LONG_ROW) {
      weird = true
      break
    }
  }
  if (!weird && carry) {
    // The last row has no line end.
    if (!laneReadable(carry)) weird = true
    else {
      const pos = yield* lane.rowsOf(carry, carry.length, true)
      if (pos !== carry.length) {
        weird = true
        base += pos
      }
    }
  }
  // From the row the lane stopped at, readCsv reads the rest: it says what is wrong (its line and, as a range
  // read, the file's byte offset) or skips it, exactly as it would reading the whole file.
  if (weird) {
    carry = undefined // let it go: a huge row's bytes are readCsv's to hold now
    yield* readCsv(path, {...read, range: {...setup.range, start: base, line: lane.line}})
  }
}

interface LaneSetup {
  header: string[]
  delimiter: number
  /** The bytes to read: a shard's range, or the whole file as one range after its header. */
  range: ByteRange & {header: number}
}

/**
 * The header, delimiter and first data offset, decided as readCsv decides them; undefined when the input is one
 * the lane leaves to readCsv: stdin, an encoding other than UTF-8, gzip, a UTF-16 BOM, lone-CR line ends, a
 * delimiter that is not one ASCII byte, or a header that is not a plain first line (quotes, blank) — or one
 * readCsv must report on (an unreadable file, duplicate headers).
 */
async function laneSetup(path: string, read: ReadOptions & {tsv?: boolean}): Promise<LaneSetup | undefined> {
  if (path === '-' || (read.encoding !== undefined && !/^utf-?8$/i.test(read.encoding))) return undefined
  return headerOf(path, read).catch(() => undefined)
}

async function headerOf(path: string, read: ReadOptions & {tsv?: boolean}): Promise<LaneSetup | undefined> {
  const range = read.range
  // The first chunk readCsv will decode: the shard's header bytes, or the file's first chunk.
  const raw = readBytes(path, undefined, range ? {...range, start: 0, end: 0} : undefined)
  const head = await raw.next()
  await raw.return(undefined)
  if (head.done) return undefined
  const bytes = head.value
  if (!byteAddressable(bytes)) return undefined
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0
  const texts = decodeText((async function* () {
    yield bytes
  })(), path, read.encoding)
  const first = await texts.next()
  await texts.return(undefined)
  if (first.done) return undefined
  const text = first.value
  const dialect = csvDialect(text, read)
  if (!byteDialect(dialect)) return undefined
  const {delimiter} = dialect
  const lineEnd = text.indexOf('\n')
  if (lineEnd === -1) return undefined
  const headerLine = text.slice(0, lineEnd).replace(/\r$/, '')
  if (headerLine.includes('"') || headerLine === '') return undefined
  const header = csvHeader(headerLine.split(delimiter), 1, path, read.refuseDuplicateHeaders)
  const headerBytes = bom + Buffer.byteLength(text.slice(0, lineEnd + 1), 'utf8')
  if (range) return range.header === headerBytes ? {header, delimiter: delimiter.charCodeAt(0), range: {...range, header: headerBytes}} : undefined
  const {size} = await stat(path)
  return {header, delimiter: delimiter.charCodeAt(0), range: {start: headerBytes, end: size, line: 2, header: headerBytes, delimiter}}
}

/**
 * The plain-row lane on threads (convert --jobs N on a CSV/TSV → Alpaca run: this thread and N - 1 workers): it reads the
 * file once, in chunks cut at row starts found by the boundary scan (io/boundaries.ts, ~0.3 ms a MB), hands the
 * chunks to workers (plain-csv-worker.ts; the bytes are shared, not copied), and passes their batches and rows
 * on in file order. Dedup, writing and everything after stay on the main thread, unchanged, so the output is the one
 * process's byte for byte. Where a worker meets a row the lane must not read, the rows before it are passed on
 * and readCsv reads on from that row, exactly as the one-thread lane hands over.
 */

/** The file a chunk is from, as the lane reads it. */
export interface LaneWork {
  path: string
  layout: LaneLayout
  columns: LaneColumns
}

/** One chunk for a worker: its rows' bytes, and a spare buffer for their JSON lines (both shared, not copied). */
export interface ChunkRequest {
  work: LaneWork
  range: ByteRange
  bytes: Uint8Array
  spares: SharedArrayBuffer[]
}

/** A worker's LaneChunk as plain data, with the chunk's bytes (its batches' rows are decoded from them). */
export interface ChunkReply extends Omit<LaneChunk, 'items'> {
  buf: Uint8Array
  items: (EncodedParts | {line: number; cells: string[]})[]
}

/**
 * Bytes of rows a worker converts at a time: ~10 ms of work, so messages cost nothing beside it and the first
 * and last chunks leave a core idle only briefly. LFDATA_LANE_CHUNK (bytes) sets it for tests, which split
 * small files into many chunks.
 */
function chunkBytes(): number {
  const fromEnv = Number(process.env.LFDATA_LANE_CHUNK)
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 2 << 20
}

/**
 * Chunks queued at each worker: each holds its bytes and its JSON lines until passed on, so this bounds memory
 * as much as it keeps the workers busy. 200 MB bench CSV, --jobs 2, 4 MB chunks, median of 7: depth 2 1.60 s /
 * 201 MB RSS, 3 1.50 s / 227 MB, 4 1.57 s / 259 MB. 2 MB chunks then took the 1 GB CSV from 280 to 251 MB RSS
 * (5.04 → 4.86 s). With one worker (--jobs 2), depths 2–6 measured alike on the 100 MB CSV.
 */
const DEPTH = 3

/**
 * With one worker, this thread converts every SHARE-th chunk itself: its own work (dedup, writing, the sha256)
 * is about half the lane's, so it has room for a quarter of the chunks. 100 MB bench CSV, --jobs 2, median of
 * 15 alternating runs: no share 0.985 s, every 4th 0.900, every 5th 0.938, every 8th 0.935 (Miller 0.945).
 * With more workers it has no room left (and converting whenever an answer was late measured slower).
 */
const SHARE = 4

/** A row the scan follows this many chunk sizes past its chunk (a stray quote, say) ends the parallel read. */
const RUNAWAY = 8

/** A chunk of whole rows with its bytes, or where the rest of the input is readCsv's. */
type ReadChunk = ByteRange & {bytes: Buffer}
type Chunk = ReadChunk | {start: number; rest: true}

/** Room read past a chunk's size for the row that ends it (a longer row makes the buffer grow). */
const SLACK = 64 * 1024

/**
 * Consecutive chunks of rows from `range.start`, each with its bytes (read here, once, into buffers from
 * `take`): a chunk ends at the first row start at or after `size` bytes in. A chunk that would run away (no row
 * start within RUNAWAY chunk sizes) becomes `rest`: the remainder is readCsv's.
 */
async function* chunksOf(path: string, range: ByteRange, delimiter: string, size: number, take: (size: number) => Buffer): AsyncGenerator<Chunk> {
  const scanner = new BoundaryScanner('csv', delimiter)
  // The range starts at a row start, outside quotes: the scan can begin there.
  scanner.pos = range.start
  scanner.newlines = range.line - 1
  let from = range.start
  let line = range.line
  const file = await open(path, 'r')
  // buf holds the file from `from` on: `filled` bytes of it read, `scanned` of those seen by the scan.
  let buf = take(size + SLACK)
  let filled = 0
  let scanned = 0
  try {
    for (let at = range.start; ; ) {
      if (scanned === filled) {
        if (at >= range.end) break
        if (filled === buf.length) {
          if (filled > RUNAWAY * size) {
            yield {start: from, rest: true}
            return
          }
          const bigger = take(2 * buf.length)
          bigger.set(buf)
          buf = bigger
        }
        const {bytesRead} = await file.read(buf, filled, Math.min(buf.length - filled, range.end - at), at)
        if (bytesRead === 0) break
        at += bytesRead
        filled += bytesRead
      }
      const found = scanner.scan(buf.subarray(scanned, filled), from + size)
      if (found < 0) {
        scanned = filled
        continue
      }
      // The row after the chunk starts the next buffer.
      const end = found - from
      const next = take(Math.max(size, filled - end) + SLACK)
      buf.copy(next, 0, end, filled)
      yield {start: from, end: found, line, bytes: buf.subarray(0, end)}
      buf = next
      filled -= end
      scanned = 0
      from = found
      line = scanner.newlines + 1
    }
  } finally {
    await file.close()
  }
  if (from < range.end) yield {start: from, end: range.end, line, bytes: buf.subarray(0, filled)}
}

/**
 * plainCsvRows on `threads` threads — this one and threads - 1 workers: the same items in the same order. This
 * thread reads and cuts the chunks, converts them itself until the workers' first answer is in, then passes
 * the answers on in file order (after it, convert dedups and writes them), converting only its SHARE. Inputs
 * under `minBytes` (and two chunks at least), and inputs the lane does not read at all, are read on this
 * thread alone.
 */
export async function* parallelPlainCsvRows(path: string, opts: PlainCsvOptions & {threads: number; minBytes: number}): AsyncGenerator<Row | EncodedBatch> {
  const {read} = opts
  const workers = opts.threads - 1
  const size = chunkBytes()
  const setup = await laneSetup(path, read)
  if (!setup || workers < 1 || setup.range.end - setup.range.start < Math.max(2 * size, opts.minBytes)) {
    yield* rowsHere(path, opts, setup)
    return
  }
  const layout: LaneLayout = {header: setup.header, delimiter: setup.delimiter}
  const work: LaneWork = {path, layout, columns: opts.columns}
  const pool = new WorkerPool<ChunkRequest, ChunkReply>(LANE_WORKER, undefined, workers, `reading ${path}`)
  // Chunks in file order, DEPTH at each worker so none idles while this thread passes an answer on. Until
  // the first answer is in (the workers start up meanwhile), this thread converts chunks itself rather than
  // wait; later it converts only its SHARE. A chunk converted here waits in the queue for its turn.
  const queue: {chunk: ReadChunk; reply?: Promise<ChunkReply>; here?: LaneChunk & {buf: Buffer}}[] = []
  // Buffers of chunks passed on hold the next chunks' bytes, or go to the workers for JSON lines.
  const spares = new SpareBuffers(2 * DEPTH * workers + 4)
  const take = (size: number) => spares.take(size)
  const chunks = chunksOf(path, setup.range, String.fromCharCode(setup.delimiter), size, take)
  let resume: {start: number; line: number} | undefined
  let rest: number | undefined
  let line = setup.range.line
  let atWorkers = 0
  let dealt = 0
  let answered = false
  const next = async (): Promise<ReadChunk | undefined> => {
    const n = await chunks.next()
    if (n.done || 'rest' in n.value) {
      if (!n.done) rest = n.value.start
      return undefined
    }
    return n.value
  }
  const convertHere = ({bytes: buf, line}: ReadChunk): LaneChunk & {buf: Buffer} => ({...laneChunk(buf, new LaneRows(path, layout, opts.columns, opts.fingerprints, line, take, outSizeFor(buf))), buf})
  read.onBytes?.(setup.range.header)
  try {
    // The first chunk is this thread's: it is needed first, and the workers are only starting.
    const first = await next()
    if (first) queue.push({chunk: first})
    for (let more = first !== undefined; ; ) {
      while (more && atWorkers < DEPTH * workers) {
        const chunk = await next()
        if (!chunk) more = false
        else if (workers === 1 && ++dealt % SHARE === 0) {
          queue.push({chunk}) // this thread's share: converted when it is the head
        } else {
          const {bytes, ...range} = chunk
          const reply = pool.run({work, range, bytes, spares: spares.takeMany(1)})
          void reply.then(() => (answered = true), () => {})
          queue.push({chunk, reply})
          atWorkers++
        }
      }
      if (!answered && more && queue[0]?.reply) {
        const chunk = await next()
        if (chunk) queue.push({chunk, here: convertHere(chunk)})
        else more = false
        continue
      }
      const head = queue.shift()
      if (!head) break
      // Each chunk must begin on the line the one before ended on (the scan and the lane count alike); were it
      // ever not so, the rows from here are readCsv's.
      if (head.chunk.line !== line) {
        resume = {start: head.chunk.start, line}
        break
      }
      let result: LaneChunk & {buf: Buffer}
      if (head.reply) {
        atWorkers--
        const reply = await head.reply
        const buf = Buffer.from(reply.buf.buffer, reply.buf.byteOffset, reply.buf.byteLength)
        result = {...reply, buf, items: reply.items.map((item) => ('cells' in item ? rowOf(path, layout.header, item) : EncodedBatch.of(path, item, buf, layout)))}
      } else result = head.here ?? convertHere(head.chunk)
      read.onBytes?.(head.chunk.end - head.chunk.start)
      yield* result.items
      // Passed on and written (the sink copies, a duplicate's record is decoded when dropped): free for reuse.
      spares.give(result.buf.buffer)
      for (const item of result.items) if (item instanceof EncodedBatch) for (const memory of item.buffers()) spares.give(memory)
      if (result.stop) {
        resume = {start: head.chunk.start + result.stop.at, line: result.stop.line}
        break
      }
      line = result.line
    }
    if (!resume && rest !== undefined) resume = {start: rest, line}
  } finally {
    await chunks.return(undefined)
    for (const {reply} of queue) reply?.catch(() => {}) // answers no one will read
    await pool.close()
  }
  // readCsv reads on from the row the lane stopped at: it reports what is wrong there (its line, the file's
  // byte offset) or skips it, as in one thread.
  if (resume) yield* readCsv(path, {...read, range: {...setup.range, start: resume.start, line: resume.line}})
}

/** A row the lane left to the general path, rebuilt from the cells a worker sent (as recordOf makes it). */
function rowOf(source: string, header: string[], item: {line: number; cells: string[]}): Row {
  const record = newRecord()
  for (let i = 0; i < header.length; i++) record[header[i]!] = item.cells[i]!
  return {record, source, line: item.line}
}
