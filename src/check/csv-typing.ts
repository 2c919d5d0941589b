import type {RawRecord, Row} from '../io/types.js'

/** pandas' default na_values: cells read_csv turns into NaN, which LF then sees as None. */
export const PANDAS_NA: ReadonlySet<string> = new Set([
  '', '#N/A', '#N/A N/A', '#NA', '-1.#IND', '-1.#QNAN', '-NaN', '-nan', '1.#IND', '1.#QNAN', '<NA>', 'N/A', 'NA', 'NULL', 'NaN',
  'None', 'n/a', 'nan', 'null',
])

const NUMBER = /^\s*[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|inf(?:inity)?)\s*$/i
const TRUE = new Set(['True', 'TRUE', 'true'])
const FALSE = new Set(['False', 'FALSE', 'false'])

/** What pandas makes of a column: numbers (an all-NA column is float NaN too), booleans, or text. */
export type CsvKind = 'number' | 'bool' | 'string'

/** The column types of a dataset, fixed by its first chunk: datasets' Arrow writer casts every later chunk to them. */
export interface CsvSchema {
  kinds?: Map<string, CsvKind>
}

export type CsvNote =
  /** A non-empty cell pandas reads as NaN (LF sees None). */
  | {type: 'na'; column: string; cell: string}
  /** The cell's chunk was inferred as `chunk` but the dataset's schema says `schema`: the cast fails. */
  | {type: 'cast'; column: string; schema: CsvKind; chunk: CsvKind; cell: string}

export interface TypedRow extends Row {
  /** `record` with the values LF gets from pandas (null, numbers, booleans, text). */
  typed: RawRecord
  notes: CsvNote[]
}

function inferKind(cells: string[]): CsvKind {
  let numbers = true
  let bools = true
  for (const cell of cells) {
    if (PANDAS_NA.has(cell)) continue
    if (numbers && !NUMBER.test(cell)) numbers = false
    if (bools && !TRUE.has(cell) && !FALSE.has(cell)) bools = false
    if (!numbers && !bools) return 'string'
  }
  return numbers ? 'number' : 'bool'
}

const toNumber = (cell: string): number => {
  const t = cell.trim().toLowerCase().replace(/^\+/, '')
  return t === 'inf' || t === 'infinity' ? Infinity : t === '-inf' || t === '-infinity' ? -Infinity : Number(t)
}

/** A cell of a chunk of kind `chunk`, cast to the schema's kind; undefined when the cast fails. */
function valueOf(cell: string, chunk: CsvKind, schema: CsvKind): unknown {
  if (chunk === 'string') {
    if (schema === 'string') return cell
    if (schema === 'number') return NUMBER.test(cell) ? toNumber(cell) : undefined
    return TRUE.has(cell) ? true : FALSE.has(cell) ? false : undefined
  }
  if (chunk === 'number') return schema === 'string' ? cell.trim() : schema === 'bool' ? toNumber(cell) !== 0 : toNumber(cell)
  const b = TRUE.has(cell)
  return schema === 'string' ? String(b) : schema === 'number' ? Number(b) : b
}

/**
 * What LF's CSV loader (HF datasets → pandas.read_csv in 10,000-row chunks → Arrow) hands the converter:
 * NA-like cells become null, columns whose cells are all numbers (or booleans) become numbers (booleans), each
 * chunk inferred on its own and cast to the types of the dataset's first chunk — a text cell in a column the
 * first chunk made numeric fails that cast. Buffers one chunk of rows at a time.
 */
export function pandasRows(schema: CsvSchema, chunkSize = 10_000): (rows: AsyncIterable<Row>) => AsyncGenerator<TypedRow> {
  if (!(chunkSize >= 1)) throw new RangeError('chunkSize must be >= 1')
  return async function* (rows) {
    let chunk: Row[] = []
    for await (const row of rows) {
      chunk.push(row)
      if (chunk.length >= chunkSize) {
        yield* typeChunk(chunk, schema)
        chunk = []
      }
    }
    if (chunk.length > 0) yield* typeChunk(chunk, schema)
  }
}

function* typeChunk(chunk: Row[], schema: CsvSchema): Generator<TypedRow> {
  const columns = Object.keys(chunk[0]!.record)
  const kinds = new Map(columns.map((c) => [c, inferKind(chunk.map((r) => String(r.record[c] ?? '')))]))
  schema.kinds ??= kinds
  const castFailed = new Set<string>()
  for (const row of chunk) {
    const typed: RawRecord = Object.create(null) as RawRecord
    const notes: CsvNote[] = []
    for (const column of columns) {
      const cell = String(row.record[column] ?? '')
      if (PANDAS_NA.has(cell)) {
        typed[column] = null
        if (cell !== '') notes.push({type: 'na', column, cell})
        continue
      }
      const kind = kinds.get(column)!
      const target = schema.kinds.get(column) ?? kind
      const value = valueOf(cell, kind, target)
      if (value === undefined) {
        typed[column] = cell
        if (!castFailed.has(column)) notes.push({type: 'cast', column, schema: target, chunk: kind, cell})
        castFailed.add(column)
      } else typed[column] = value
    }
    yield {...row, typed, notes}
  }
}
