import {Bool, Field, List, RecordBatchStreamWriter, Schema, Struct, Table, Utf8, vectorFromArray, type DataType} from 'apache-arrow'

import {LfdataError, ExitCode} from '../errors.js'
import type {RecordEncoder} from './types.js'

/** Column types of an output, declared up front so every batch has the same Arrow schema. */
export type ColumnType = 'string' | 'bool' | {list: ColumnType} | {struct: Record<string, ColumnType>}

function arrowType(t: ColumnType): DataType {
  if (t === 'string') return new Utf8()
  if (t === 'bool') return new Bool()
  if ('list' in t) return new List(new Field('item', arrowType(t.list), true))
  return new Struct(Object.entries(t.struct).map(([name, sub]) => new Field(name, arrowType(sub), true)))
}

const BATCH = 4096
/** The IPC stream's end-of-stream marker: continuation 0xFFFFFFFF then a zero length. */
const EOS = Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0])

/**
 * An Arrow IPC *stream* (what HF datasets' `arrow` builder, and so LF, loads), written in record batches of
 * 4,096 rows so memory stays bounded. The schema comes from the declared column types, never from sniffing.
 * Each batch is serialised on its own and framed by the IPC stream layout (one schema message first, record
 * batch messages, the EOS marker last), so bytes leave as soon as a batch is full.
 */
export function arrowEncoder(columns: Record<string, ColumnType>): RecordEncoder {
  const types = Object.entries(columns).map(([name, t]) => [name, arrowType(t)] as const)
  const schema = new Schema(types.map(([name, type]) => new Field(name, type, true)))
  // Bytes of the schema message alone: an empty stream is [schema][EOS].
  const schemaBytes = RecordBatchStreamWriter.writeAll(new Table(schema)).toUint8Array(true).subarray(0, -EOS.length)
  let pending: Record<string, unknown>[] = []
  const batchBytes = (): Uint8Array => {
    if (pending.length === 0) return new Uint8Array(0)
    const vectors = Object.fromEntries(types.map(([name, type]) => {
      try {
        return [name, vectorFromArray(pending.map((r) => r[name] ?? null), type)]
      } catch (error) {
        throw new LfdataError('E_ARROW_SCHEMA', ExitCode.internal, `column ${name} does not fit ${type} (${(error as Error).message})`)
      }
    }))
    pending = []
    const stream = RecordBatchStreamWriter.writeAll(new Table(vectors)).toUint8Array(true)
    return stream.subarray(schemaBytes.length, stream.length - EOS.length)
  }
  return {
    start: () => schemaBytes,
    encode(record) {
      pending.push(record)
      return pending.length >= BATCH ? batchBytes() : ''
    },
    finish() {
      const last = batchBytes()
      const out = new Uint8Array(last.length + EOS.length)
      out.set(last)
      out.set(EOS, last.length)
      return out
    },
  }
}
