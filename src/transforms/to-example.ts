import {isPlainObject, preview} from '../io/record.js'
import type {RawRecord, Row} from '../io/types.js'
import type {DropFn, Example, Item, Turn, TurnRole} from './example.js'
import type {Field, Mapping} from './mapping.js'
import type {FilterReason} from './reasons.js'

/** Role names seen in the wild → LF roles (ShareGPT from/value, OpenAI role/content, and common variants). */
const ROLE_ALIASES: Record<string, TurnRole> = {
  user: 'user', human: 'user', prompter: 'user',
  assistant: 'assistant', gpt: 'assistant', model: 'assistant', bot: 'assistant', chatgpt: 'assistant', ai: 'assistant',
  system: 'system',
  tool: 'observation', observation: 'observation', function_response: 'observation', ipython: 'observation',
  function_call: 'function', function: 'function',
}

/** LF's openai converter joins consecutive tool results into one observation with this separator. */
const TOOL_RESPONSE_JOIN = '\n</tool_response>\n<tool_response>\n'

class Reject {
  constructor(readonly reason: FilterReason, readonly detail: string) {}
}

const own = (record: RawRecord, key: string | undefined): unknown =>
  key !== undefined && Object.hasOwn(record, key) ? record[key] : undefined

/** A value LF needs as a string: numbers and booleans become text, null/NaN/absent become "". */
function asText(value: unknown, field: string): string {
  if (value === undefined || value === null) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number') return Number.isNaN(value) ? '' : String(value)
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value)
  throw new Reject('non_text_value', `${field} is ${Array.isArray(value) ? 'an array' : 'an object'}: ${preview(value)}`)
}

/** Content of one message: a string, null (OpenAI tool-call turns), or OpenAI text parts. */
function messageText(content: unknown, index: number): string {
  if (Array.isArray(content)) {
    const parts: string[] = []
    for (const part of content) {
      if (isPlainObject(part) && part.type === 'text' && typeof part.text === 'string') parts.push(part.text)
      else throw new Reject('non_text_content', `message ${index} has a non-text part: ${preview(part)}`)
    }
    return parts.join('\n')
  }
  return asText(content, `message ${index} content`)
}

/** Parses a messages value (a list, or a JSON string holding one, as CSV exports do) into turns. */
function toTurns(value: unknown, norm: (s: string) => string): Turn[] {
  let list = value
  if (typeof list === 'string' && list.trimStart().startsWith('[')) {
    try {
      list = JSON.parse(list)
    } catch {
      throw new Reject('invalid_messages', `messages is a string that is not valid JSON: ${preview(value)}`)
    }
  }
  if (!Array.isArray(list)) throw new Reject('invalid_messages', `messages is not a list: ${preview(value)}`)
  const turns: Turn[] = []
  let toolResults: string[] = []
  const flushTools = () => {
    if (toolResults.length > 0) turns.push({role: 'observation', content: toolResults.join(TOOL_RESPONSE_JOIN)})
    toolResults = []
  }
  list.forEach((message: unknown, i) => {
    if (!isPlainObject(message)) throw new Reject('invalid_messages', `message ${i} is not an object: ${preview(message)}`)
    const rawRole = own(message, 'role') ?? own(message, 'from')
    const role = typeof rawRole === 'string' ? ROLE_ALIASES[rawRole.toLowerCase()] : undefined
    if (!role) throw new Reject('unknown_role', `message ${i} has role ${JSON.stringify(rawRole)}`)
    const toolCalls = own(message, 'tool_calls')
    if (role === 'assistant' && Array.isArray(toolCalls) && toolCalls.length > 0) {
      // OpenAI tool calls become one function turn holding the called functions, as LF's openai converter does.
      flushTools()
      const calls = toolCalls.map((call) => (isPlainObject(call) && Object.hasOwn(call, 'function') ? call.function : (call as unknown)))
      turns.push({role: 'function', content: JSON.stringify(calls)})
      return
    }
    const content = norm(messageText(own(message, 'content') ?? own(message, 'value'), i))
    if (role === 'observation') {
      toolResults.push(content)
      return
    }
    flushTools()
    turns.push({role, content})
  })
  flushTools()
  return turns
}

/** History as LF's Alpaca converter reads it: a list of [prompt, response] pairs. */
function historyTurns(value: unknown, norm: (s: string) => string): Turn[] {
  if (value === undefined || value === null || value === '') return []
  if (!Array.isArray(value)) throw new Reject('invalid_history', `history is not a list: ${preview(value)}`)
  return value.flatMap((pair: unknown, i): Turn[] => {
    if (!Array.isArray(pair) || pair.length !== 2) throw new Reject('invalid_history', `history item ${i} is not a [prompt, response] pair`)
    return [
      {role: 'user', content: norm(asText(pair[0], `history[${i}][0]`))},
      {role: 'assistant', content: norm(asText(pair[1], `history[${i}][1]`))},
    ]
  })
}

function toolsText(value: unknown): string {
  if (value === undefined || value === null) return ''
  if (typeof value === 'string') return value.trim()
  return JSON.stringify(value)
}

export interface ToExampleOptions {
  mapping: Mapping
  /** Per-input mappings, when inputs name their columns differently (default: `mapping` for every row). */
  mappingOf?: (source: string) => Mapping
  normalize: (s: string) => string
  /** --system: a constant system prompt used where the record has none. */
  system?: string
}

/** Builds the canonical Example of one record, or throws a Reject. */
function buildExample(record: RawRecord, mapping: Mapping, opts: ToExampleOptions): Example {
  const norm = opts.normalize
  const col = (f: Field) => own(record, mapping.columns[f])
  const text = (f: Field) => norm(asText(col(f), f))
  if (mapping.shape === 'text') return {kind: 'text', text: text('text')}

  let system = mapping.columns.system ? text('system') : ''
  const tools = mapping.columns.tools ? toolsText(col('tools')) : ''
  let turns: Turn[]
  let query: {instruction: string; input: string} | undefined
  if (mapping.shape === 'chat') {
    const raw = col('messages')
    if (raw === undefined || raw === null) throw new Reject('missing_field', `column "${mapping.columns.messages}" is missing`)
    turns = toTurns(raw, norm)
    if (turns[0]?.role === 'system') {
      system = turns[0].content
      turns = turns.slice(1)
    }
  } else {
    const instruction = text('instruction')
    const input = mapping.columns.input ? text('input') : ''
    query = {instruction, input}
    turns = [...historyTurns(col('history'), norm), {role: 'user', content: [instruction, input].filter(Boolean).join('\n')}]
  }
  if (!system && opts.system) system = opts.system
  const dialogue = {system, tools, turns, ...(query ? {query} : {})}

  const response = (f: Field): string => {
    const value = col(f)
    // A ShareGPT-style chosen/rejected is a message object; its content is the response.
    if (isPlainObject(value)) return norm(messageText(own(value, 'value') ?? own(value, 'content'), 0))
    return norm(asText(value, f))
  }
  if (mapping.kind === 'preference') return {kind: 'preference', ...dialogue, chosen: response('chosen'), rejected: response('rejected')}

  if (mapping.shape === 'flat') turns.push({role: 'assistant', content: text('output')})
  if (mapping.kind === 'kto') {
    const tag = col('kto_tag')
    const label = tag === true || tag === 'true' || tag === 'True' ? true : tag === false || tag === 'false' || tag === 'False' ? false : undefined
    if (label === undefined) throw new Reject('invalid_kto_tag', `kto_tag is ${preview(tag)}`)
    return {kind: 'kto', ...dialogue, label}
  }
  return {kind: 'sft', ...dialogue}
}

/** Step: a row → its canonical example; a record that cannot be read as the mapping says is dropped with a reason. */
export function toExample(opts: ToExampleOptions, onDrop: DropFn): (row: Row) => Item | undefined {
  return (row) => {
    try {
      return {row, example: buildExample(row.record, opts.mappingOf?.(row.source) ?? opts.mapping, opts)}
    } catch (error) {
      if (!(error instanceof Reject)) throw error
      onDrop(row, error.reason, error.detail)
      return undefined
    }
  }
}
