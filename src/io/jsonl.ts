import {InputError} from '../errors.js'
import {readBytes} from './bytes.js'
import {decodeText} from './decode.js'
import {DEPTH_HINT, isPlainObject, MAX_DEPTH, oneLine, preview, tooDeep} from './record.js'
import type {ReadOptions, Row} from './types.js'

/** One JSON object per line; blank lines are skipped. Errors name the line; with `onError` a bad line is skipped. */
export async function* readJsonl(path: string, opts: ReadOptions = {}): AsyncGenerator<Row> {
  let buf = ''
  let scanFrom = 0
  let line = opts.range ? opts.range.line - 1 : 0
  const bad = (text: string, at: number, code: string, message: string, suggestion: string): undefined => {
    const error = new InputError(code, message, {location: {file: path, line: at}, suggestion})
    if (!opts.onError) throw error
    opts.onError(error, text)
    return undefined
  }
  const parseLine = (text: string, at: number): Row | undefined => {
    if (text.trim() === '') return undefined
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch (error) {
      return bad(text, at, 'E_JSONL_PARSE', `invalid JSON (${oneLine((error as Error).message)})`,
        'each line must be one complete JSON object; a truncated last line means the file was cut short')
    }
    if (!isPlainObject(value)) {
      return bad(text, at, 'E_JSONL_NOT_OBJECT', `line is ${Array.isArray(value) ? 'an array' : `not an object: ${preview(value)}`}`,
        'every line must be a JSON object (one record)')
    }
    if (tooDeep(value)) return bad(text, at, 'E_JSON_DEPTH', `record nests deeper than ${MAX_DEPTH} levels`, DEPTH_HINT)
    return {record: value, source: path, line: at}
  }
  for await (const text of decodeText(readBytes(path, opts.onBytes, opts.range), path, opts.encoding, opts.range)) {
    buf += text
    let start = 0
    for (let nl = buf.indexOf('\n', scanFrom); nl !== -1; nl = buf.indexOf('\n', start)) {
      line++
      const row = parseLine(buf.slice(start, nl), line)
      start = nl + 1
      if (row) yield row
    }
    buf = buf.slice(start)
    scanFrom = buf.length
  }
  if (buf.length > 0) {
    const row = parseLine(buf, line + 1)
    if (row) yield row
  }
}
