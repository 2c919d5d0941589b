import {UsageError} from '../errors.js'
import type {RawRecord} from '../io/types.js'
import type {ExampleKind} from './example.js'

/** The source fields lfdata understands; `--map FIELD=COLUMN` names one of these. */
export const FIELDS = [
  'instruction', 'input', 'output', 'system', 'history', 'messages', 'tools', 'text', 'chosen', 'rejected', 'kto_tag',
] as const
export type Field = (typeof FIELDS)[number]

/** Common column names, most specific first; matched case-insensitively. */
const ALIASES: Record<Field, string[]> = {
  instruction: ['instruction', 'prompt', 'question', 'query', 'user', 'human'],
  input: ['input', 'context'],
  output: ['output', 'response', 'answer', 'completion', 'assistant', 'gpt'],
  system: ['system', 'system_prompt'],
  history: ['history'],
  messages: ['messages', 'conversations', 'conversation', 'dialog', 'dialogue', 'chat'],
  tools: ['tools', 'functions'],
  text: ['text', 'content'],
  chosen: ['chosen'],
  rejected: ['rejected'],
  kto_tag: ['kto_tag'],
}

export interface Mapping {
  /** Where each field comes from (only the fields in use). */
  columns: Partial<Record<Field, string>>
  kind: ExampleKind
  /** Conversations (a messages column) or flat instruction/output rows. */
  shape: 'chat' | 'flat' | 'text'
  /** Fields given by --map (the rest were recognised by name). */
  explicit: Field[]
}

/** Parses repeated `--map FIELD=COLUMN` flags. */
export function parseMapFlags(flags: string[] = []): Partial<Record<Field, string>> {
  const out: Partial<Record<Field, string>> = {}
  for (const flag of flags) {
    const eq = flag.indexOf('=')
    const field = flag.slice(0, eq).trim() as Field
    const column = flag.slice(eq + 1).trim()
    if (eq <= 0 || !column) throw new UsageError(`--map expects FIELD=COLUMN, got "${flag}"`, {suggestion: `e.g. --map instruction=question; fields: ${FIELDS.join(', ')}`})
    if (!FIELDS.includes(field)) throw new UsageError(`--map: unknown field "${field}"`, {suggestion: `fields: ${FIELDS.join(', ')}`})
    out[field] = column
  }
  return out
}

/**
 * Decides where each field comes from, given the columns of the first record: --map first, then the common
 * names. Fails with the available columns when nothing usable is found.
 */
export function resolveMapping(columns: string[], explicit: Partial<Record<Field, string>>, file: string): Mapping {
  const available = new Set(columns)
  for (const [field, column] of Object.entries(explicit)) {
    if (!available.has(column)) {
      throw new UsageError(`--map ${field}=${column}: no column "${column}" in ${file}`, {suggestion: `columns are: ${columns.join(', ')}`})
    }
  }
  const used = new Set(Object.values(explicit))
  const lower = new Map(columns.map((c) => [c.toLowerCase(), c]))
  const mapped: Partial<Record<Field, string>> = {...explicit}
  for (const field of FIELDS) {
    if (mapped[field]) continue
    for (const alias of ALIASES[field]) {
      const column = lower.get(alias)
      if (column !== undefined && !used.has(column)) {
        mapped[field] = column
        used.add(column)
        break
      }
    }
  }
  const kind: ExampleKind = mapped.kto_tag ? 'kto' : mapped.chosen && mapped.rejected ? 'preference' : 'sft'
  const has = (f: Field) => mapped[f] !== undefined
  let shape: Mapping['shape']
  if (has('messages') && (explicit.messages || !(has('instruction') && (has('output') || kind === 'preference')))) shape = 'chat'
  else if (has('instruction') && (has('output') || kind === 'preference')) shape = 'flat'
  else if (has('text') && !has('instruction') && !has('output')) shape = 'text'
  else {
    throw new UsageError(`cannot tell which columns hold the prompt and the response in ${file}`, {
      code: 'E_MAPPING',
      suggestion: `columns are: ${columns.join(', ')}; map them, e.g. --map instruction=${columns[0] ?? 'COL'} --map output=${columns[1] ?? 'COL'}`,
    })
  }
  // Keep only the fields the shape reads, so the printed mapping says what is really used.
  const keep: Record<Mapping['shape'], Field[]> = {
    chat: ['messages', 'system', 'tools', 'chosen', 'rejected', 'kto_tag'],
    flat: ['instruction', 'input', 'output', 'system', 'history', 'tools', 'chosen', 'rejected', 'kto_tag'],
    text: ['text'],
  }
  const columnsUsed: Partial<Record<Field, string>> = {}
  for (const f of keep[shape]) if (mapped[f] !== undefined) columnsUsed[f] = mapped[f]
  if (shape === 'flat' && kind === 'preference') delete columnsUsed.output
  return {columns: columnsUsed, kind: shape === 'text' ? 'text' : kind, shape, explicit: Object.keys(explicit) as Field[]}
}

/** The columns of a record, for mapping (own keys only). */
export function recordColumns(record: RawRecord): string[] {
  return Object.keys(record)
}

/** "instruction ← question, output ← answer" for the human summary. */
export function describeMapping(m: Mapping): string {
  return Object.entries(m.columns)
    .map(([field, column]) => `${field} ← ${column}${m.explicit.includes(field as Field) ? '' : ' (auto)'}`)
    .join(', ')
}
