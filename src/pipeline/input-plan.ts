import {InputError, UsageError} from '../errors.js'
import {readRows, scanKeys} from '../io/read.js'
import type {ReadOptions, Row} from '../io/types.js'
import type {Slice} from '../shard/plan.js'
import {resolveMapping, type Field, type Mapping} from '../transforms/mapping.js'

/** Records of stdin read ahead to learn its columns (stdin cannot be scanned twice). */
export const STDIN_LOOKAHEAD = 1000

/** Where each input's fields come from, decided from all of its columns before any record is mapped. */
export interface InputPlan {
  /** The mapping of the first input with records, widened by every field any input maps (for the output layout). */
  mapping: Mapping
  /** Each input's own mapping (inputs with different headers map differently). */
  mappingOf: (source: string) => Mapping
  /** Distinct mappings with the inputs that use them, for the summary. */
  groups: {mapping: Mapping; sources: string[]}[]
  /** Every row of every input, in order; or only the given byte ranges (a shard's slices). `read` reads one input (readRows). */
  rows<T = never>(slices?: Slice[], read?: (file: string, opts: ReadOptions) => AsyncGenerator<Row | T>): AsyncGenerator<Row | T>
}

export interface Prefetched {
  buffered: Row[]
  /** The rows after the buffered ones (the same open reader). */
  rest: AsyncGenerator<Row>
  /** Every key of the buffered records. */
  keys: Set<string>
}

/** The first `n` rows of an input, read ahead, with the union of their keys. */
export async function readAhead(file: string, readOpts: ReadOptions, n: number): Promise<Prefetched> {
  const rest = readRows(file, readOpts)
  const buffered: Row[] = []
  const keys = new Set<string>()
  while (buffered.length < n) {
    const next = await rest.next()
    if (next.done) break
    buffered.push(next.value)
    for (const key of Object.keys(next.value.record)) keys.add(key)
  }
  return {buffered, rest, keys}
}

const sameColumns = (a: Mapping, b: Mapping) => JSON.stringify(a.columns) === JSON.stringify(b.columns)

/**
 * Columns are the union over the input, never the first record's: JSON Lines / JSON arrays are scanned for
 * keys first (a byte scan), CSV/Parquet/Arrow name theirs in the header or schema, and stdin is read ahead
 * STDIN_LOOKAHEAD records; a later stdin record bringing a key that would change its mapping stops the run
 * (exit 3) instead of being silently ignored.
 */
export async function planInputs(files: string[], readOpts: ReadOptions, explicit: Partial<Record<Field, string>>): Promise<InputPlan> {
  if (files.filter((f) => f === '-').length > 1) throw new UsageError('stdin (-) can be read only once')
  const mappings = new Map<string, Mapping>()
  const columnsOf = new Map<string, Set<string>>()
  const prefetched = new Map<string, Prefetched>()
  for (const file of files) {
    // The first record is always read: a file that is broken from the start fails here with the reader's own
    // message. A file is reopened for the real read, so this probe counts no progress and reports no bad rows.
    const probeOpts = {...readOpts, onBytes: undefined, onError: readOpts.onError && (() => {})}
    const ahead = await readAhead(file, file === '-' ? readOpts : probeOpts, file === '-' ? STDIN_LOOKAHEAD : 1)
    if (file === '-') prefetched.set(file, ahead)
    else await ahead.rest.return(undefined)
    if (ahead.buffered.length === 0) continue // no records
    // Stdin's --map columns may first appear after the look-ahead.
    if (file === '-') for (const column of Object.values(explicit)) ahead.keys.add(column)
    const columns = [...new Set([...ahead.keys, ...((await scanKeys(file, readOpts)) ?? [])])]
    columnsOf.set(file, new Set(columns))
    mappings.set(file, resolveMapping(columns, explicit, file))
  }
  const entries = [...mappings]
  if (entries.length === 0) {
    throw new InputError('E_NO_RECORDS', 'no records in the input', {location: {file: files[0]}, suggestion: 'check the file (a CSV with only a header has no records)'})
  }
  const [firstFile, first] = entries[0]!
  const widened: Mapping = {...first, columns: {...first.columns}}
  const groups: InputPlan['groups'] = []
  for (const [file, m] of entries) {
    if (m.shape !== first.shape || m.kind !== first.kind) {
      throw new UsageError(`inputs hold different kinds of data: ${firstFile} is ${first.shape} ${first.kind}, ${file} is ${m.shape} ${m.kind}`, {
        code: 'E_MIXED_INPUTS',
        suggestion: 'convert them separately (one output each) and mix them with lfdata register --with',
      })
    }
    for (const [field, column] of Object.entries(m.columns) as [Field, string][]) widened.columns[field] ??= column
    const group = groups.find((g) => sameColumns(g.mapping, m))
    if (group) group.sources.push(file)
    else groups.push({mapping: m, sources: [file]})
  }

  /** Stdin: the rows read ahead, then the rest, watched for late columns. */
  async function* stdinRows(file: string, pre: Prefetched): AsyncGenerator<Row> {
    yield* pre.buffered
    const mapping = mappings.get(file)
    const known = columnsOf.get(file) ?? new Set<string>()
    for await (const row of pre.rest) {
      if (mapping) for (const key of Object.keys(row.record)) if (!known.has(key)) lateKey(key, row, known, mapping, explicit)
      yield row
    }
  }
  return {
    mapping: widened,
    mappingOf: (source) => mappings.get(source) ?? first,
    groups,
    async *rows<T>(slices?: Slice[], read: (file: string, opts: ReadOptions) => AsyncGenerator<Row | T> = readRows) {
      // A shard reads only its byte ranges, with the mapping planned from the whole inputs (same in every shard).
      if (slices) {
        for (const {file, range, blocks} of slices) yield* read(file, {...readOpts, range, blocks})
        return
      }
      // One generator per file, not one more wrapped around each: every layer costs a promise per record.
      for (const file of files) {
        const pre = prefetched.get(file)
        yield* pre ? stdinRows(file, pre) : read(file, readOpts)
      }
    },
  }
}

/** A key first seen after the stdin look-ahead: harmless unless it would have been mapped. */
function lateKey(key: string, row: Row, known: Set<string>, mapping: Mapping, explicit: Partial<Record<Field, string>>): void {
  known.add(key)
  let wider: Mapping
  try {
    wider = resolveMapping([...known], explicit, row.source)
  } catch {
    return
  }
  if (sameColumns(wider, mapping)) return
  const field = (Object.keys(wider.columns) as Field[]).find((f) => wider.columns[f] === key) ?? 'a field'
  throw lateColumnError(key, field, row, `or pass --map ${field}=${key}`)
}

/** A stdin record past the look-ahead brings a column that would have been read: stop rather than ignore it. */
export function lateColumnError(key: string, field: string, row: Row, alternative: string): InputError {
  return new InputError('E_LATE_COLUMN', `column "${key}" first appears after the first ${STDIN_LOOKAHEAD} records of stdin; it would be read as ${field}, which the records before it were not`, {
    location: {file: row.source, line: row.line},
    suggestion: `save the input to a file and use that (files are scanned for every column first), ${alternative}`,
  })
}
