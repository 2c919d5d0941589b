import {Vector} from 'apache-arrow'

import {newRecord} from './record.js'

/**
 * Values from binary formats → plain JSON-like JS values, so every reader yields the same kinds of records:
 * BigInt → number when exact (else decimal string), Date → ISO string, bytes → base64, Arrow vectors and
 * struct rows → arrays and null-prototype objects.
 */
export function toPlain(value: unknown): unknown {
  if (value === null || value === undefined) return null
  switch (typeof value) {
    case 'bigint':
      return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value.toString()
    case 'string':
    case 'number':
    case 'boolean':
      return value
    case 'object':
      break
    default:
      return String(value)
  }
  if (value instanceof Date) return value.toISOString()
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64')
  if (Array.isArray(value)) return value.map(toPlain)
  // Arrow list values are Vectors: their elements, in order.
  if (value instanceof Vector) return [...(value as Iterable<unknown>)].map(toPlain)
  // Arrow StructRow / MapRow: toJSON gives the fields (which may hold Vectors again).
  const v = value as {toJSON?: () => unknown}
  const source = typeof v.toJSON === 'function' ? (v.toJSON() as Record<string, unknown>) : (value as Record<string, unknown>)
  const out = newRecord()
  for (const key of Object.keys(source)) out[key] = toPlain(source[key])
  return out
}
