import {Bool, Field, List, RecordBatchStreamWriter, Struct, Table, Utf8, vectorFromArray, type DataType} from 'apache-arrow'

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

/**
 * An Arrow IPC *stream* (what HF datasets' `arrow` builder, and so LF, loads), written in record batches of
 * 4,096 rows so memory stays bounded. The schema comes from the declared column types, never from sniffing.
 */
export function arrowEncoder(columns: Record<string, ColumnType>): RecordEncoder {
  const types = Object.entries(columns).map(([name, t]) => [name, arrowType(t)] as const)
  const writer = new RecordBatchStreamWriter()
  let pending: Record<string, unknown>[] = []
  const flush = (): Uint8Array => {
    if (pending.length > 0) {
      const vectors = Object.fromEntries(types.map(([name, type]) => {
        try {
          return [name, vectorFromArray(pending.map((r) => r[name] ?? null), type)]
        } catch (error) {
          throw new LfdataError('E_ARROW_SCHEMA', ExitCode.internal, `column ${name} does not fit ${type} (${(error as Error).message})`)
        }
      }))
      for (const batch of new Table(vectors).batches) writer.write(batch)
      pending = []
    }
    return writer.toUint8Array(true)
  }
  return {
    start: () => '',
    encode(record) {
      pending.push(record)
      return pending.length >= BATCH ? flush() : ''
    },
    finish() {
      const last = flush()
      writer.finish()
      const tail = writer.toUint8Array(true)
      const out = new Uint8Array(last.length + tail.length)
      out.set(last)
      out.set(tail, last.length)
      return out
    },
  }
}
