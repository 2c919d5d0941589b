import Papa from 'papaparse'

import {InputError} from '../errors.js'
import {readBytes} from './bytes.js'
import {decodeText} from './decode.js'
import {newRecord} from './record.js'
import type {ReadOptions, Row} from './types.js'

const SNIFF_DELIMITERS = [',', '\t', ';', '|']

function countNewlines(s: string, lineEnd = '\n'): number {
  let n = 0
  for (let i = s.indexOf(lineEnd); i !== -1; i = s.indexOf(lineEnd, i + 1)) n++
  return n
}

/** Header cells → unique, non-empty column names, as pandas names them ("Unnamed: 2", "a.1"). */
function headerNames(cells: string[]): string[] {
  const seen = new Map<string, number>()
  return cells.map((raw, i) => {
    const base = raw.trim() === '' ? `Unnamed: ${i}` : raw
    const n = seen.get(base) ?? 0
    seen.set(base, n + 1)
    return n === 0 ? base : `${base}.${n}`
  })
}

/**
 * For convert, two header cells with one name are an error naming both: which of them holds the data is a
 * guess. Other commands read as pandas (and so LF) does: the second becomes "name.1".
 */
function duplicateHeader(cells: string[], line: number, file: string): void {
  const first = new Map<string, number>()
  cells.forEach((raw, i) => {
    const name = raw.trim()
    if (name === '') return
    const j = first.get(name)
    if (j === undefined) {
      first.set(name, i)
      return
    }
    throw new InputError('E_CSV_DUPLICATE_HEADER', `duplicate column name "${name}" (columns ${j + 1} and ${i + 1})`, {
      location: {file, line},
      suggestion: `rename one of the two "${name}" columns in the header, then --map the one that holds the data`,
    })
  })
}

/**
 * CSV/TSV with papaparse's parser core, driven chunk by chunk so memory stays flat. Each row carries the line
 * where it starts (the header is line 1). CRLF, LF and mixes are accepted; a BOM is dropped by the decoder.
 * Rows with fewer cells than the header are padded with "" (pandas fills NaN); more cells is an error.
 */
export async function* readCsv(path: string, opts: ReadOptions & {tsv?: boolean} = {}): AsyncGenerator<Row> {
  let buf = ''
  let parser: Papa.Parser | undefined
  let header: string[] | undefined
  let line = 1 // line where the next unparsed row starts
  let pendingSince = 0 // chars added since the last parse attempt (to keep huge quoted fields linear)
  let lineEnd = '\n'
  let delimiter = ','

  const fail = (code: string, message: string, atLine: number, suggestion: string): never => {
    throw new InputError(code, message, {location: {file: path, line: atLine}, suggestion})
  }

  /** A bad row: an error, or with `onError` reported (its cells joined as its text) and skipped. */
  const badRow = (cells: string[], code: string, message: string, atLine: number, suggestion: string): void => {
    const error = new InputError(code, message, {location: {file: path, line: atLine}, suggestion})
    if (!opts.onError) throw error
    opts.onError(error, cells.join(delimiter))
  }

  function* emit(rows: string[][], quoteErrors: Map<number, string> = new Map()): Generator<Row> {
    for (const [index, cells] of rows.entries()) {
      const startLine = line
      for (const cell of cells) if (cell.includes(lineEnd)) line += countNewlines(cell, lineEnd)
      line += 1
      const last = cells.length - 1
      if (last >= 0 && cells[last]!.endsWith('\r')) cells[last] = cells[last]!.slice(0, -1)
      const quoteError = quoteErrors.get(index)
      if (quoteError) {
        if (!header) fail('E_CSV_QUOTE', `${quoteError} in the header`, startLine, QUOTE_HINT) // nothing to resync to
        badRow(cells, 'E_CSV_QUOTE', quoteError, startLine, QUOTE_HINT)
        continue
      }
      if (cells.length === 1 && cells[0] === '') continue // blank line (pandas skips them)
      if (!header) {
        header = csvHeader(cells, startLine, path, opts.refuseDuplicateHeaders)
        if (opts.range) line = opts.range.line // the rows after the header start at the shard's range
        continue
      }
      if (cells.length > header.length) {
        badRow(cells, 'E_CSV_FIELDS', `expected ${header.length} fields, saw ${cells.length}`, startLine,
          'quote fields that contain the delimiter, or pass --delimiter')
        continue
      }
      const record = newRecord()
      for (let i = 0; i < header.length; i++) record[header[i]!] = cells[i] ?? ''
      yield {record, source: path, line: startLine}
    }
  }

  function parse(final: boolean): {result: Papa.ParseResult<string[]>; quoteErrors: Map<number, string>} {
    // A chunk that ends between a closing quote and the "\n" of its CRLF would read as a stray character
    // after the quote: leave a trailing CR for the next parse.
    const text = !final && buf.endsWith('\r') ? buf.slice(0, -1) : buf
    const result = parser!.parse(text, 0, !final) as Papa.ParseResult<string[]>
    // Rows with a quote error are reported where emit() reaches them, so lines before them count normally.
    const quoteErrors = new Map<number, string>()
    for (const e of result.errors) {
      if (e.code !== 'MissingQuotes' && e.code !== 'InvalidQuotes') continue
      if (!quoteErrors.has(e.row ?? 0)) quoteErrors.set(e.row ?? 0, e.code === 'MissingQuotes' ? 'unterminated quoted field' : 'malformed quote in a quoted field')
    }
    return {result, quoteErrors}
  }

  for await (const text of decodeText(readBytes(path, opts.onBytes, opts.range), path, opts.encoding, opts.range)) {
    if (!parser) {
      const dialect = csvDialect(text, opts)
      delimiter = dialect.delimiter
      parser = new Papa.Parser({delimiter, newline: dialect.newline, skipEmptyLines: false})
      lineEnd = dialect.newline
    }
    buf += text
    pendingSince += text.length
    // A quoted field may span chunks: wait until enough new text has arrived that re-parsing stays linear.
    if (pendingSince < (buf.length - pendingSince) && pendingSince < (1 << 24)) continue
    pendingSince = 0
    const {result, quoteErrors} = parse(false)
    yield* emit(result.data, quoteErrors)
    buf = buf.slice(result.meta.cursor)
  }
  if (!parser) return
  if (buf.length > 0) {
    const {result, quoteErrors} = parse(true)
    yield* emit(result.data, quoteErrors)
  }
}

/** A header row's cells → column names, as readCsv names them (refusing a repeated name when asked). */
export function csvHeader(cells: string[], line: number, file: string, refuseDuplicates = false): string[] {
  if (refuseDuplicates) duplicateHeader(cells, line, file)
  return headerNames(cells)
}

export interface CsvDialect {
  delimiter: string
  newline: '\n' | '\r'
}

/**
 * The delimiter and line end of a CSV/TSV input, from the first text decoded of it — the one decision readCsv
 * makes, which the shard planner and the plain-row lane repeat by calling this.
 */
export function csvDialect(firstText: string, opts: {delimiter?: string; range?: {delimiter?: string}; tsv?: boolean}): CsvDialect {
  return {
    delimiter: opts.delimiter ?? opts.range?.delimiter ?? (opts.tsv ? '\t' : sniffDelimiter(firstText)),
    // Classic Mac exports end lines with a lone CR; pandas reads those as line ends too.
    newline: firstText.includes('\r') && !firstText.includes('\n') ? '\r' : '\n',
  }
}

/** Whether a dialect's records can be found in the bytes: LF line ends and a one-byte ASCII delimiter that is no quote or line end. */
export function byteDialect({delimiter, newline}: CsvDialect): boolean {
  return newline === '\n' && delimiter.length === 1 && delimiter.charCodeAt(0) < 0x80 && !'"\r\n'.includes(delimiter)
}

const QUOTE_HINT = 'a quote inside a quoted field must be doubled (""); check the row for a missing closing quote'

/**
 * The delimiter of the first lines: the candidate that splits the header into the most fields while every
 * following sample row has that same count (quotes respected). Ties keep the order , TAB ; |.
 */
export function sniffDelimiter(sample: string): string {
  const head = sample.slice(0, 64 * 1024)
  let best = ','
  let bestFields = 1
  for (const delimiter of SNIFF_DELIMITERS) {
    const rows = Papa.parse<string[]>(head, {delimiter, preview: 20, skipEmptyLines: true}).data
    const complete = head.length < sample.length || !head.endsWith('\n') ? rows.slice(0, -1) : rows
    const fields = complete[0]?.length ?? rows[0]?.length ?? 1
    // Short rows are allowed (they are padded, as pandas does); longer ones mean this is not the delimiter.
    const fits = complete.every((r) => r.length <= fields) && complete.filter((r) => r.length === fields).length * 2 >= complete.length
    if (fields > bestFields && fits) [best, bestFields] = [delimiter, fields]
  }
  return best
}
