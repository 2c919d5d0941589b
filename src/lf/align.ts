import type {RawRecord} from '../io/types.js'
import type {LfReason} from './drop-reasons.js'
import type {AlignedExample, DatasetAttr, LfMessage, LfRole} from './types.js'

export type AlignOutcome =
  | {kind: 'ok'; example: AlignedExample}
  /** LF's converter logs "Skipping this abnormal example" and emits empty prompt/response. */
  | {kind: 'skip'; reason: LfReason; detail: string; example: AlignedExample}
  /** LF raises on this record and the whole run stops. */
  | {kind: 'crash'; reason: LfReason; detail: string}

class Crash extends Error {
  constructor(readonly reason: LfReason, detail: string) {
    super(detail)
  }
}

/** Python's `example[key]`: a missing key is a KeyError. Datasets fill absent JSON keys with None, so own-key misses are None. */
function get(record: RawRecord, key: string | null): unknown {
  if (key === null) throw new Crash('missing_column', 'column None (a partial columns block nulled it)')
  return Object.hasOwn(record, key) ? record[key] : null
}

/** Python truthiness for JSON values. */
const truthy = (v: unknown): boolean =>
  !(v === null || v === undefined || v === false || v === 0 || v === '' || (Array.isArray(v) && v.length === 0) ||
    (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0))

const isStr = (v: unknown): v is string => typeof v === 'string'

function medias(value: unknown): unknown[] | null {
  if (value === null || value === undefined) return null
  if (!Array.isArray(value)) return [value]
  return value.length === 0 ? null : value
}

function common(record: RawRecord, attr: DatasetAttr): Pick<AlignedExample, 'tools' | 'images' | 'videos' | 'audios'> {
  const c = attr.columns
  return {
    tools: c.tools ? get(record, c.tools) : '',
    images: c.images ? medias(get(record, c.images)) : null,
    videos: c.videos ? medias(get(record, c.videos)) : null,
    audios: c.audios ? medias(get(record, c.audios)) : null,
  }
}

function alpaca(record: RawRecord, attr: DatasetAttr): AlignOutcome {
  const c = attr.columns
  const prompt: LfMessage[] = []
  const history = c.history ? get(record, c.history) : null
  if (c.history && Array.isArray(history)) {
    history.forEach((pair: unknown, i) => {
      if (!Array.isArray(pair) || pair.length !== 2) throw new Crash('invalid_history', `history[${i}] is not a [prompt, response] pair`)
      prompt.push({role: 'user', content: pair[0]}, {role: 'assistant', content: pair[1]})
    })
  }
  const query: unknown[] = []
  if (c.prompt && truthy(get(record, c.prompt))) query.push(get(record, c.prompt))
  if (c.query && truthy(get(record, c.query))) query.push(get(record, c.query))
  const bad = query.find((q) => !isStr(q))
  if (bad !== undefined) throw new Crash('non_string_prompt', `prompt part is ${typeof bad === 'object' ? JSON.stringify(bad) : typeof bad}, not a string`)
  prompt.push({role: 'user', content: query.join('\n')})

  let response: LfMessage[]
  const kto = c.kto_tag ? get(record, c.kto_tag) : null
  if (c.kto_tag && typeof kto === 'boolean') {
    const r: LfMessage = {role: 'assistant', content: get(record, c.response)}
    const empty: LfMessage = {role: 'assistant', content: ''}
    response = kto ? [r, empty] : [empty, r]
  } else if (attr.ranking && isStr(get(record, c.chosen)) && isStr(get(record, c.rejected))) {
    response = [{role: 'assistant', content: get(record, c.chosen)}, {role: 'assistant', content: get(record, c.rejected)}]
  } else if (c.response && isStr(get(record, c.response))) {
    response = [{role: 'assistant', content: get(record, c.response)}]
  } else {
    response = []
  }
  return {kind: 'ok', example: {prompt, response, system: c.system ? get(record, c.system) : '', ...common(record, attr)}}
}

type Message = Record<string, unknown>

function messageList(record: RawRecord, attr: DatasetAttr): Message[] {
  const messages = get(record, attr.columns.messages)
  if (!Array.isArray(messages)) throw new Crash('missing_column', `messages column "${attr.columns.messages}" is ${messages === null ? 'missing/null' : 'not a list'}`)
  return messages.map((m, i) => {
    if (typeof m !== 'object' || m === null || Array.isArray(m)) throw new Crash('invalid_message', `message ${i} is not an object`)
    return m as Message
  })
}

function field(m: Message, key: string | null, i: number): unknown {
  if (key === null || !Object.hasOwn(m, key)) throw new Crash('invalid_message', `message ${i} has no "${key}" key (check tags.role_tag/content_tag)`)
  return m[key]
}

/** ShareGPT (and OpenAI) converter: tag mapping, the leading system turn, role positions and counts. */
function conversation(record: RawRecord, attr: DatasetAttr, openai: boolean): AlignOutcome {
  const t = attr.tags
  const tagMap = new Map<unknown, LfRole>()
  // Python dict literal order: later keys win when two tags share a value.
  for (const [tag, role] of [[t.user_tag, 'user'], [t.assistant_tag, 'assistant'], [t.observation_tag, 'observation'], [t.function_tag, 'function'], [t.system_tag, 'system']] as const) tagMap.set(tag, role)
  let messages = messageList(record, attr)
  let system: unknown
  if (t.system_tag && messages.length > 0 && field(messages[0]!, t.role_tag, 0) === t.system_tag) {
    system = field(messages[0]!, t.content_tag, 0)
    messages = messages.slice(1)
  } else {
    system = attr.columns.system ? get(record, attr.columns.system) : ''
  }
  const aligned: LfMessage[] = []
  let broken: {reason: LfReason; detail: string} | undefined
  const roleOf = (tag: unknown, i: number): LfRole => {
    const role = tagMap.get(tag)
    if (!role) throw new Crash('invalid_message', `message ${i} has role ${JSON.stringify(tag)}, which no tag maps (LF: KeyError)`)
    return role
  }
  if (!openai) {
    const odd = [t.user_tag, t.observation_tag]
    const even = [t.assistant_tag, t.function_tag]
    for (let i = 0; i < messages.length; i++) {
      const tag = field(messages[i]!, t.role_tag, i)
      if (!(i % 2 === 0 ? odd : even).includes(tag as string)) {
        broken = {reason: 'invalid_role_order', detail: `turn ${i + 1} has role ${JSON.stringify(tag)}, expected ${i % 2 === 0 ? 'a user/observation' : 'an assistant/function'} turn`}
        break
      }
      aligned.push({role: roleOf(tag, i), content: field(messages[i]!, t.content_tag, i)})
    }
  } else {
    let toolResults: unknown[] = []
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i]!
      let tag = field(m, t.role_tag, i)
      let content = field(m, t.content_tag, i)
      const calls = m.tool_calls
      if ((tag === t.assistant_tag || tag === t.function_tag) && Array.isArray(calls) && calls.length > 0) {
        content = JSON.stringify(calls.map((c) => (c as Record<string, unknown>).function))
        tag = t.function_tag
      }
      if (tag === t.observation_tag) {
        toolResults.push(content)
        continue
      }
      if (toolResults.length > 0) {
        aligned.push({role: 'observation', content: toolResults.join('\n</tool_response>\n<tool_response>\n')})
        toolResults = []
      }
      aligned.push({role: roleOf(tag, i), content})
    }
    const i = aligned.findIndex((m, k) => !(k % 2 === 0 ? ['user', 'observation'] : ['assistant', 'function']).includes(m.role))
    if (i !== -1) broken = {reason: 'invalid_role_order', detail: `turn ${i + 1} has role ${aligned[i]!.role}`}
  }
  if (!broken && attr.ranking === (aligned.length % 2 === 0)) {
    broken = {reason: 'invalid_message_count', detail: `${aligned.length} turns after the system turn; ${attr.ranking ? 'ranking data needs an odd count' : 'needs an even count'}`}
  }

  let tools = common(record, attr)
  if (openai) {
    let tv = tools.tools
    if (typeof tv === 'object' && tv !== null) tv = JSON.stringify(tv)
    const hasTools = truthy(tv)
    const sys = truthy(system) ? String(system) : ''
    if (!sys) system = hasTools ? system : 'detailed thinking off'
    else if (!hasTools) system = sys.includes('detailed thinking on') || sys.includes('detailed thinking off') ? sys : `${sys}\ndetailed thinking off`
    else system = `${sys}\n`
    tools = {...tools, tools: tv}
  }
  if (broken) return {kind: 'skip', ...broken, example: {prompt: [], response: [], system, ...tools}}

  let prompt: LfMessage[]
  let response: LfMessage[]
  const kto = attr.columns.kto_tag ? get(record, attr.columns.kto_tag) : null
  const chosen = attr.columns.chosen ? get(record, attr.columns.chosen) : null
  const rejected = attr.columns.rejected ? get(record, attr.columns.rejected) : null
  const isDict = (v: unknown): v is Message => typeof v === 'object' && v !== null && !Array.isArray(v)
  if (attr.columns.kto_tag && typeof kto === 'boolean') {
    prompt = aligned.slice(0, -1)
    const empty: LfMessage = {role: 'assistant', content: ''}
    response = kto ? [...aligned.slice(-1), empty] : [empty, ...aligned.slice(-1)]
  } else if (attr.ranking && isDict(chosen) && isDict(rejected)) {
    prompt = aligned
    // LF warns about a non-assistant chosen/rejected role but keeps the example; an unmapped role is a KeyError.
    response = [chosen, rejected].map((m, k) => ({role: roleOf(field(m, t.role_tag, k), k), content: field(m, t.content_tag, k)}))
  } else {
    prompt = aligned.slice(0, -1)
    response = aligned.slice(-1)
  }
  return {kind: 'ok', example: {prompt, response, system, ...tools}}
}

/** LF's converter (converter.py) on one record: what LF turns it into, or why it skips or crashes. */
export function alignExample(record: RawRecord, attr: DatasetAttr): AlignOutcome {
  try {
    if (attr.formatting === 'alpaca') return alpaca(record, attr)
    return conversation(record, attr, attr.formatting === 'openai')
  } catch (error) {
    if (error instanceof Crash) return {kind: 'crash', reason: error.reason, detail: error.message}
    throw error
  }
}
