import {UsageError} from '../errors.js'
import type {ColumnType} from '../io/arrow-encoder.js'
import {datasetStage, SHAREGPT_TAGS} from '../lf/attr.js'
import type {ColumnKey, Formatting, Stage, TagKey} from '../lf/types.js'
import type {DropFn, Example, Item, Turn, TurnRole} from './example.js'
import type {Mapping} from './mapping.js'

export type Target = 'alpaca' | 'sharegpt'

// ShareGPT output uses LF's default tags, so a dataset_info.json entry needs no surprises.
const FROM: Record<TurnRole, string> = {
  user: SHAREGPT_TAGS.user_tag, assistant: SHAREGPT_TAGS.assistant_tag, observation: SHAREGPT_TAGS.observation_tag,
  function: SHAREGPT_TAGS.function_tag, system: SHAREGPT_TAGS.system_tag,
}

/** Everything about the output that is fixed for the whole run: keys, and what dataset_info.json needs. */
export interface OutputLayout {
  target: Target
  formatting: Formatting
  ranking: boolean
  stage: Stage
  columns: Partial<Record<ColumnKey, string>>
  tags?: Record<TagKey, string>
  withSystem: boolean
  withTools: boolean
  withHistory: boolean
}

/**
 * Chooses the output layout from the mapping: which keys every record gets (always the same keys with the
 * same types — LF's Arrow loader fails on a field that changes type between rows).
 */
export function outputLayout(mapping: Mapping, to: Target | undefined, constantSystem: boolean): OutputLayout {
  const target: Target = to ?? (mapping.shape === 'chat' ? 'sharegpt' : 'alpaca')
  const kind = mapping.kind
  if (kind === 'text' && target === 'sharegpt') throw new UsageError('pre-training text can only be written as --to alpaca (a {text} column)')
  const ranking = kind === 'preference'
  const withTools = mapping.columns.tools !== undefined
  if (target === 'sharegpt') {
    const columns: Partial<Record<ColumnKey, string>> = {messages: 'conversations', system: 'system'}
    if (withTools) columns.tools = 'tools'
    if (ranking) Object.assign(columns, {chosen: 'chosen', rejected: 'rejected'})
    if (kind === 'kto') columns.kto_tag = 'kto_tag'
    return {target, formatting: 'sharegpt', ranking, stage: datasetStage({formatting: 'sharegpt', ranking, columns}), columns, tags: {...SHAREGPT_TAGS}, withSystem: true, withTools, withHistory: false}
  }
  if (kind === 'text') {
    return {target, formatting: 'alpaca', ranking: false, stage: 'pt', columns: {prompt: 'text'}, withSystem: false, withTools: false, withHistory: false}
  }
  const withSystem = mapping.columns.system !== undefined || constantSystem || mapping.shape === 'chat'
  const withHistory = mapping.columns.history !== undefined || mapping.shape === 'chat'
  const columns: Partial<Record<ColumnKey, string>> = {prompt: 'instruction', query: 'input'}
  if (ranking) Object.assign(columns, {chosen: 'chosen', rejected: 'rejected'})
  else columns.response = 'output'
  if (withSystem) columns.system = 'system'
  if (withHistory) columns.history = 'history'
  if (withTools) columns.tools = 'tools'
  if (kind === 'kto') columns.kto_tag = 'kto_tag'
  return {target, formatting: 'alpaca', ranking, stage: datasetStage({formatting: 'alpaca', ranking, columns}), columns, withSystem, withTools, withHistory}
}

class NotRepresentable extends Error {
  constructor(readonly reason: string, readonly detail: string) {
    super(detail)
  }
}

const message = (t: Turn) => ({from: FROM[t.role], value: t.content})

function sharegptRecord(ex: Exclude<Example, {kind: 'text'}>, layout: OutputLayout): Record<string, unknown> {
  const out: Record<string, unknown> = {conversations: ex.turns.map(message)}
  if (ex.kind === 'preference') {
    out.chosen = {from: 'gpt', value: ex.chosen}
    out.rejected = {from: 'gpt', value: ex.rejected}
  }
  if (ex.kind === 'kto') out.kto_tag = ex.label
  out.system = ex.system
  if (layout.withTools) out.tools = ex.tools
  return out
}

function alpacaRecord(ex: Exclude<Example, {kind: 'text'}>, layout: OutputLayout): Record<string, unknown> {
  if (ex.turns.some((t) => t.role === 'observation' || t.role === 'function' || t.role === 'system')) {
    throw new NotRepresentable('not_alpaca', 'tool/observation turns cannot be written as Alpaca (use --to sharegpt)')
  }
  const prompt = ex.kind === 'preference' ? ex.turns : ex.turns.slice(0, -1)
  // Alpaca can only hold user/assistant pairs ending on a user prompt; anything else LF would mis-read.
  const expected = (i: number) => (i % 2 === 0 ? 'user' : 'assistant')
  const bad = [...prompt, ...(ex.kind === 'preference' ? [] : ex.turns.slice(-1))].findIndex((t, i) => t.role !== expected(i))
  if (bad !== -1 || prompt.length % 2 === 0) {
    throw new NotRepresentable('invalid_role_order', `turn ${bad === -1 ? ex.turns.length : bad + 1} breaks the user/assistant alternation`)
  }
  const last = prompt.at(-1)
  const history: [string, string][] = []
  for (let i = 0; i + 1 < prompt.length - 1; i += 2) history.push([prompt[i]!.content, prompt[i + 1]!.content])
  if (history.length > 0 && !layout.withHistory) throw new NotRepresentable('not_alpaca', 'multi-turn history needs a history column')
  const out: Record<string, unknown> = {
    instruction: ex.query?.instruction ?? last?.content ?? '',
    input: ex.query?.input ?? '',
  }
  if (ex.kind === 'preference') {
    out.chosen = ex.chosen
    out.rejected = ex.rejected
  } else {
    out.output = ex.turns.at(-1)?.content ?? ''
  }
  if (ex.kind === 'kto') out.kto_tag = ex.label
  if (layout.withSystem) out.system = ex.system
  if (layout.withHistory) out.history = history
  if (layout.withTools) out.tools = ex.tools
  return out
}

/** The LF-format record for an example. Throws NotRepresentable for tool turns in Alpaca. */
export function outputRecord(ex: Example, layout: OutputLayout): Record<string, unknown> {
  if (ex.kind === 'text') return {text: ex.text}
  return layout.target === 'sharegpt' ? sharegptRecord(ex, layout) : alpacaRecord(ex, layout)
}

export interface OutputItem extends Item {
  record: Record<string, unknown>
}

/** Step: a canonical example → its LF-format record. */
export function toOutput(layout: OutputLayout, onDrop: DropFn): (item: Item) => OutputItem | undefined {
  return (item) => {
    try {
      return {...item, record: outputRecord(item.example, layout)}
    } catch (error) {
      if (!(error instanceof NotRepresentable)) throw error
      onDrop(item.row, error.reason, error.detail)
      return undefined
    }
  }
}

const MESSAGE: ColumnType = {struct: {from: 'string', value: 'string'}}

/** The type of every output column, in output key order (what an Arrow output declares as its schema). */
export function outputColumnTypes(layout: OutputLayout, kind: Example['kind']): Record<string, ColumnType> {
  if (kind === 'text') return {text: 'string'}
  const t: Record<string, ColumnType> = {}
  if (layout.target === 'sharegpt') {
    t.conversations = {list: MESSAGE}
    if (kind === 'preference') Object.assign(t, {chosen: MESSAGE, rejected: MESSAGE})
    if (kind === 'kto') t.kto_tag = 'bool'
    t.system = 'string'
    if (layout.withTools) t.tools = 'string'
    return t
  }
  Object.assign(t, {instruction: 'string', input: 'string'})
  if (kind === 'preference') Object.assign(t, {chosen: 'string', rejected: 'string'})
  else t.output = 'string'
  if (kind === 'kto') t.kto_tag = 'bool'
  if (layout.withSystem) t.system = 'string'
  if (layout.withHistory) t.history = {list: {list: 'string'}}
  if (layout.withTools) t.tools = 'string'
  return t
}
