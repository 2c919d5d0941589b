import type {RawRecord} from './types.js'

/** A record with no prototype: keys such as `__proto__` or `constructor` are plain data, never prototype edits. */
export function newRecord(): RawRecord {
  return Object.create(null) as RawRecord
}

/** True for a JSON object (not an array, not null). */
export function isPlainObject(value: unknown): value is RawRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Short preview of a value for one-line error messages. */
export function preview(value: unknown, max = 60): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value)
  return text.length > max ? `${text.slice(0, max)}…` : text
}

/** V8's JSON errors quote the text around the error, newlines included; keep messages to one line. */
export function oneLine(message: string, max = 120): string {
  const flat = message.replace(/\s*\n\s*/g, ' ')
  return flat.length > max ? `${flat.slice(0, max)}…` : flat
}
