import type {FileHandle} from 'node:fs/promises'

import type {ColumnMetaData, Compressors, DecodedArray, Encoding, PageHeader, ParquetParsers, RowGroup, SchemaTree} from 'hyparquet'
import {assembleLists, assembleNested} from 'hyparquet/src/assemble.js'
import {parquetHeader, readPage} from 'hyparquet/src/column.js'
import {DEFAULT_PARSERS, convert, convertWithDictionary} from 'hyparquet/src/convert.js'
import {decompressPage, readDataPage, readDataPageV2} from 'hyparquet/src/datapage.js'
import {readRleBitPackedHybrid} from 'hyparquet/src/encoding.js'
import {getMaxDefinitionLevel, getMaxRepetitionLevel, getTreePath} from 'hyparquet/src/schema.js'

/*
 * A row group decoded page by page. hyparquet's own readers decode a whole row group before returning any
 * row, which for the 100k-row groups DuckDB, Polars and pyarrow write means hundreds of MB of JS strings.
 * Here each leaf column reads its pages from the file as they are needed and the top-level columns are
 * assembled a window of rows at a time (hyparquet's page decoder and Dremel assembly, imported from its
 * exported `src/` modules), so memory holds about one page per leaf column.
 */

type ColumnDecoder = Parameters<typeof readPage>[2]

export interface PageReadOptions {
  compressors: Compressors
  parsers: Partial<ParquetParsers>
  /** Compressed bytes consumed, for progress. */
  onBytes?: (bytes: number) => void
  /** Rows assembled per step (default 64; tests use tiny windows to cut pages in odd places). */
  window?: number
}

/** A decoding failure inside one column chunk; the reader adds file and row group. */
export class ColumnError extends Error {
  constructor(readonly column: string, cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause))
  }
}

/** File bytes are read 1 MB at a time, or one whole page when it is larger. */
const READ_AHEAD = 1 << 20
/** A page header's first guess at its size; grows when the header (with long statistics) is larger. */
const HEADER_GUESS = 1 << 12

/** A decoded data page, consumed a window of rows at a time. */
interface Page {
  def: number[] | undefined
  rep: number[]
  /** Raw values (byte arrays, dictionary indices, numbers): converted per window, never all at once. */
  values: DecodedArray | ByteArrays
  encoding: string
  /** Level entries in the page (0 when it has no levels: one value per row). */
  levels: number
  level: number
  value: number
}

/**
 * The pages of one leaf column chunk, decoded into complete top-level row values. A page is decoded to levels
 * and raw values once, then converted (strings, dates) and assembled (lists) a window of rows at a time:
 * some writers (DuckDB) put a whole 100 MB column chunk in one page.
 */
class LeafColumn {
  readonly path: string
  /** The top-level column this leaf belongs to. */
  readonly top: string
  private buf = Buffer.alloc(0)
  private bufStart = 0
  private pos: number
  private readonly end: number
  private dictionary: DecodedArray | undefined
  private page: Page | undefined
  /** The last row of a repeated column stays open until the next page shows whether it continues. */
  private carry: unknown[] | undefined
  private readonly repeated: boolean
  private readonly maxDef: number
  private rows: unknown[] = []
  private head = 0
  done = false

  constructor(
    private readonly file: FileHandle,
    meta: ColumnMetaData,
    private readonly decoder: ColumnDecoder,
    private readonly onBytes?: (bytes: number) => void,
  ) {
    this.path = meta.path_in_schema.join('.')
    this.top = meta.path_in_schema[0] ?? ''
    this.pos = Number(meta.dictionary_page_offset || meta.data_page_offset)
    this.end = this.pos + Number(meta.total_compressed_size)
    this.repeated = getMaxRepetitionLevel(decoder.schemaPath) > 0
    this.maxDef = getMaxDefinitionLevel(decoder.schemaPath)
  }

  get available(): number {
    return this.rows.length - this.head
  }

  /** Decodes until `n` rows are ready or the chunk ends. */
  async fill(n: number): Promise<void> {
    try {
      while (!this.done && this.available < n) {
        if (this.page) this.consume(this.page, n - this.available)
        else await this.nextPage()
      }
    } catch (error) {
      throw error instanceof ColumnError ? error : new ColumnError(this.path, error)
    }
  }

  /** The next `k` rows (k <= available). */
  take(k: number): unknown[] {
    const out = this.rows.slice(this.head, this.head + k)
    this.head += k
    if (this.head === this.rows.length) {
      this.rows = []
      this.head = 0
    }
    return out
  }

  /** Converts and assembles up to `want` more rows of the current page. */
  private consume(page: Page, want: number): void {
    let b: number
    let count: number
    if (page.levels === 0) {
      b = Math.min(page.value + want, page.values.length)
      count = b - page.value
    } else {
      b = page.level
      if (this.repeated) {
        // A row starts at each repetition level 0; stop before the (want + 1)th start.
        for (let starts = 0; b < page.levels; b++) if (page.rep[b] === 0 && starts++ === want) break
      } else {
        b = Math.min(page.level + want, page.levels)
      }
      count = 0
      if (page.def) for (let i = page.level; i < b; i++) count += page.def[i] === this.maxDef ? 1 : 0
      else count = b - page.level
    }
    const raw = page.values.slice(page.value, page.value + count)
    const values = this.exact(convertWithDictionary(raw, this.dictionary, page.encoding as Encoding, this.decoder))
    const def = page.def?.slice(page.level, b)
    const rep = page.rep.slice(page.level, b)
    const pageStart = page.level === 0 && page.value === 0
    const output = pageStart && this.carry ? [this.carry] : []
    const rows = page.levels === 0 && !this.maxDef ? values : assembleLists(output, def, rep, values, this.decoder.schemaPath)
    page.level = b
    page.value += count
    const pageEnd = page.levels === 0 ? page.value >= page.values.length : page.level >= page.levels
    if (pageEnd) this.page = undefined
    this.carry = undefined
    // Only the page's last row can continue on the next page.
    const last = this.repeated && pageEnd ? rows.length - 1 : rows.length
    for (let i = 0; i < last; i++) this.rows.push(rows[i])
    if (last < rows.length) this.carry = rows[last] as unknown[]
  }

  /**
   * hyparquet scales decimals by multiplying floats (-14.995 comes out -14.995000000000001); rounding to the
   * column's scale gives the double nearest the exact decimal, as Python's float(Decimal) does.
   */
  private exact(values: DecodedArray): DecodedArray {
    const {element} = this.decoder
    const isDecimal = element.converted_type === 'DECIMAL' || element.logical_type?.type === 'DECIMAL'
    const scale = element.scale ?? 0
    if (!isDecimal || scale <= 0 || scale > 100) return values
    return Array.from(values as ArrayLike<unknown>, (v) => (typeof v === 'number' ? Number(v.toFixed(scale)) : v))
  }

  /**
   * A data page's levels and raw values. Plain byte arrays (text, the bulk of chat data) stay offsets into the
   * decompressed page until a window asks for them, instead of one view object per value up front;
   * other encodings go through hyparquet's page readers.
   */
  private decodeDataPage(header: PageHeader, body: Uint8Array) {
    const {codec, compressors, type, schemaPath} = this.decoder
    const maxRep = getMaxRepetitionLevel(schemaPath)
    const lazy = type === 'BYTE_ARRAY'
    const v1 = header.type === 'DATA_PAGE' ? header.data_page_header : undefined
    const v2 = header.type === 'DATA_PAGE_V2' ? header.data_page_header_v2 : undefined
    if (v1) {
      const page = decompressPage(body, header.uncompressed_page_size, codec, compressors)
      if (!lazy || v1.encoding !== 'PLAIN') {
        const d = readDataPage(page, v1, this.decoder)
        return {def: d.definitionLevels, rep: d.repetitionLevels, values: d.dataPage as DecodedArray | ByteArrays, encoding: v1.encoding}
      }
      const reader = {view: new DataView(page.buffer, page.byteOffset, page.byteLength), offset: 0}
      const rep = maxRep ? readLevels(reader, maxRep, v1.num_values) : []
      const def = this.maxDef ? readLevels(reader, this.maxDef, v1.num_values) : undefined
      return {def, rep, values: new ByteArrays(page, reader.offset, present(def, this.maxDef, v1.num_values)), encoding: v1.encoding}
    }
    if (v2) {
      if (!lazy || v2.encoding !== 'PLAIN') {
        const d = readDataPageV2(body, header, this.decoder)
        return {def: d.definitionLevels, rep: d.repetitionLevels, values: d.dataPage as DecodedArray | ByteArrays, encoding: v2.encoding}
      }
      const reader = {view: new DataView(body.buffer, body.byteOffset, body.byteLength), offset: 0}
      const rep = maxRep ? readLevels(reader, maxRep, v2.num_values, v2.repetition_levels_byte_length) : []
      reader.offset = v2.repetition_levels_byte_length
      const def = this.maxDef ? readLevels(reader, this.maxDef, v2.num_values, v2.definition_levels_byte_length) : undefined
      const levelBytes = v2.repetition_levels_byte_length + v2.definition_levels_byte_length
      const data = body.subarray(levelBytes)
      const page = v2.is_compressed === false ? data : decompressPage(data, header.uncompressed_page_size - levelBytes, codec, compressors)
      return {def, rep, values: new ByteArrays(page, 0, v2.num_values - v2.num_nulls), encoding: v2.encoding}
    }
    return undefined
  }

  /** Makes file bytes [at, at + length) available in `buf`. */
  private async ensure(at: number, length: number): Promise<void> {
    if (at >= this.bufStart && at + length <= this.bufStart + this.buf.length) return
    const size = Math.min(Math.max(length, READ_AHEAD), this.end - at)
    if (size < length) throw new Error(`column chunk ends inside a page (needs ${length} bytes at ${at})`)
    const buf = Buffer.allocUnsafeSlow(size)
    const {bytesRead} = await this.file.read(buf, 0, size, at)
    if (bytesRead < size) throw new Error(`file ends inside a column chunk (byte ${at + bytesRead})`)
    this.buf = buf
    this.bufStart = at
  }

  private bytes(at: number, length: number): Uint8Array {
    return new Uint8Array(this.buf.buffer, this.buf.byteOffset + at - this.bufStart, length)
  }

  /** Reads the next page: a dictionary is kept, a data page becomes `page`, the chunk's end flushes `carry`. */
  private async nextPage(): Promise<void> {
    if (this.pos >= this.end) {
      if (this.carry) this.rows.push(this.carry)
      this.carry = undefined
      this.done = true
      return
    }
    // A header's length is only known once parsed: parse from a guess, retry with more bytes if it ran out.
    let header: PageHeader | undefined
    let headerLength = 0
    for (let guess = HEADER_GUESS; !header; guess *= 8) {
      const length = Math.min(guess, this.end - this.pos)
      await this.ensure(this.pos, length)
      const bytes = this.bytes(this.pos, length)
      const reader = {view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: 0}
      try {
        header = parquetHeader(reader)
        headerLength = reader.offset
      } catch (error) {
        if (!(error instanceof RangeError) || length === this.end - this.pos) throw error
      }
    }
    await this.ensure(this.pos, headerLength + header.compressed_page_size)
    const body = this.bytes(this.pos + headerLength, header.compressed_page_size)
    this.pos += headerLength + header.compressed_page_size
    this.onBytes?.(headerLength + header.compressed_page_size)
    // A page larger than the read-ahead is not kept once decoded.
    if (this.buf.length > READ_AHEAD) this.buf = Buffer.alloc(0)
    if (header.type === 'DICTIONARY_PAGE') {
      const reader = {view: new DataView(body.buffer, body.byteOffset, body.byteLength), offset: 0}
      const {data} = readPage(reader, header, this.decoder, undefined, undefined, 0)
      if (data) this.dictionary = convert(data, this.decoder)
      return
    }
    const decoded = this.decodeDataPage(header, body)
    if (!decoded) return
    const {def, rep, values, encoding} = decoded
    const levels = def?.length || rep.length
    // Writers do emit empty data pages (pyarrow); one must not close the row carried over from the last page.
    if (levels === 0 && values.length === 0) return
    this.page = {def: def?.length ? def : undefined, rep, values, encoding, levels, level: 0, value: 0}
  }
}

/** One top-level column: a leaf, or a nested column assembled from its leaves. */
interface TopColumn {
  name: string
  node: SchemaTree
  leaves: LeafColumn[]
}

/**
 * Rows converted and assembled per step. Small on purpose: a window's strings are short-lived, and V8 then
 * collects them in the young generation; at 256+ rows of chat text they get promoted and the heap grows by
 * hundreds of MB between full collections.
 */
const WINDOW = 64

/**
 * The rows of one row group as arrays of top-level column values (in schema order), a window at a time.
 * Throws ColumnError naming the leaf column when a page cannot be decoded.
 */
export async function* rowGroupRows(file: FileHandle, schema: SchemaTree, group: RowGroup, opts: PageReadOptions): AsyncGenerator<unknown[][]> {
  const parsers = {...DEFAULT_PARSERS, ...opts.parsers}
  const leaves: LeafColumn[] = []
  for (const chunk of group.columns) {
    const meta = chunk.meta_data
    if (!meta) throw new ColumnError('?', new Error('column chunk without metadata'))
    const schemaPath = getTreePath(schema, meta.path_in_schema)
    const leaf = schemaPath.at(-1)
    if (!leaf) throw new ColumnError(meta.path_in_schema.join('.'), new Error('column not in the schema'))
    const decoder: ColumnDecoder = {
      pathInSchema: meta.path_in_schema,
      element: leaf.element,
      schemaPath,
      type: meta.type,
      codec: meta.codec,
      parsers,
      compressors: opts.compressors,
      utf8: false,
    }
    leaves.push(new LeafColumn(file, meta, decoder, opts.onBytes))
  }
  const columns: TopColumn[] = schema.children.map((node) => ({
    name: node.element.name,
    node,
    leaves: leaves.filter((l) => l.top === node.element.name),
  }))
  const window = opts.window ?? WINDOW
  let remaining = Number(group.num_rows)
  while (remaining > 0) {
    for (const leaf of leaves) await leaf.fill(Math.min(window, remaining))
    const k = Math.min(remaining, ...leaves.map((l) => l.available))
    if (k === 0) {
      const short = leaves.find((l) => l.available === 0)
      throw new ColumnError(short?.path ?? '?', new Error(`column has fewer rows than the row group's ${group.num_rows}`))
    }
    yield columns.map((c) => assemble(c, k, parsers))
    remaining -= k
  }
}

function assemble(column: TopColumn, k: number, parsers: ParquetParsers): unknown[] {
  if (column.node.children.length === 0) return column.leaves[0]?.take(k) ?? new Array<unknown>(k).fill(null)
  const parts = new Map<string, DecodedArray>(column.leaves.map((l) => [l.path, l.take(k) as DecodedArray]))
  try {
    assembleNested(parts, column.node, parsers)
  } catch (error) {
    throw new ColumnError(column.name, error)
  }
  return (parts.get(column.name) as unknown[] | undefined) ?? new Array<unknown>(k).fill(null)
}

/** Plain-encoded byte arrays of a page ([u32 length][bytes]...), found once, turned into views per window. */
class ByteArrays {
  private readonly starts: Uint32Array
  constructor(private readonly page: Uint8Array, offset: number, readonly length: number) {
    const view = new DataView(page.buffer, page.byteOffset, page.byteLength)
    this.starts = new Uint32Array(length + 1)
    let at = offset
    for (let i = 0; i < length; i++) {
      this.starts[i] = at + 4
      at += 4 + view.getUint32(at, true)
    }
    if (at > page.length) throw new Error(`byte array values run past the end of the page (${at} > ${page.length})`)
    this.starts[length] = at + 4
  }

  slice(from: number, to: number): Uint8Array[] {
    to = Math.min(to, this.length)
    const out = new Array<Uint8Array>(Math.max(0, to - from))
    for (let i = from; i < to; i++) {
      const start = this.starts[i]!
      out[i - from] = this.page.subarray(start, this.starts[i + 1]! - 4)
    }
    return out
  }
}

/** Repetition or definition levels (RLE/bit-packed hybrid), length-prefixed in v1 pages. */
function readLevels(reader: {view: DataView; offset: number}, max: number, count: number, byteLength?: number): number[] {
  const out = new Array<number>(count)
  readRleBitPackedHybrid(reader, 32 - Math.clz32(max), out, byteLength)
  return out
}

/** How many values a page holds: one per level at the maximum definition level. */
function present(def: number[] | undefined, maxDef: number, levels: number): number {
  if (!def) return levels
  let n = 0
  for (const d of def) if (d === maxDef) n++
  return n
}
