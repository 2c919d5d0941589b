/**
 * A reader for the small part of Python that LF's register_template calls are written in: string literals
 * (prefixes, escapes, implicit concatenation, triple quotes), numbers, True/False/None, lists, tuples, sets,
 * dicts and calls with keyword arguments. Enough to read data/template.py statically, without Python.
 */

const PUNCT = new Set(['(', ')', '[', ']', '{', '}', ',', ':', '=', '.', '*', '+', '-', '|'])

function unescape(body, raw) {
  if (raw) return body
  return body.replace(/\\(\r?\n|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|.)/gs, (m, e) => {
    if (e === '\n' || e === '\r\n') return ''
    const simple = {n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v'}
    if (e in simple) return simple[e]
    if (/^[xuU]/.test(e)) return String.fromCodePoint(parseInt(e.slice(1), 16))
    if (/^[0-7]/.test(e)) return String.fromCodePoint(parseInt(e, 8))
    return m // unknown escapes stay as written, as in Python
  })
}

/** Tokens of a Python source: {t: 'str'|'name'|'num'|'op', v, line}. Comments and newlines are dropped. */
export function tokenize(src) {
  const out = []
  let i = 0
  let line = 1
  while (i < src.length) {
    const c = src[i]
    if (c === '\n') {
      line++
      i++
    } else if (c === ' ' || c === '\t' || c === '\r' || c === '\\') i++
    else if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++
    } else {
      const str = /^([rRbBuUfF]{0,2})('''|"""|'|")/.exec(src.slice(i, i + 5))
      if (str && (str[1] === '' || /[A-Za-z_]/.test(c))) {
        const prefix = str[1].toLowerCase()
        const q = str[2]
        let j = i + str[0].length
        let body = ''
        for (;;) {
          if (j >= src.length) throw new Error(`unterminated string at line ${line}`)
          if (src.startsWith(q, j)) break
          if (src[j] === '\\' && !prefix.includes('r')) {
            body += src.slice(j, j + 2)
            j += 2
          } else if (src[j] === '\\') {
            body += src.slice(j, j + 2)
            j += 2
          } else body += src[j++]
        }
        if (prefix.includes('f')) throw new Error(`f-string at line ${line} cannot be read statically`)
        out.push({t: 'str', v: unescape(body, prefix.includes('r')), line})
        line += (src.slice(i, j).match(/\n/g) ?? []).length
        i = j + q.length
        continue
      }
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i, i + 200))
      if (name) {
        out.push({t: 'name', v: name[0], line})
        i += name[0].length
        continue
      }
      const num = /^\d[\d_]*(\.\d*)?([eE][-+]?\d+)?/.exec(src.slice(i, i + 50))
      if (num) {
        out.push({t: 'num', v: Number(num[0].replace(/_/g, '')), line})
        i += num[0].length
        continue
      }
      out.push({t: 'op', v: c, line})
      i++
    }
  }
  return out
}

/**
 * Parsed values: strings, numbers, booleans, null, arrays (lists and tuples), {set: [...]}, {dict: {...}},
 * {call: 'Name', args: [...], kwargs: {...}} and {ref: 'a.b'} for names that are not literals.
 */
export class Parser {
  constructor(tokens) {
    this.toks = tokens
    this.i = 0
  }
  peek(k = 0) {
    return this.toks[this.i + k]
  }
  take(v) {
    const tok = this.toks[this.i]
    if (!tok || (v !== undefined && tok.v !== v)) throw new Error(`expected ${v} at line ${tok?.line ?? 'end'}, got ${tok?.v}`)
    this.i++
    return tok
  }
  isOp(v, k = 0) {
    const tok = this.peek(k)
    return tok?.t === 'op' && tok.v === v
  }
  /** A comma-separated sequence up to `close`; returns positional values and keyword arguments. */
  sequence(close) {
    const args = []
    const kwargs = {}
    let trailingComma = false
    while (!this.isOp(close)) {
      if (this.peek()?.t === 'name' && this.isOp('=', 1)) {
        const key = this.take().v
        this.take('=')
        kwargs[key] = this.expr()
      } else args.push(this.expr())
      trailingComma = false
      if (this.isOp(',')) {
        this.take(',')
        trailingComma = true
      } else break
    }
    this.take(close)
    return {args, kwargs, trailingComma}
  }
  expr() {
    const tok = this.take()
    if (tok.t === 'str') {
      let s = tok.v
      while (this.peek()?.t === 'str') s += this.take().v
      return s
    }
    if (tok.t === 'num') return tok.v
    if (tok.t === 'op' && tok.v === '-') return -this.expr()
    if (tok.t === 'op' && tok.v === '[') return this.sequence(']').args
    if (tok.t === 'op' && tok.v === '(') {
      const {args, trailingComma} = this.sequence(')')
      return args.length === 1 && !trailingComma ? args[0] : args
    }
    if (tok.t === 'op' && tok.v === '{') {
      if (this.isOp('}')) {
        this.take('}')
        return {dict: {}}
      }
      const first = this.expr()
      if (this.isOp(':')) {
        const dict = {}
        this.take(':')
        dict[first] = this.expr()
        while (this.isOp(',')) {
          this.take(',')
          if (this.isOp('}')) break
          const k = this.expr()
          this.take(':')
          dict[k] = this.expr()
        }
        this.take('}')
        return {dict}
      }
      const set = [first]
      while (this.isOp(',')) {
        this.take(',')
        if (this.isOp('}')) break
        set.push(this.expr())
      }
      this.take('}')
      return {set}
    }
    if (tok.t === 'name') {
      if (tok.v === 'True') return true
      if (tok.v === 'False') return false
      if (tok.v === 'None') return null
      let name = tok.v
      while (this.isOp('.') && this.peek(1)?.t === 'name') {
        this.take('.')
        name += '.' + this.take().v
      }
      if (this.isOp('(')) {
        this.take('(')
        const {args, kwargs} = this.sequence(')')
        return {call: name, args, kwargs}
      }
      return {ref: name}
    }
    throw new Error(`unexpected ${tok.v} at line ${tok.line}`)
  }
}

/** Every top-level `NAME(...)` call statement in a module (a call whose name starts a line at column 0). */
export function topLevelCalls(src, callName) {
  const calls = []
  const re = new RegExp(`^${callName}\\(`, 'gm')
  for (const m of src.matchAll(re)) {
    const line = src.slice(0, m.index).split('\n').length
    const parser = new Parser(tokenize(src.slice(m.index)))
    const value = parser.expr()
    calls.push({line, ...value})
  }
  return calls
}
