/**
 * The few Python value semantics LF's data code depends on, for JSON-shaped values: truthiness (`if x:`),
 * equality (`==`, `in` on a tuple), type names in error messages, and `json.dumps(..., ensure_ascii=False)`.
 */

/** Python `bool(x)`: None, False, 0, "", [] and {} are false; NaN is true. */
export function pyTruthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '' || v === 0n) return false
  if (Array.isArray(v)) return v.length > 0
  if (v instanceof PyFloat) return v.value !== 0
  if (v instanceof Map) return v.size > 0
  if (typeof v === 'object') return Object.keys(v).length > 0
  return true
}

const isDict = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Python `a == b` for JSON values (True == 1 and False == 0 hold in Python). */
export function pyEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (a === undefined || b === undefined) return (a ?? null) === (b ?? null)
  const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : undefined)
  const na = num(a)
  const nb = num(b)
  if (na !== undefined && nb !== undefined) return na === nb
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => pyEquals(x, b[i]))
  if (isDict(a) && isDict(b)) {
    const ka = Object.keys(a)
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && pyEquals(a[k], b[k]))
  }
  return false
}

/** The Python type name of a JSON value, as Python's own error messages print it. */
export function pyTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType'
  if (typeof v === 'boolean') return 'bool'
  if (typeof v === 'bigint') return 'int'
  if (v instanceof PyFloat) return 'float'
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float'
  if (typeof v === 'string') return 'str'
  if (Array.isArray(v)) return 'list'
  return 'dict'
}

/** A Python float (json.loads gives one for a number with a fraction or exponent: `1.0` stays a float). */
export class PyFloat {
  constructor(readonly value: number) {}
}

/**
 * What Python's json.loads returns, kept apart from JavaScript's own JSON: ints are bigints (exact at any
 * size), floats are PyFloat, objects are Maps (Python keeps key order as written; a JS object moves
 * integer-like keys first). Plain JS numbers and objects are accepted wherever a PyValue is read, for values
 * that came from JSON.parse (an integral number then counts as an int).
 */
export type PyValue = null | boolean | string | bigint | PyFloat | number | PyValue[] | Map<string, PyValue> | {[key: string]: PyValue}

/** float.__repr__: shortest round-trip digits, exponent form below 1e-4 and from 1e16 ("1e-07", "1e+16", "1.0"). */
export function pyFloatRepr(n: number): string {
  if (Number.isNaN(n)) return 'nan'
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf'
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0'
  const [mantissa, exp] = n.toExponential().split('e') as [string, string]
  const e = Number(exp)
  if (e >= -4 && e < 16) {
    const fixed = String(n)
    return fixed.includes('.') ? fixed : fixed + '.0'
  }
  return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`
}

/** A number as Python prints it: JS numbers that are integral (and below 1e16) as ints, the rest as floats. */
function pyNumber(v: number | bigint | PyFloat, json: boolean): string {
  if (typeof v === 'bigint') return v.toString()
  const n = v instanceof PyFloat ? v.value : v
  if (typeof v === 'number' && Number.isInteger(n) && Math.abs(n) < 1e16) return String(n)
  if (json && !Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity'
  return pyFloatRepr(n)
}

const entriesOf = (v: Map<string, PyValue> | Record<string, unknown>): [string, unknown][] => (v instanceof Map ? [...v.entries()] : Object.entries(v))
const isNumber = (v: unknown): v is number | bigint | PyFloat => typeof v === 'number' || typeof v === 'bigint' || v instanceof PyFloat

/** json.dumps' string encoder with ensure_ascii=False: only quotes, backslashes and C0 controls are escaped. */
function pyJsonString(s: string): string {
  // eslint-disable-next-line no-control-regex -- C0 controls are exactly what json.dumps escapes
  return '"' + s.replace(/[\x00-\x1f"\\]/g, (c) => {
    const short: Record<string, string> = {'"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f'}
    return short[c] ?? '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')
  }) + '"'
}

/**
 * `json.dumps(value, ensure_ascii=False[, indent=N])`: ", " and ": " separators (",\n" + indent with indent),
 * non-ASCII and lone surrogates kept, floats as Python's repr, NaN/Infinity as Python writes them.
 */
export function pyJsonDumps(v: unknown, indent?: number, depth = 0): string {
  if (v === null || v === undefined) return 'null'
  if (v === true) return 'true'
  if (v === false) return 'false'
  if (isNumber(v)) return pyNumber(v, true)
  if (typeof v === 'string') return pyJsonString(v)
  const pad = indent === undefined ? '' : '\n' + ' '.repeat(indent * (depth + 1))
  const end = indent === undefined ? '' : '\n' + ' '.repeat(indent * depth)
  const sep = indent === undefined ? ', ' : ','
  if (Array.isArray(v)) return v.length === 0 ? '[]' : `[${v.map((x) => pad + pyJsonDumps(x, indent, depth + 1)).join(sep)}${end}]`
  if (typeof v === 'object') {
    const entries = entriesOf(v as Record<string, unknown>)
    return entries.length === 0 ? '{}' : `{${entries.map(([k, x]) => `${pad}${pyJsonString(k)}: ${pyJsonDumps(x, indent, depth + 1)}`).join(sep)}${end}}`
  }
  return pyJsonString(String(v))
}

/** json.loads failed: Python raises json.JSONDecodeError (a ValueError) with this message. */
export class PyJsonError extends Error {}

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y
const WS = /[ \t\n\r]*/y

/** Python's `json.loads(text)`: ints, floats and key order as Python has them; NaN/Infinity accepted. */
export function pyJsonLoads(text: string): PyValue {
  let i = 0
  const fail = (msg: string): never => {
    throw new PyJsonError(`${msg}: line ${text.slice(0, i).split('\n').length} column ${i - text.lastIndexOf('\n', i - 1)} (char ${i})`)
  }
  const ws = () => {
    WS.lastIndex = i
    WS.exec(text)
    i = WS.lastIndex
  }
  const str = (): string => {
    i++ // opening quote
    let out = ''
    for (;;) {
      const c = text[i]
      if (c === undefined) fail('Unterminated string starting at')
      if (c === '"') {
        i++
        return out
      }
      if (c! < ' ') fail('Invalid control character at')
      if (c !== '\\') {
        out += c
        i++
        continue
      }
      const e = text[i + 1]
      const simple: Record<string, string> = {'"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t'}
      if (e !== undefined && e in simple) {
        out += simple[e]
        i += 2
      } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
        out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16))
        i += 6
      } else fail('Invalid \\escape')
    }
  }
  const value = (): PyValue => {
    ws()
    const c = text[i]
    if (c === '"') return str()
    if (c === '{') {
      i++
      const map = new Map<string, PyValue>()
      ws()
      if (text[i] === '}') {
        i++
        return map
      }
      for (;;) {
        ws()
        if (text[i] !== '"') fail('Expecting property name enclosed in double quotes')
        const key = str()
        ws()
        if (text[i] !== ':') fail("Expecting ':' delimiter")
        i++
        map.set(key, value())
        ws()
        if (text[i] === '}') {
          i++
          return map
        }
        if (text[i] !== ',') fail("Expecting ',' delimiter")
        i++
      }
    }
    if (c === '[') {
      i++
      const list: PyValue[] = []
      ws()
      if (text[i] === ']') {
        i++
        return list
      }
      for (;;) {
        list.push(value())
        ws()
        if (text[i] === ']') {
          i++
          return list
        }
        if (text[i] !== ',') fail("Expecting ',' delimiter")
        i++
      }
    }
    for (const [word, v] of [['null', null], ['true', true], ['false', false], ['NaN', new PyFloat(Number.NaN)], ['Infinity', new PyFloat(Infinity)], ['-Infinity', new PyFloat(-Infinity)]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length
        return v
      }
    }
    NUMBER.lastIndex = i
    const m = NUMBER.exec(text)
    if (!m) return fail('Expecting value')
    i = NUMBER.lastIndex
    return m[1] !== undefined || m[2] !== undefined ? new PyFloat(Number(m[0])) : BigInt(m[0])
  }
  const v = value()
  ws()
  if (i < text.length) fail('Extra data')
  return v
}

/** Python's repr of a string: single quotes unless only double quotes avoid escaping; control characters escaped. */
/** What str.isprintable() rejects: controls, format, surrogates, private use, unassigned, separators but the space. */
const NON_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u

function pyReprString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'"
  let out = quote
  for (const ch of s) {
    const c = ch.codePointAt(0)!
    if (ch === '\\' || ch === quote) out += '\\' + ch
    else if (ch === '\n') out += '\\n'
    else if (ch === '\r') out += '\\r'
    else if (ch === '\t') out += '\\t'
    else if (ch !== ' ' && NON_PRINTABLE.test(ch)) out += c < 0x100 ? '\\x' + c.toString(16).padStart(2, '0') : c < 0x10000 ? '\\u' + c.toString(16).padStart(4, '0') : '\\U' + c.toString(16).padStart(8, '0')
    else out += ch
  }
  return out + quote
}

function pyRepr(v: unknown): string {
  return typeof v === 'string' ? pyReprString(v) : pyStr(v)
}

/**
 * Python's `str(x)` (and so `"{}".format(x)`) of a JSON value: strings as they are, None/True/False, and lists
 * and dicts with their items' repr (`['string', 'null']`), non-printable characters escaped as repr does.
 */
export function pyStr(v: unknown): string {
  if (v === null || v === undefined) return 'None'
  if (v === true) return 'True'
  if (v === false) return 'False'
  if (isNumber(v)) return pyNumber(v, false)
  if (typeof v === 'string') return v
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`
  return `{${entriesOf(v as Record<string, unknown>).map(([k, x]) => `${pyReprString(k)}: ${pyRepr(x)}`).join(', ')}}`
}
