/**
 * Where and why a text is not JSON, worded and positioned as Python's json module reports it (LF reads
 * dataset_info.json with json.load): "Expecting ',' delimiter: line 3 column 5 (char 27)". JSON.parse gives
 * no position for several errors, so this small scanner finds the first one itself.
 */

export interface JsonSyntaxError {
  /** Python's message without the position, e.g. "Expecting value". */
  reason: string
  /** 1-based line and column, and the 0-based character (code point) offset, as Python counts them. */
  line: number
  column: number
  char: number
}

class Stop {
  constructor(readonly reason: string, readonly at: number) {}
}

const WS = new Set([' ', '\t', '\n', '\r'])
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?/y

function scan(s: string): void {
  let i = 0
  const ws = () => {
    while (i < s.length && WS.has(s[i]!)) i++
  }
  const string = (): void => {
    const start = i++
    for (;;) {
      if (i >= s.length) throw new Stop('Unterminated string starting at', start)
      const c = s.charCodeAt(i)
      if (c === 0x22) {
        i++
        return
      }
      if (c < 0x20) throw new Stop('Invalid control character at', i)
      if (c === 0x5c) {
        const e = s[i + 1]
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(s.slice(i + 2, i + 6))) throw new Stop('Invalid \\uXXXX escape', i + 1)
          i += 6
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
          i += 2
        } else {
          if (e === undefined) throw new Stop('Unterminated string starting at', start)
          throw new Stop('Invalid \\escape', i)
        }
      } else {
        i++
      }
    }
  }
  const value = (): void => {
    const c = s[i]
    if (c === '"') return string()
    if (c === '{') {
      i++
      ws()
      if (s[i] === '}') {
        i++
        return
      }
      for (;;) {
        if (s[i] !== '"') throw new Stop('Expecting property name enclosed in double quotes', i)
        string()
        ws()
        if (s[i] !== ':') throw new Stop("Expecting ':' delimiter", i)
        i++
        ws()
        value()
        ws()
        if (s[i] === '}') {
          i++
          return
        }
        if (s[i] !== ',') throw new Stop("Expecting ',' delimiter", i)
        i++
        ws()
      }
    }
    if (c === '[') {
      i++
      ws()
      if (s[i] === ']') {
        i++
        return
      }
      for (;;) {
        value()
        ws()
        if (s[i] === ']') {
          i++
          return
        }
        if (s[i] !== ',') throw new Stop("Expecting ',' delimiter", i)
        i++
        ws()
      }
    }
    for (const word of ['null', 'true', 'false']) {
      if (s.startsWith(word, i)) {
        i += word.length
        return
      }
    }
    NUMBER.lastIndex = i
    const m = NUMBER.exec(s)
    if (!m) throw new Stop('Expecting value', i)
    i += m[0].length
  }
  ws()
  value()
  ws()
  if (i < s.length) throw new Stop('Extra data', i)
}

/** Python's line/column/char of a UTF-16 index (Python counts code points). */
export function pythonPosition(s: string, index: number): {line: number; column: number; char: number} {
  const before = s.slice(0, index)
  const line = before.split('\n').length
  const lastNl = before.lastIndexOf('\n')
  return {line, column: [...before.slice(lastNl + 1)].length + 1, char: [...before].length}
}

/** The first JSON syntax error in `s` (strict JSON: no NaN, comments or trailing commas), or undefined. */
export function findJsonError(s: string): JsonSyntaxError | undefined {
  if (s.charCodeAt(0) === 0xfeff) return {reason: 'Unexpected UTF-8 BOM (decode using utf-8-sig)', line: 1, column: 1, char: 0}
  try {
    scan(s)
    return undefined
  } catch (error) {
    if (!(error instanceof Stop)) throw error
    return {reason: error.reason, ...pythonPosition(s, error.at)}
  }
}

/** "Expecting value: line 1 column 1 (char 0)", Python's wording. */
export const formatJsonError = (e: JsonSyntaxError): string => `${e.reason}: line ${e.line} column ${e.column} (char ${e.char})`
