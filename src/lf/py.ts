/**
 * The few Python value semantics LF's data code depends on, for JSON-shaped values: truthiness (`if x:`),
 * equality (`==`, `in` on a tuple), type names in error messages, and `json.dumps(..., ensure_ascii=False)`.
 */

/** Python `bool(x)`: None, False, 0, "", [] and {} are false; NaN is true. */
export function pyTruthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '' || v === 0n) return false
  if (Array.isArray(v)) return v.length > 0
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
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float'
  if (typeof v === 'string') return 'str'
  if (Array.isArray(v)) return 'list'
  return 'dict'
}

/** Python's repr of a JSON number: shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
function pyFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN'
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity'
  // JSON cannot say whether 1e16 was an int or a float; below 1e16 treat integral values as ints.
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return String(n)
  const [mantissa, exp] = n.toExponential().split('e') as [string, string]
  const e = Number(exp)
  if (e >= -4 && e < 16) return String(n)
  return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`
}

/**
 * `json.dumps(value, ensure_ascii=False)`: ", " and ": " separators, non-ASCII kept. JSON cannot tell 1.0 from
 * 1, so integral numbers print as ints; objects keep JS key order (integer-like keys first).
 */
export function pyJsonDumps(v: unknown): string {
  if (v === null || v === undefined) return 'null'
  if (v === true) return 'true'
  if (v === false) return 'false'
  if (typeof v === 'number') return pyFloat(v)
  if (typeof v === 'string') return JSON.stringify(v)
  if (Array.isArray(v)) return `[${v.map(pyJsonDumps).join(', ')}]`
  if (isDict(v)) return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${pyJsonDumps(x)}`).join(', ')}}`
  return JSON.stringify(String(v))
}

/** Python's repr of a string: single quotes unless only double quotes avoid escaping; control characters escaped. */
function pyReprString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'"
  let out = quote
  for (const ch of s) {
    const c = ch.codePointAt(0)!
    if (ch === '\\' || ch === quote) out += '\\' + ch
    else if (ch === '\n') out += '\\n'
    else if (ch === '\r') out += '\\r'
    else if (ch === '\t') out += '\\t'
    else if (c < 0x20 || (c >= 0x7f && c < 0xa0)) out += '\\x' + c.toString(16).padStart(2, '0')
    else out += ch
  }
  return out + quote
}

function pyRepr(v: unknown): string {
  return typeof v === 'string' ? pyReprString(v) : pyStr(v)
}

/**
 * Python's `str(x)` (and so `"{}".format(x)`) of a JSON value: strings as they are, None/True/False, and lists
 * and dicts with their items' repr (`['string', 'null']`). Python's repr also escapes non-printable Unicode
 * beyond C0/C1 controls; that is not reproduced.
 */
export function pyStr(v: unknown): string {
  if (v === null || v === undefined) return 'None'
  if (v === true) return 'True'
  if (v === false) return 'False'
  if (typeof v === 'number') return pyFloat(v)
  if (typeof v === 'string') return v
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`
  return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${pyReprString(k)}: ${pyRepr(x)}`).join(', ')}}`
}
