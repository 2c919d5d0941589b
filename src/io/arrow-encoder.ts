import {
  Bool, Field, Float64, Int64, List, RecordBatch, RecordBatchStreamWriter, Schema, Struct, Table, Utf8, makeData, vectorFromArray,
  type DataType,
} from 'apache-arrow'

import {ExitCode, LfdataError} from '../errors.js'
import {isPlainObject, newRecord} from './record.js'
import type {RecordEncoder} from './types.js'

/** The type of an output column; every record of an Arrow output has the same ones. */
export type ColumnType = 'string' | 'bool' | 'int' | 'float' | {list: ColumnType} | {struct: Record<string, ColumnType>}

export interface ArrowEncoderOptions {
  /** Records per record batch (default 4,096): memory holds one batch. */
  batchSize?: number
}

/** The IPC stream's end-of-stream marker: continuation 0xFFFFFFFF then a zero length. */
const EOS = Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0])

/**
 * An Arrow IPC *stream* (what HF datasets' `arrow` builder, and so LF, loads) with one schema for every batch.
 * `columns` declares the schema (convert knows its output shape); without it the schema is inferred from the
 * first batch of records. Records are buffered `batchSize` at a time and each full batch leaves as bytes at
 * once, framed as the stream layout wants: the schema message first, record batches, the EOS marker last.
 * A record that does not fit the schema (a key the schema lacks, a value of another type) throws rather
 * than being coerced or dropped.
 */
export function arrowEncoder(columns?: Record<string, ColumnType>, options: ArrowEncoderOptions = {}): RecordEncoder {
  const batchSize = options.batchSize ?? 4096
  let layout = columns ? schemaFor(columns) : undefined
  let pending: Record<string, unknown>[] = []
  let written = 0

  const flush = (): Uint8Array => {
    let head: Uint8Array = new Uint8Array(0)
    if (!layout) {
      layout = schemaFor(inferColumns(pending))
      head = layout.schemaBytes
    }
    if (pending.length === 0) return head
    const {schema, types, schemaBytes} = layout
    const children = types.map(([name, type]) => {
      const {data} = vectorFromArray(pending.map((r) => toArrow(r[name], type)), arrowType(type))
      // apache-arrow builds one chunk per array; anything else would not fit one record batch.
      if (data.length !== 1) throw new LfdataError('E_ARROW_INTERNAL', ExitCode.internal, `column ${name} came out in ${data.length} chunks, not one`)
      return data[0]!
    })
    const batch = new RecordBatch(schema, makeData({type: new Struct(schema.fields), length: pending.length, children}))
    pending = []
    const stream = RecordBatchStreamWriter.writeAll(new Table(schema, [batch])).toUint8Array(true)
    return concat(head, stream.subarray(schemaBytes.length, stream.length - EOS.length))
  }

  return {
    start: () => layout?.schemaBytes ?? '',
    encode(record) {
      written++
      if (layout) check(record, layout.types, written, columns !== undefined)
      pending.push(record)
      // The first batch's records need no check when they are what the schema was inferred from.
      return pending.length < batchSize ? '' : flush()
    },
    finish: () => concat(flush(), EOS),
  }
}

interface Layout {
  schema: Schema
  types: [string, ColumnType][]
  /** The stream's first message; every batch is serialised with this same schema. */
  schemaBytes: Uint8Array
}

function schemaFor(columns: Record<string, ColumnType>): Layout {
  const types = Object.entries(columns)
  const schema = new Schema(types.map(([name, type]) => new Field(name, arrowType(type), true)))
  const empty = RecordBatchStreamWriter.writeAll(new Table(schema)).toUint8Array(true)
  return {schema, types, schemaBytes: empty.subarray(0, empty.length - EOS.length)}
}

function arrowType(t: ColumnType): DataType {
  if (t === 'string') return new Utf8()
  if (t === 'bool') return new Bool()
  if (t === 'int') return new Int64()
  if (t === 'float') return new Float64()
  if ('list' in t) return new List(new Field('item', arrowType(t.list), true))
  return new Struct(Object.entries(t.struct).map(([name, sub]) => new Field(name, arrowType(sub), true)))
}

/** apache-arrow's Int64 builder takes BigInts; everything else goes in as is. */
function toArrow(value: unknown, t: ColumnType): unknown {
  if (value === null || value === undefined) return null
  if (t === 'int') return BigInt(value as number)
  if (typeof t === 'string') return value
  if ('list' in t) return hasInt(t.list) ? (value as unknown[]).map((v) => toArrow(v, t.list)) : value
  if (!hasInt(t)) return value
  const out = newRecord()
  for (const [name, sub] of Object.entries(t.struct)) out[name] = toArrow((value as Record<string, unknown>)[name], sub)
  return out
}

function hasInt(t: ColumnType): boolean {
  if (typeof t === 'string') return t === 'int'
  return 'list' in t ? hasInt(t.list) : Object.values(t.struct).some(hasInt)
}

/** Throws when `record` does not fit the schema: a bug in convert when declared, mixed input shapes when inferred. */
function check(record: Record<string, unknown>, types: [string, ColumnType][], n: number, declared: boolean): void {
  const why = misfitRecord(record, types)
  if (!why) return
  throw new LfdataError(declared ? 'E_ARROW_INTERNAL' : 'E_ARROW_SCHEMA', declared ? ExitCode.internal : ExitCode.badInput, `record ${n} does not fit the Arrow output's schema: ${why}`, {
    suggestion: declared ? 'this is a bug in lfdata; write JSONL (-o out.jsonl) meanwhile' : 'Arrow needs one type per column: make every record the same shape, or write JSONL',
  })
}

function misfitRecord(record: Record<string, unknown>, types: [string, ColumnType][]): string | undefined {
  const extra = Object.keys(record).find((k) => record[k] !== undefined && !types.some(([name]) => name === k))
  if (extra !== undefined) return `column ${extra} is not in the schema (${types.map(([name]) => name).join(', ')})`
  for (const [name, type] of types) {
    const why = misfit(record[name], type, name)
    if (why) return why
  }
  return undefined
}

function misfit(value: unknown, t: ColumnType, at: string): string | undefined {
  if (value === null || value === undefined) return undefined
  const is = (ok: boolean, what: string) => (ok ? undefined : `${at} is ${describe(value)}, not ${what}`)
  if (t === 'string') return is(typeof value === 'string', 'a string')
  if (t === 'bool') return is(typeof value === 'boolean', 'a boolean')
  if (t === 'int') return is(Number.isSafeInteger(value), 'an integer')
  if (t === 'float') return is(typeof value === 'number', 'a number')
  if ('list' in t) {
    if (!Array.isArray(value)) return is(false, 'a list')
    for (const [i, item] of value.entries()) {
      const why = misfit(item, t.list, `${at}[${i}]`)
      if (why) return why
    }
    return undefined
  }
  if (!isPlainObject(value)) return is(false, 'an object')
  const extra = Object.keys(value).find((k) => !(k in t.struct) && value[k] !== undefined)
  if (extra !== undefined) return `${at}.${extra} is not in the schema`
  for (const [name, sub] of Object.entries(t.struct)) {
    const why = misfit(value[name], sub, `${at}.${name}`)
    if (why) return why
  }
  return undefined
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number'
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}

/** Column types from records: keys in first-seen order, each column's type from its non-null values. */
export function inferColumns(records: Record<string, unknown>[], prefix = ''): Record<string, ColumnType> {
  const columns: Record<string, ColumnType> = {}
  const values = new Map<string, unknown[]>()
  for (const r of records) {
    for (const [k, v] of Object.entries(r)) {
      if (!values.has(k)) values.set(k, [])
      values.get(k)!.push(v)
    }
  }
  for (const [k, vs] of values) columns[k] = inferType(vs, prefix + k)
  return columns
}

function inferType(values: unknown[], at: string): ColumnType {
  const present = values.filter((v) => v !== null && v !== undefined)
  const kinds = new Set(present.map((v) => (Array.isArray(v) ? 'list' : typeof v)))
  if (kinds.size > 1) {
    throw new LfdataError('E_ARROW_SCHEMA', ExitCode.badInput, `column ${at} mixes ${[...kinds].join(' and ')} values; an Arrow column has one type`, {
      suggestion: 'make every record the same shape, or write JSONL',
    })
  }
  const [kind = 'string'] = kinds
  if (kind === 'string') return 'string'
  if (kind === 'boolean') return 'bool'
  if (kind === 'number') return present.every((v) => Number.isSafeInteger(v)) ? 'int' : 'float'
  if (kind === 'list') return {list: inferType((present as unknown[][]).flat(), `${at}[]`)}
  if (kind === 'object') return {struct: inferColumns(present as Record<string, unknown>[], `${at}.`)}
  throw new LfdataError('E_ARROW_SCHEMA', ExitCode.badInput, `column ${at} holds ${kind} values, which Arrow output does not support`)
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b
  const out = new Uint8Array(a.length + b.length)
  out.set(a)
  out.set(b, a.length)
  return out
}
