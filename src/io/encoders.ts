import {UsageError} from '../errors.js'
import type {ColumnType} from './arrow-encoder.js'
import type {OutputFormat, RecordEncoder} from './types.js'

export const jsonlEncoder = (): RecordEncoder => ({
  start: () => '',
  encode: (record) => JSON.stringify(record) + '\n',
  finish: () => '',
  jsonLines: (lines) => lines,
})

const SEPARATOR = Buffer.from(',\n')

/** A JSON array with one record per line, so the file stays greppable and diffable. */
export function jsonArrayEncoder(): RecordEncoder {
  let first = true
  return {
    start: () => '[',
    encode(record) {
      const sep = first ? '\n' : ',\n'
      first = false
      return sep + JSON.stringify(record)
    },
    finish: () => (first ? ']\n' : '\n]\n'),
    jsonLines(lines) {
      // "A\nB\n" → "\nA,\nB" (or ",\nA,\nB" after earlier records): each line's "\n" moves in front as the separator.
      const out = Buffer.allocUnsafe(2 * lines.length) // a line of L bytes becomes at most L + 1
      let o = 0
      for (let start = 0; start < lines.length; ) {
        const end = lines.indexOf(0x0a, start)
        o += first ? out.write('\n', o) : SEPARATOR.copy(out, o)
        first = false
        out.set(lines.subarray(start, end), o)
        o += end - start
        start = end + 1
      }
      return out.subarray(0, o)
    },
  }
}

/**
 * Output format from the path: .json → array, .arrow/.feather → Arrow IPC stream, .jsonl/.ndjson and stdout
 * (-) → JSONL. Any other name is refused (exit 2) rather than silently written as JSONL under a name that
 * promises another format (out.parquet, out.csv, out.jsonl.gz).
 */
export function outputFormatFor(path: string): OutputFormat {
  const lower = path.toLowerCase()
  if (lower.endsWith('.json')) return 'json'
  if (lower.endsWith('.arrow') || lower.endsWith('.feather')) return 'arrow'
  if (path === '-' || lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl'
  throw new UsageError(`cannot write ${path}: convert writes .jsonl, .json and .arrow files`, {code: 'E_OUTPUT_FORMAT', suggestion: 'name the output .jsonl (JSON Lines), .json (one array) or .arrow (Arrow IPC)'})
}

/** The encoder for a format; Arrow needs the column types up front (`columns`). */
export async function encoderFor(format: OutputFormat, columns: Record<string, ColumnType>): Promise<RecordEncoder> {
  if (format === 'json') return jsonArrayEncoder()
  if (format === 'arrow') return (await import('./arrow-encoder.js')).arrowEncoder(columns)
  return jsonlEncoder()
}
