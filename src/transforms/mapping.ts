import {UsageError} from '../errors.js'
import type {RawRecord} from '../io/types.js'
import type {ExampleKind} from './example.js'

/** The source fields lfdata understands; `--map FIELD=COLUMN` names one of these. */
export const FIELDS = [
  'instruction', 'input', 'output', 'system', 'history', 'messages', 'tools', 'text', 'chosen', 'rejected', 'kto_tag',
] as const
export type Field = (typeof FIELDS)[number]

/**
 * Common column names, most specific first, in normalised form (see `normName`: "Question Text",
 * "question_text" and "questionText" are all "questiontext"). A column whose whole name is one of these is
 * recognised; one that merely contains such a word ("Agent Reply" → reply) is a guess (see WORDS).
 */
const ALIASES: Record<Field, string[]> = {
  instruction: ['instruction', 'instructions', 'prompt', 'prompttext', 'question', 'questiontext', 'query', 'user', 'userinput', 'usermessage', 'userprompt', 'human', 'humaninput', 'request', 'q'],
  input: ['input', 'context', 'additionalcontext', 'inputcontext'],
  output: ['output', 'response', 'responsetext', 'answer', 'answertext', 'completion', 'assistant', 'assistantresponse', 'gpt', 'bot', 'botresponse', 'reply', 'agentreply', 'agentresponse', 'modelresponse', 'modeloutput', 'target', 'a'],
  system: ['system', 'systemprompt', 'systemmessage'],
  history: ['history', 'chathistory'],
  messages: ['messages', 'conversations', 'conversation', 'dialog', 'dialogue', 'chat', 'turns'],
  tools: ['tools', 'functions'],
  text: ['text', 'content'],
  chosen: ['chosen'],
  rejected: ['rejected'],
  kto_tag: ['ktotag'],
}

/** Words that make a longer column name a likely (but unsure) match, e.g. "Customer Question", "Agent Reply". */
const WORDS: Partial<Record<Field, string[]>> = {
  instruction: ['instruction', 'prompt', 'question', 'query', 'user', 'human', 'request'],
  input: ['context'],
  output: ['response', 'answer', 'completion', 'assistant', 'reply', 'bot', 'agent', 'output'],
  system: ['system'],
  messages: ['messages', 'conversation', 'conversations', 'dialog', 'dialogue'],
}

/** Names that hold ids or metadata, never the text: left out of the columns a failed mapping suggests. */
const METADATA = new Set(['id', 'idx', 'index', 'uuid', 'key', 'source', 'lang', 'language', 'category', 'label', 'url', 'date', 'timestamp', 'split', 'createdat', 'score'])

/** Case-, space- and punctuation-insensitive form of a column name ("Question Text" → "questiontext"). */
export const normName = (name: string): string => name.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '')

/** The words of a column name: split at non-letters/digits and at camelCase humps, lower-cased. */
const wordsOf = (name: string): string[] =>
  name.replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean)

/** A shell word that pastes as-is into bash/zsh: plain when safe, else single-quoted. */
export function shellQuote(word: string): string {
  return /^[\w./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`
}

/** `--map instruction=… --map output=…` for these fields, ready to paste. */
export function mapFlags(columns: Partial<Record<Field, string>>): string {
  return Object.entries(columns).map(([field, column]) => `--map ${shellQuote(`${field}=${column}`)}`).join(' ')
}

export interface Mapping {
  /** Where each field comes from (only the fields in use). */
  columns: Partial<Record<Field, string>>
  kind: ExampleKind
  /** Conversations (a messages column) or flat instruction/output rows. */
  shape: 'chat' | 'flat' | 'text'
  /** Fields given by --map (the rest were recognised by name). */
  explicit: Field[]
  /** Fields matched only by a word in a longer column name: used, but worth pinning with --map. */
  guessed: Field[]
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
  const byName = new Map<string, string>()
  for (const c of columns) if (!byName.has(normName(c))) byName.set(normName(c), c)
  const mapped: Partial<Record<Field, string>> = {...explicit}
  for (const field of FIELDS) {
    if (mapped[field]) continue
    for (const alias of ALIASES[field]) {
      const column = byName.get(alias)
      if (column !== undefined && !used.has(column)) {
        mapped[field] = column
        used.add(column)
        break
      }
    }
  }
  // Then the unsure matches: a known word inside a longer name, taken only when exactly one column has it.
  const guessed: Field[] = []
  const hasPrompt = () => mapped.instruction !== undefined || mapped.messages !== undefined || mapped.text !== undefined
  for (const field of ['instruction', 'output', 'input', 'system'] as const) {
    if (mapped[field] || (field !== 'instruction' && field !== 'output' && !hasPrompt())) continue
    if (field === 'instruction' && (mapped.messages || mapped.text)) continue
    const words = WORDS[field] ?? []
    const hits = columns.filter((c) => !used.has(c) && wordsOf(c).some((w) => words.includes(w)))
    if (hits.length !== 1) continue
    mapped[field] = hits[0]
    used.add(hits[0]!)
    guessed.push(field)
  }
  const kind: ExampleKind = mapped.kto_tag ? 'kto' : mapped.chosen && mapped.rejected ? 'preference' : 'sft'
  const has = (f: Field) => mapped[f] !== undefined
  let shape: Mapping['shape']
  if (has('messages') && (explicit.messages || !(has('instruction') && (has('output') || kind === 'preference')))) shape = 'chat'
  else if (has('instruction') && (has('output') || kind === 'preference')) shape = 'flat'
  else if (has('text') && !has('instruction') && !has('output')) shape = 'text'
  else {
    // A ready-to-paste suggestion: what was found, and for what is missing the columns nothing claimed.
    const free = columns.filter((c) => !used.has(c) && !METADATA.has(normName(c)))
    const want: Partial<Record<Field, string>> = {
      instruction: mapped.instruction ?? free.shift() ?? 'COLUMN',
      output: mapped.output ?? free.shift() ?? 'COLUMN',
    }
    throw new UsageError(`cannot tell which columns hold the prompt and the response in ${file} (columns: ${columns.join(', ')})`, {
      code: 'E_MAPPING',
      suggestion: `name them, e.g. ${mapFlags(want)} (check that these are the right columns)`,
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
  return {columns: columnsUsed, kind: shape === 'text' ? 'text' : kind, shape, explicit: Object.keys(explicit) as Field[], guessed: guessed.filter((f) => columnsUsed[f] !== undefined)}
}

/** The columns of a record, for mapping (own keys only). */
export function recordColumns(record: RawRecord): string[] {
  return Object.keys(record)
}

/** "instruction ← question, output ← answer" for the human summary. */
export function describeMapping(m: Mapping): string {
  return Object.entries(m.columns)
    .map(([field, column]) => `${field} ← ${column}${m.explicit.includes(field as Field) ? '' : m.guessed.includes(field as Field) ? ' (guessed)' : ' (auto)'}`)
    .join(', ')
}
