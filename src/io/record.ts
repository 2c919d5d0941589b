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
  let text: string
  try {
    text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value)
  } catch {
    text = Array.isArray(value) ? '[…]' : '{…}' // nested beyond the stack (readers refuse such records; belt and braces)
  }
  return text.length > max ? `${text.slice(0, max)}…` : text
}

/** JSON nesting beyond this is bad input: LF's loaders cannot read it, and recursive code (ours and theirs) overflows. */
export const MAX_DEPTH = 1000

export const DEPTH_HINT = 'flatten the record (LLaMA-Factory cannot load it either), or pass --on-error skip to leave it out'

/** Whether a parsed JSON value nests deeper than MAX_DEPTH (an object or array is one level). */
export function tooDeep(value: unknown, depth = 1): boolean {
  if (typeof value !== 'object' || value === null) return false
  if (depth > MAX_DEPTH) return true
  if (Array.isArray(value)) {
    for (const item of value) if (typeof item === 'object' && item !== null && tooDeep(item, depth + 1)) return true
    return false
  }
  for (const key in value) {
    const item = (value as RawRecord)[key]
    if (typeof item === 'object' && item !== null && tooDeep(item, depth + 1)) return true
  }
  return false
}

/** V8's JSON errors quote the text around the error, newlines included; keep messages to one line. */
export function oneLine(message: string, max = 120): string {
  const flat = message.replace(/\s*\n\s*/g, ' ')
  return flat.length > max ? `${flat.slice(0, max)}…` : flat
}

/**
 * Index of the first lone UTF-16 surrogate in `s` (a JSON "\ud800" escape with no partner), or -1. Such a
 * string has no UTF-8 form, so LF's loader fails on it. isWellFormed (native, Node 20) is the fast path.
 */
export function loneSurrogate(s: string): number {
  if ((s as string & {isWellFormed(): boolean}).isWellFormed()) return -1
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0xd800 || c > 0xdfff) continue
    if (c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++
    else return i
  }
  return -1
}
