import {isUtf8} from 'node:buffer'

import {newRecord} from '../io/record.js'
import type {RawRecord, Row} from '../io/types.js'
import type {Fingerprint, Fingerprinter, RowRef} from './exact-dedup.js'
import type {Mapping} from './mapping.js'
import type {OutputLayout} from './to-output.js'

/**
 * The plain-row lane: CSV rows of an Alpaca SFT convert whose output is their own bytes.
 *
 * Most rows of a clean CSV need none of the general path's work: their text is already NFC, has no control
 * characters to drop, no CR to fold and no space to trim. For such a row the Alpaca JSON line and the dedup
 * key are written straight from the file's bytes — no string, no normaliser, no JSON.stringify — and runs of
 * such rows travel on as an EncodedBatch. Every other row is decoded into an ordinary Row and takes the general
 * path, in order, so the output is byte-identical either way (test/transforms/plain-csv.property.test.ts
 * compares the two on random CSVs). Anything the lane is unsure of — a quote papaparse would read differently,
 * a row with too many cells, bytes that are not UTF-8, a NUL, a row over 4 MB — hands the rest to readCsv, which
 * reads on from that row (a range read of the file), so errors and --on-error skip behave exactly as without it.
 * Measured on the 100 MB bench CSV, one process: convert 3.86 → 1.23 s (README, Performance).
 */

/**
 * Consecutive rows whose Alpaca JSON lines and dedup fingerprints were made from their bytes: the lines one
 * after another in `out` from `first`, row i's ending at ends[i]. A row's input record is decoded only when
 * asked for (a duplicate's reject, a shard's log with --rejects).
 */
export class EncodedBatch {
  /** Per row, STRIDE u32s: where its JSON line ends in `out`, its line, its fingerprint (hi, lo), its bytes in `buf` (start, end). */
  private rows: Uint32Array
  private n: number

  constructor(readonly source: string, private readonly out: Buffer, private readonly first: number, private readonly buf: Buffer, private readonly layout: LaneLayout, rows?: Uint32Array) {
    this.rows = rows ?? new Uint32Array(STRIDE * 256)
    this.n = rows ? rows.length / STRIDE : 0
  }

  get size(): number {
    return this.n
  }

  add(jsonEnd: number, line: number, fp: Fingerprint, start: number, end: number): void {
    let at = this.n * STRIDE
    if (at === this.rows.length) {
      const grown = new Uint32Array(2 * this.rows.length)
      grown.set(this.rows)
      this.rows = grown
    }
    const r = this.rows
    r[at++] = jsonEnd
    r[at++] = line
    r[at++] = fp.hi
    r[at++] = fp.lo
    r[at++] = start
    r[at] = end
    this.n++
  }

  line(i: number): number {
    return this.rows[i * STRIDE + 1]!
  }

  fingerprint(i: number): Fingerprint {
    return {hi: this.rows[i * STRIDE + 2]!, lo: this.rows[i * STRIDE + 3]!}
  }

  /** What a worker thread sends of a batch: numbers in one typed array, moved with `out` and `buf`, not copied. */
  parts(): EncodedParts {
    return {out: this.out, first: this.first, rows: this.rows.slice(0, this.n * STRIDE)}
  }

  /** A batch rebuilt from a worker's parts, over the buffers that came with them. */
  static of(source: string, parts: EncodedParts, buf: Buffer, layout: LaneLayout): EncodedBatch {
    return new EncodedBatch(source, Buffer.from(parts.out.buffer, parts.out.byteOffset, parts.out.byteLength), parts.first, buf, layout, parts.rows)
  }

  /** Row i's place, its Row made only when asked for. One object, reused: valid until the next call. */
  ref(i: number): RowRef {
    this.cursor.i = i
    return this.cursor
  }

  private readonly cursor = ((batch: EncodedBatch) => ({
    i: 0,
    get source() {
      return batch.source
    },
    get line() {
      return batch.line(this.i)
    },
    row() {
      return batch.row(this.i)
    },
  }))(this)

  /** Row i as a Row (its record decoded on first use). */
  row(i: number): Row {
    // Decoded now, not on first use: the parallel reader reuses the batch's buffers once it has been passed on.
    const {buf, layout, rows} = this
    const again = new RowScanner(layout.delimiter, layout.header.length)
    again.scan(buf, rows[i * STRIDE + 4]!, rows[i * STRIDE + 5]!, true)
    return {source: this.source, line: this.line(i), record: recordOf(buf, again, layout.header)}
  }

  /** The buffers this batch's bytes live in (for reuse once it has been passed on). */
  buffers(): ArrayBufferLike[] {
    return [this.out.buffer, this.buf.buffer]
  }

  /** The JSON lines of rows [from, to). */
  lineBytes(from: number, to: number): Buffer {
    return this.out.subarray(from === 0 ? this.first : this.rows[(from - 1) * STRIDE]!, this.rows[(to - 1) * STRIDE])
  }
}

/** JSON lines are written into buffers of this size (a bigger one for a bigger row). */
const OUT_SIZE = 4 << 20

const STRIDE = 6

/** An EncodedBatch as plain data. */
export interface EncodedParts {
  out: Uint8Array
  first: number
  rows: Uint32Array
}

/** The columns an input maps to instruction, input (if any) and output. */
export interface LaneColumns {
  instruction: string
  input?: string
  output: string
}

/** An input's instruction/input/output columns when its rows are Alpaca SFT with just these fields, else undefined. */
export function laneColumns(mapping: Mapping, layout: OutputLayout): LaneColumns | undefined {
  if (layout.target !== 'alpaca' || layout.withSystem || layout.withHistory || layout.withTools) return undefined
  if (mapping.kind !== 'sft' || mapping.shape !== 'flat') return undefined
  const {instruction, input, output, ...rest} = mapping.columns
  if (instruction === undefined || output === undefined || Object.keys(rest).length > 0) return undefined
  return {instruction, input, output}
}

// ---- which characters a field may hold and still be its own output ---------------------------------------

/**
 * Code points that are NFC whatever surrounds them (NFC_Quick_Check=Yes and combining class 0, checked against
 * Unicode 14 data: never a composition's second half, never reordered) and that normalisation keeps. Chosen
 * for instruction data: Latin, Cyrillic, punctuation, symbols, CJK, kana, Hangul, fullwidth forms, emoji.
 */
const PLAIN_RANGES: [number, number][] = [
  [0x00a0, 0x017f], [0x0410, 0x044f], [0x200b, 0x200f], [0x2010, 0x2027], [0x2030, 0x205e], [0x2190, 0x22ff],
  [0x2460, 0x27bf], [0x3000, 0x3029], [0x3030, 0x303d], [0x3041, 0x3096], [0x309b, 0x30ff], [0x3400, 0x4dbf],
  [0x4e00, 0x9fff], [0xac00, 0xd7a3], [0xfe00, 0xfe0f], [0xff01, 0xff5e], [0xff61, 0xff9d], [0x1f300, 0x1faff],
  [0x20000, 0x2a6df],
]

/** Per BMP code point: 0 = not plain, 1 = plain, 2 = plain but whitespace (trim would remove it at an edge). */
const BMP_CLASS = new Uint8Array(0x10000)
// One regex scan a range (its code points as one string) finds the whitespace: a test a code point took ~6 ms at
// start-up, on the main thread and again in every worker.
for (const [from, upTo] of PLAIN_RANGES) {
  if (from > 0xffff) continue
  const to = Math.min(upTo, 0xffff)
  BMP_CLASS.fill(1, from, to + 1)
  const codes = new Uint16Array(to - from + 1)
  for (let i = 0; i < codes.length; i++) codes[i] = from + i
  for (const space of new TextDecoder('utf-16le').decode(codes).matchAll(/\s/g)) BMP_CLASS[from + space.index] = 2
}
// ASCII: printable characters; tab and LF are kept by normalisation (JSON-escaped); CR, DEL and other controls are not.
for (let b = 0x20; b < 0x7f; b++) BMP_CLASS[b] = b === 0x20 ? 2 : 1
BMP_CLASS[0x09] = 2
BMP_CLASS[0x0a] = 2

const astralPlain = (cp: number) => (cp >= 0x1f300 && cp <= 0x1faff) || (cp >= 0x20000 && cp <= 0x2a6df)

/** Every code point the lane writes from bytes (for the test that checks each is NFC on this runtime). */
export function* plainCodePoints(): Generator<number> {
  for (let cp = 0; cp < 0x10000; cp++) if (BMP_CLASS[cp] !== 0) yield cp
  for (const [from, to] of PLAIN_RANGES) for (let cp = Math.max(from, 0x10000); cp <= to; cp++) yield cp
}

const QUOTE = 0x22
const LF = 0x0a
const CR = 0x0d
const BACKSLASH = 0x5c

const enc = (s: string) => Buffer.from(s, 'utf8')
const KEY_HEAD = enc('sft\0\0ua\0\0\0') // dedupKey of an SFT example without system/tools, up to its user turn

/** A field's verdict: plain (written as it is, or ESCAPED for JSON), or not plain (the row takes the general path). */
const PLAIN = 0
const NOT_PLAIN = 1
const ESCAPED = 2

/**
 * Byte-level CSV: finds rows the way papaparse (as readCsv drives it) does for well-formed input, and says
 * "weird" for anything else. Cell boundaries of the current row live in typed arrays, reused.
 */
class RowScanner {
  readonly starts: Int32Array
  readonly ends: Int32Array
  readonly quoted: Uint8Array
  cells = 0
  /** Offset after the row's line end. */
  next = 0
  /** Line ends inside quoted cells. */
  newlines = 0

  constructor(private readonly delimiter: number, private readonly maxCells: number) {
    this.starts = new Int32Array(maxCells + 1)
    this.ends = new Int32Array(maxCells + 1)
    this.quoted = new Uint8Array(maxCells + 1)
  }

  // Where the next delimiter, line end and quote are in the buffer last scanned (memchr-fast indexOf, cached
  // across cells and rows: a byte loop costs ~2 ns a byte, indexOf ~0.2).
  private buf?: Uint8Array
  private end = 0
  private nextDelim = -1
  private nextLf = -1
  private nextQuote = -1

  private find(byte: number, from: number, end: number): number {
    const at = this.buf!.indexOf(byte, from)
    return at === -1 || at >= end ? end : at
  }

  /** Scans the row at `pos`: 1 = a row, 0 = it needs more bytes, -1 = weird (too many cells, or quotes). */
  scan(buf: Uint8Array, pos: number, end: number, final: boolean): number {
    if (buf !== this.buf || end !== this.end) {
      this.buf = buf
      this.end = end
      this.nextDelim = this.nextLf = this.nextQuote = -1
    }
    const d = this.delimiter
    this.cells = 0
    this.newlines = 0
    for (;;) {
      if (this.cells === this.maxCells) return -1
      const k = this.cells++
      if (pos < end && buf[pos] === QUOTE) {
        let q = pos + 1
        for (;;) {
          q = this.find(QUOTE, q, end)
          if (q === end) return final ? -1 : 0
          if (q + 1 < end && buf[q + 1] === QUOTE) {
            q += 2
            continue
          }
          break
        }
        this.starts[k] = pos + 1
        this.ends[k] = q
        this.quoted[k] = 1
        for (let n = this.find(LF, pos + 1, q); n < q; n = this.find(LF, n + 1, q)) this.newlines++
        const after = q + 1
        if (after === end) {
          if (!final) return 0
          this.next = end
          return 1
        }
        const c = buf[after]
        if (c === d) {
          pos = after + 1
          continue
        }
        if (c === LF) {
          this.next = after + 1
          return 1
        }
        if (c === CR) {
          if (after + 1 === end) return final ? -1 : 0
          if (buf[after + 1] !== LF) return -1
          this.next = after + 2
          return 1
        }
        return -1
      }
      // Unquoted: up to the delimiter or the line end; a quote inside is papaparse's business.
      if (this.nextDelim < pos) this.nextDelim = this.find(d, pos, end)
      if (this.nextLf < pos) this.nextLf = this.find(LF, pos, end)
      if (this.nextQuote < pos) this.nextQuote = this.find(QUOTE, pos, end)
      const e = Math.min(this.nextDelim, this.nextLf)
      if (this.nextQuote < e) return -1
      if (e === end && !final) return 0
      this.starts[k] = pos
      this.quoted[k] = 0
      if (e < end && e === this.nextDelim) {
        this.ends[k] = e
        pos = e + 1
        continue
      }
      // The row's last cell: readCsv drops one CR before the line end.
      this.ends[k] = e > pos && buf[e - 1] === CR ? e - 1 : e
      this.next = e < end ? e + 1 : end
      return 1
    }
  }
}

/** The text of a scanned cell as readCsv gives it (a quoted cell unescaped). */
function cellText(buf: Buffer, start: number, end: number, quoted: boolean): string {
  const text = buf.toString('utf8', start, end)
  return quoted && text.includes('"') ? text.replaceAll('""', '"') : text
}

/** ASCII bytes: 1 = written as is, 2 = written escaped (quote, backslash, tab, LF), 0 = not plain. */
const ASCII_CLASS = new Uint8Array(0x80)
for (let b = 0x20; b < 0x7f; b++) ASCII_CLASS[b] = 1
for (const b of [QUOTE, BACKSLASH, 0x09, LF]) ASCII_CLASS[b] = 2

/** The code point starting at `i` of valid UTF-8 (the region was checked with isUtf8). */
function codePointAt(buf: Uint8Array, i: number): number {
  const b = buf[i]!
  if (b < 0x80) return b
  if (b < 0xe0) return ((b & 0x1f) << 6) | (buf[i + 1]! & 0x3f)
  if (b < 0xf0) return ((b & 0x0f) << 12) | ((buf[i + 1]! & 0x3f) << 6) | (buf[i + 2]! & 0x3f)
  return ((b & 0x07) << 18) | ((buf[i + 1]! & 0x3f) << 12) | ((buf[i + 2]! & 0x3f) << 6) | (buf[i + 3]! & 0x3f)
}

const isSpace = (cp: number) => (cp < 0x10000 ? BMP_CLASS[cp] === 2 : false)

/**
 * A field's bytes [s, e) (valid UTF-8): NOT_PLAIN, or PLAIN when they are written as they are, or ESCAPED when
 * plain but holding a character JSON escapes (or a doubled quote of a quoted cell).
 */
function classify(buf: Uint8Array, s: number, e: number): number {
  if (s === e) return PLAIN
  // trim() would change a field that starts or ends with whitespace.
  let last = e - 1
  while ((buf[last]! & 0xc0) === 0x80) last--
  if (isSpace(codePointAt(buf, s)) || isSpace(codePointAt(buf, last))) return NOT_PLAIN
  let escaped = false
  let i = s
  while (i < e) {
    const b = buf[i]!
    if (b < 0x80) {
      const c = ASCII_CLASS[b]!
      if (c !== 1) {
        if (c === 0) return NOT_PLAIN
        escaped = true
      }
      i++
    } else if (b < 0xe0) {
      if (BMP_CLASS[((b & 0x1f) << 6) | (buf[i + 1]! & 0x3f)] === 0) return NOT_PLAIN
      i += 2
    } else if (b < 0xf0) {
      if (BMP_CLASS[((b & 0x0f) << 12) | ((buf[i + 1]! & 0x3f) << 6) | (buf[i + 2]! & 0x3f)] === 0) return NOT_PLAIN
      i += 3
    } else {
      if (!astralPlain(codePointAt(buf, i))) return NOT_PLAIN
      i += 4
    }
  }
  return escaped ? ESCAPED : PLAIN
}

/**
 * Writes a plain field [s, e) as a JSON string's body into `out` and its content into `key`, advancing `at`;
 * returns NOT_PLAIN instead when it is not plain.
 */
function encodeField(buf: Buffer, s: number, e: number, quoted: boolean, out: Buffer, key: Uint8Array, at: {out: number; key: number}): number {
  const verdict = classify(buf, s, e)
  if (verdict === NOT_PLAIN) return NOT_PLAIN
  if (verdict === PLAIN) {
    // One view, two native copies (Buffer.copy's JS wrapper cost twice as much here).
    const bytes = buf.subarray(s, e)
    out.set(bytes, at.out)
    key.set(bytes, at.key)
    at.out += e - s
    at.key += e - s
    return PLAIN
  }
  let o = at.out
  let k = at.key
  for (let i = s; i < e; i++) {
    const b = buf[i]!
    if (b === QUOTE) {
      out[o++] = BACKSLASH
      out[o++] = QUOTE
      if (quoted) i++ // inside a quoted cell a quote is always doubled (the scanner saw to it)
    } else if (b === BACKSLASH) {
      out[o++] = BACKSLASH
      out[o++] = BACKSLASH
    } else if (b === LF || b === 0x09) {
      out[o++] = BACKSLASH
      out[o++] = b === LF ? 0x6e : 0x74
    } else {
      out[o++] = b
    }
    key[k++] = b
  }
  at.out = o
  at.key = k
  return PLAIN
}

/** A CSV's layout as the lane reads it: its header (the record's keys) and its one-byte delimiter. */
export interface LaneLayout {
  header: string[]
  delimiter: number
}

/**
 * The lane's row loop over whole rows of a buffer (a chunk of the sequential reader, or of the parallel one):
 * runs of plain rows as EncodedBatches, every other row as a Row, in order, numbered as readCsv numbers them.
 */
export class LaneRows {
  /** The line of the next row. */
  line: number
  /** Set when the lane stopped at a row it must not read: readCsv reads on from there. */
  weird = false
  private readonly scanner: RowScanner
  private readonly encoder: RowEncoder

  constructor(
    private readonly source: string,
    private readonly layout: LaneLayout,
    columns: LaneColumns,
    private readonly fingerprints: Fingerprinter,
    line: number,
    /** Where JSON lines are written: fresh memory, or a reused buffer (plain-csv-read.ts). */
    private readonly alloc: (size: number) => Buffer = (size) => Buffer.allocUnsafeSlow(size),
    /** The size of those buffers: a worker's chunk fits its JSON lines in one. */
    private readonly outSize = OUT_SIZE,
  ) {
    const column = (name: string | undefined) => (name === undefined ? -1 : layout.header.indexOf(name))
    this.scanner = new RowScanner(layout.delimiter, layout.header.length)
    this.encoder = new RowEncoder([column(columns.instruction), column(columns.input), column(columns.output)])
    this.line = line
  }

  /**
   * The rows of `buf` (whole rows, valid UTF-8) from 0 up to `end`. Returns where it stopped: `end`, a row that
   * needs more bytes (not `final`), or one the lane must not read (then `weird`).
   */
  *rowsOf(buf: Buffer, end: number, final: boolean): Generator<Row | EncodedBatch, number> {
    const {scanner, encoder, layout} = this
    // JSON lines go to `out` and are never overwritten: a yielded batch's bytes may still be queued for writing.
    let out: Buffer | undefined
    let tail = 0
    let batch: EncodedBatch | undefined
    let pos = 0
    while (pos < end) {
      const r = scanner.scan(buf, pos, end, final)
      if (r !== 1) {
        this.weird = r === -1 // 0: a quoted line end near the region's end; the row waits for more bytes
        break
      }
      const start = pos
      const rowLine = this.line
      pos = scanner.next
      this.line += 1 + scanner.newlines
      if (scanner.cells === 1 && scanner.starts[0] === scanner.ends[0]) continue // a blank line
      // A JSON line takes at most twice its row's bytes (escapes) plus its keys.
      const room = 2 * (pos - start) + 64
      if (!out || out.length - tail < room) {
        if (batch) yield batch
        batch = undefined
        out = this.alloc(Math.max(this.outSize, room))
        tail = 0
      }
      if (encoder.encode(buf, scanner, out, tail) === NOT_PLAIN) {
        if (batch) yield batch
        batch = undefined
        yield {record: recordOf(buf, scanner, layout.header), source: this.source, line: rowLine}
        continue
      }
      batch ??= new EncodedBatch(this.source, out, tail, buf, layout)
      batch.add(encoder.end, rowLine, this.fingerprints.ofKeyBytes(encoder.key()), start, pos)
      tail = encoder.end
    }
    if (batch) yield batch
    return pos
  }
}

/** What the lane made of one chunk of whole rows (plain-csv-read.ts): its items in order, and where it stopped. */
export interface LaneChunk {
  items: (Row | EncodedBatch)[]
  /** The row (offset in the chunk, line) readCsv must read on from, if the lane could not read them all. */
  stop?: {at: number; line: number}
  /** The line after the chunk's last row. */
  line: number
}

/**
 * Buffers of chunks already passed on, for the next chunks. They are SharedArrayBuffers: a message then shares
 * them instead of moving them, and V8 counts shared memory once rather than as new memory each time a
 * buffer arrives. Moved ArrayBuffers, even reused ones, made the main thread collect every ~70 ms ("external
 * memory pressure"). A buffer is in one place at a time (a pool, a request, a chunk in flight), so no two
 * threads ever write one at once.
 */
const SIZE_CLASS = 1 << 20

export class SpareBuffers {
  private readonly free: SharedArrayBuffer[] = []

  constructor(private readonly keep: number) {}

  /**
   * A buffer of `size` bytes: a spare big enough, or a new one rounded up to whole MB, so that chunks (which
   * differ by a row) and their JSON lines (~1.25x) mostly take buffers of one size and any spare fits.
   */
  take(size: number): Buffer {
    const i = this.free.findIndex((b) => b.byteLength >= size)
    const memory = i === -1 ? new SharedArrayBuffer(Math.ceil(size / SIZE_CLASS) * SIZE_CLASS) : this.free.splice(i, 1)[0]!
    return Buffer.from(memory, 0, size)
  }

  /** A buffer no longer read: kept if it is one of ours (shared) and there is room. */
  give(memory: ArrayBufferLike): void {
    if (memory instanceof SharedArrayBuffer && this.free.length < this.keep && !this.free.includes(memory)) this.free.push(memory)
  }

  /** Up to `n` spares, handed over (to a worker). */
  takeMany(n: number): SharedArrayBuffer[] {
    return this.free.splice(0, n)
  }
}

/** Room for a chunk's JSON lines in one buffer: they take ~1.05x the CSV's bytes (escapes can take more: then a second). */
export function outSizeFor(chunk: Uint8Array): number {
  return chunk.length + (chunk.length >> 2) + 4096
}

/** Whether the lane may read these bytes: a NUL or bytes that are not UTF-8 are readCsv's to report (from their row on). */
export function laneReadable(bytes: Uint8Array): boolean {
  return !bytes.includes(0) && isUtf8(bytes)
}

/** The lane over a chunk of whole rows that starts on `lane.line`. */
export function laneChunk(buf: Buffer, lane: LaneRows): LaneChunk {
  const start = lane.line
  if (!laneReadable(buf)) return {items: [], stop: {at: 0, line: start}, line: start}
  const items: (Row | EncodedBatch)[] = []
  const rows = lane.rowsOf(buf, buf.length, true)
  let next = rows.next()
  for (; !next.done; next = rows.next()) items.push(next.value)
  const stop = lane.weird || next.value !== buf.length ? {at: next.value, line: lane.line} : undefined
  return {items, stop, line: lane.line}
}

/** The record of a scanned row as readCsv makes it: cells unescaped, a CR ending the last one dropped, short rows padded. */
function recordOf(buf: Buffer, s: RowScanner, header: string[]): RawRecord {
  const record = newRecord()
  const texts: string[] = []
  for (let i = 0; i < s.cells; i++) texts.push(cellText(buf, s.starts[i]!, s.ends[i]!, s.quoted[i] === 1))
  const last = texts.length - 1
  if (last >= 0 && texts[last]!.endsWith('\r')) texts[last] = texts[last]!.slice(0, -1)
  for (let i = 0; i < header.length; i++) record[header[i]!] = texts[i] ?? ''
  return record
}

const OPEN = enc('{"instruction":"')
const AFTER_INSTRUCTION = enc('","input":"')
const AFTER_INPUT = enc('","output":"')
const CLOSE = enc('"}\n')

/**
 * Writes a scanned row's Alpaca JSON line (JSON.stringify({instruction, input, output}) + "\n") and its dedupKey
 * bytes: "sft\0\0ua\0\0\0" + user turn + "\0" + output, the user turn being instruction and input joined by
 * "\n" when both are non-empty (LF's Alpaca join). Plain fields are their own normal form, so a field is
 * empty exactly when its bytes are.
 */
class RowEncoder {
  private keyBuf = new Uint8Array(1 << 16)
  private readonly at = {out: 0, key: 0}
  /** Where the last PLAIN row's JSON ends in `out`. */
  end = 0

  constructor(private readonly fields: readonly [instruction: number, input: number, output: number]) {}

  key(): Uint8Array {
    return this.keyBuf.subarray(0, this.at.key)
  }

  encode(buf: Buffer, s: RowScanner, out: Buffer, outPos: number): number {
    // Written without a closure or array a row: this runs for every row of the file.
    const fi = this.fields[0] < s.cells ? this.fields[0] : -1
    const fn = this.fields[1] < s.cells ? this.fields[1] : -1
    const fo = this.fields[2] < s.cells ? this.fields[2] : -1
    const li = fi < 0 ? 0 : s.ends[fi]! - s.starts[fi]!
    const ln = fn < 0 ? 0 : s.ends[fn]! - s.starts[fn]!
    const lo = fo < 0 ? 0 : s.ends[fo]! - s.starts[fo]!
    // An empty prompt or response is the general path's to drop, with its reason.
    if ((li === 0 && ln === 0) || lo === 0) return NOT_PLAIN
    const need = KEY_HEAD.length + li + ln + lo + 2
    if (this.keyBuf.length < need) this.keyBuf = new Uint8Array(2 * need)
    const {at} = this
    const key = this.keyBuf
    key.set(KEY_HEAD, 0)
    at.key = KEY_HEAD.length
    out.set(OPEN, outPos)
    at.out = outPos + OPEN.length
    if (fi >= 0 && encodeField(buf, s.starts[fi]!, s.ends[fi]!, s.quoted[fi] === 1, out, key, at) !== PLAIN) return NOT_PLAIN
    if (li > 0 && ln > 0) key[at.key++] = LF
    out.set(AFTER_INSTRUCTION, at.out)
    at.out += AFTER_INSTRUCTION.length
    if (fn >= 0 && encodeField(buf, s.starts[fn]!, s.ends[fn]!, s.quoted[fn] === 1, out, key, at) !== PLAIN) return NOT_PLAIN
    key[at.key++] = 0
    out.set(AFTER_INPUT, at.out)
    at.out += AFTER_INPUT.length
    if (encodeField(buf, s.starts[fo]!, s.ends[fo]!, s.quoted[fo] === 1, out, key, at) !== PLAIN) return NOT_PLAIN
    out.set(CLOSE, at.out)
    this.end = at.out + CLOSE.length
    return PLAIN
  }
}
