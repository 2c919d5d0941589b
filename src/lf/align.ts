import type {LfReason} from './drop-reasons.js'
import {pyEquals, pyJsonDumps, pyTruthy, pyTypeName} from './py.js'
import type {AlignedExample, DatasetAttr, LfMessage, LfRole, RawRecord} from './types.js'

/**
 * LF's media_dir (defaults to dataset_dir in LF) and os.path.isfile, given by the caller (src/lf does no file
 * I/O). Without them, media paths are left as they are.
 */
export type MediaLookup = {mediaDir?: undefined; fileExists?: undefined} | {mediaDir: string; fileExists: (path: string) => boolean}

export type AlignOptions = MediaLookup & {
  /**
   * The columns the file has: HF datasets builds one table per file, so a key absent from this record but
   * present in another row reads as null, and only a column absent from the whole file is a KeyError.
   * Without it, an absent key reads as null.
   */
  columns?: ReadonlySet<string>
  /**
   * The keys the message objects have across the file (their Arrow struct fields). Without it, the keys any
   * message of this record has: a key no message has is a KeyError (e.g. data with role/content read with
   * the default from/value tags), a key only some messages lack reads as null.
   */
  messageKeys?: ReadonlySet<string>
}

export type AlignOutcome =
  | {kind: 'ok'; example: AlignedExample; warnings?: string[]}
  /** LF's converter logs "Skipping this abnormal example" and emits an empty prompt and response. */
  | {kind: 'skip'; reason: LfReason; detail: string; example: AlignedExample; warnings?: string[]}
  /** LF raises on this record and the whole run stops. */
  | {kind: 'crash'; reason: LfReason; detail: string}

class Crash extends Error {
  constructor(readonly reason: LfReason, detail: string) {
    super(detail)
  }
}

type Dict = Record<string, unknown>
const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v)
const repr = (v: unknown): string => (v === null || v === undefined ? 'None' : typeof v === 'string' ? `'${v}'` : pyJsonDumps(v))
const SHORT_SYSTEM = 'detailed thinking off'
const TOOL_RESPONSE_SEPARATOR = '\n</tool_response>\n<tool_response>\n'


/** os.path.join for two parts: an absolute second part wins; no normalisation. */
const pyJoin = (dir: string, name: string): string => (name.startsWith('/') || dir === '' ? name : dir.endsWith('/') ? dir + name : `${dir}/${name}`)

/** Python's "\n".join(parts) / sep.join(parts): every part must be a str. */
function pyJoinStrings(sep: string, parts: unknown[], reason: LfReason, what: string): string {
  const bad = parts.findIndex((p) => typeof p !== 'string')
  if (bad !== -1) throw new Crash(reason, `TypeError: sequence item ${bad}: expected str instance, ${pyTypeName(parts[bad])} found (${what})`)
  return parts.join(sep)
}

/** Python's `a, b = item` for a JSON value. */
function unpackPair(item: unknown, i: number): [unknown, unknown] {
  const parts = Array.isArray(item) ? item : typeof item === 'string' ? [...item] : isDict(item) ? Object.keys(item) : undefined
  if (parts === undefined) throw new Crash('invalid_history', `TypeError: cannot unpack non-iterable ${pyTypeName(item)} object (history[${i}])`)
  if (parts.length !== 2) {
    const how = parts.length > 2 ? 'too many values to unpack (expected 2)' : `not enough values to unpack (expected 2, got ${parts.length})`
    throw new Crash('invalid_history', `ValueError: ${how} (history[${i}] must be a [prompt, response] pair)`)
  }
  return [parts[0], parts[1]]
}

/** One record through one of LF's converters; methods throw Crash where LF raises. */
class Converter {
  readonly warnings: string[] = []
  private messageKeys?: ReadonlySet<string>

  constructor(readonly record: RawRecord, readonly attr: DatasetAttr, readonly opts: AlignOptions) {}

  /** `example[key]`. */
  get(key: string | null, what: string): unknown {
    if (key === null) throw new Crash('missing_column', `KeyError: None (the ${what} column is null; a partial columns block leaves unlisted keys null)`)
    if (Object.hasOwn(this.record, key)) return this.record[key]
    if (this.opts.columns && !this.opts.columns.has(key)) throw new Crash('missing_column', `KeyError: '${key}' (the ${what} column "${key}" is not in the file)`)
    return null
  }

  /** `example.get(key, fallback)`, which the openai converter uses for system and tools. */
  getOr(key: string, fallback: unknown): unknown {
    if (Object.hasOwn(this.record, key)) return this.record[key]
    return this.opts.columns && !this.opts.columns.has(key) ? fallback : null
  }

  /** `example[key] if key else default` — the guard is Python truthiness of the column name. */
  optional(key: string | null, what: string, fallback: unknown): unknown {
    return key ? this.get(key, what) : fallback
  }

  /** The messages column, with len()/iteration semantics: "" and {} behave as an empty list. */
  messages(): unknown[] {
    const value = this.get(this.attr.columns.messages, 'messages')
    if (Array.isArray(value)) {
      this.messageKeys = this.opts.messageKeys ?? new Set(value.filter(isDict).flatMap((m) => Object.keys(m)))
      return value
    }
    if (value === '' || (isDict(value) && Object.keys(value).length === 0)) return []
    throw new Crash('invalid_message', `TypeError: the messages column holds a ${pyTypeName(value)}, not a list of messages`)
  }

  /** `message[key]` on a message of the messages list. */
  field(message: unknown, key: string | null, tag: string, i: number): unknown {
    if (!isDict(message)) throw new Crash('invalid_message', `TypeError: message ${i} is a ${pyTypeName(message)}, not an object`)
    if (key === null) throw new Crash('invalid_message', `KeyError: None (tags.${tag} is null; a partial tags block leaves unlisted tags null)`)
    if (Object.hasOwn(message, key)) return message[key]
    if (this.messageKeys?.has(key)) return null
    throw new Crash('invalid_message', `KeyError: '${key}' (message ${i} has no "${key}" key; check tags.${tag})`)
  }

  /** `obj[key]` on a chosen/rejected object, which is its own column. */
  own(obj: Dict, key: string | null, tag: string, what: string): unknown {
    if (key === null) throw new Crash('invalid_message', `KeyError: None (tags.${tag} is null)`)
    if (!Object.hasOwn(obj, key)) throw new Crash('invalid_message', `KeyError: '${key}' (${what} has no "${key}" key; check tags.${tag})`)
    return obj[key]
  }

  /** The converter's tag_mapping dict: later tags win when two share a value. */
  roleOf(tag: unknown): LfRole | undefined {
    const t = this.attr.tags
    let role: LfRole | undefined
    const pairs = [[t.user_tag, 'user'], [t.assistant_tag, 'assistant'], [t.observation_tag, 'observation'], [t.function_tag, 'function'], [t.system_tag, 'system']] as const
    for (const [value, r] of pairs) if (pyEquals(tag, value)) role = r
    return role
  }

  mappedRole(tag: unknown, where: string): LfRole {
    const role = this.roleOf(tag)
    if (role === undefined) throw new Crash('invalid_message', `KeyError: ${repr(tag)} (${where} has a role no tag maps)`)
    return role
  }

  /** DatasetConverter._find_medias: wrap, copy, and resolve string paths against media_dir. */
  medias(key: string | null, what: string): unknown[] | null {
    if (!key) return null
    const value = this.get(key, what)
    if (value === null || value === undefined) return null
    if (!Array.isArray(value)) return this.resolveMedias([value])
    return value.length === 0 ? null : this.resolveMedias(value.slice())
  }

  private resolveMedias(medias: unknown[]): unknown[] {
    if (this.attr.loadFrom !== 'script' && this.attr.loadFrom !== 'file') return medias
    const resolve = (m: unknown): unknown => {
      if (typeof m !== 'string') throw new Crash('non_string_content', `TypeError: a media path is a ${pyTypeName(m)}, not a string (os.path.join)`)
      if (this.opts.mediaDir === undefined) return m
      const path = pyJoin(this.opts.mediaDir, m)
      if (this.opts.fileExists(path)) return path
      this.warnings.push(`Media ${m} does not exist in \`media_dir\`. Use original path.`)
      return m
    }
    if (typeof medias[0] === 'string') return medias.map(resolve)
    if (Array.isArray(medias[0])) {
      // Processed video frames: a list of frame lists.
      return medias.map((frames) => {
        if (typeof frames === 'string') return frames
        if (!Array.isArray(frames)) throw new Crash('non_string_content', `TypeError: a video frame list is a ${pyTypeName(frames)}, not a list of paths`)
        return frames.map(resolve)
      })
    }
    return medias
  }

  /** The _tools/_images/_videos/_audios fields, in LF's evaluation order. */
  tail(tools: unknown): Pick<AlignedExample, 'tools' | 'images' | 'videos' | 'audios'> {
    const c = this.attr.columns
    return {tools, images: this.medias(c.images, 'images'), videos: this.medias(c.videos, 'videos'), audios: this.medias(c.audios, 'audios')}
  }
}

function alpaca(cv: Converter): AlignOutcome {
  const c = cv.attr.columns
  const prompt: LfMessage[] = []
  if (c.history) {
    const history = cv.get(c.history, 'history')
    if (Array.isArray(history)) {
      history.forEach((item, i) => {
        const [user, assistant] = unpackPair(item, i)
        prompt.push({role: 'user', content: user}, {role: 'assistant', content: assistant})
      })
    }
  }
  const query: unknown[] = []
  if (c.prompt && pyTruthy(cv.get(c.prompt, 'prompt'))) query.push(cv.get(c.prompt, 'prompt'))
  if (c.query && pyTruthy(cv.get(c.query, 'query'))) query.push(cv.get(c.query, 'query'))
  prompt.push({role: 'user', content: pyJoinStrings('\n', query, 'non_string_prompt', 'instruction and input are joined with "\\n"')})

  let response: LfMessage[]
  const kto = c.kto_tag ? cv.get(c.kto_tag, 'kto_tag') : undefined
  if (typeof kto === 'boolean') {
    const answer: LfMessage = {role: 'assistant', content: cv.get(c.response, 'response')}
    const empty: LfMessage = {role: 'assistant', content: ''}
    response = kto ? [answer, empty] : [empty, answer]
  } else if (cv.attr.ranking && typeof cv.get(c.chosen, 'chosen') === 'string' && typeof cv.get(c.rejected, 'rejected') === 'string') {
    response = [{role: 'assistant', content: cv.get(c.chosen, 'chosen')}, {role: 'assistant', content: cv.get(c.rejected, 'rejected')}]
  } else if (c.response && typeof cv.get(c.response, 'response') === 'string') {
    response = [{role: 'assistant', content: cv.get(c.response, 'response')}]
  } else {
    response = []
  }
  const system = cv.optional(c.system, 'system', '')
  const example = {prompt, response, system, ...cv.tail(cv.optional(c.tools, 'tools', ''))}
  return {kind: 'ok', example}
}

interface Turns {
  system: unknown
  aligned: LfMessage[]
  broken?: {reason: LfReason; detail: string}
}

/** The leading system turn both conversation converters pull out by system_tag. */
function splitSystem(cv: Converter, openai: boolean): {system: unknown; messages: unknown[]} {
  const t = cv.attr.tags
  const messages = cv.messages()
  if (pyTruthy(t.system_tag) && messages.length !== 0 && pyEquals(cv.field(messages[0], t.role_tag, 'role_tag', 0), t.system_tag)) {
    return {system: cv.field(messages[0], t.content_tag, 'content_tag', 0), messages: messages.slice(1)}
  }
  const key = cv.attr.columns.system
  const system = key ? (openai ? cv.getOr(key, '') : cv.get(key, 'system')) : ''
  return {system, messages}
}

function countProblem(cv: Converter, n: number): Turns['broken'] {
  const ranking = cv.attr.ranking
  if (ranking === (n % 2 === 0)) {
    return {reason: 'invalid_message_count', detail: `${n} turns after the system turn; ${ranking ? 'ranking data needs an odd count (ending on a user turn)' : 'needs an even count (ending on an assistant turn)'}`}
  }
  return undefined
}

function sharegptTurns(cv: Converter): Turns {
  const t = cv.attr.tags
  const {system, messages} = splitSystem(cv, false)
  const aligned: LfMessage[] = []
  for (let i = 0; i < messages.length; i++) {
    const role = cv.field(messages[i], t.role_tag, 'role_tag', i)
    const accept = i % 2 === 0 ? [t.user_tag, t.observation_tag] : [t.assistant_tag, t.function_tag]
    if (!accept.some((tag) => pyEquals(role, tag))) {
      const expected = accept.filter((x) => x !== null).map((x) => JSON.stringify(x)).join(' or ')
      return {system, aligned, broken: {reason: 'invalid_role_order', detail: `turn ${i + 1} has role ${repr(role)}, expected ${expected || 'a tag (all are null)'}`}}
    }
    aligned.push({role: cv.mappedRole(role, `message ${i}`), content: cv.field(messages[i], t.content_tag, 'content_tag', i)})
  }
  return {system, aligned, broken: countProblem(cv, aligned.length)}
}

/** `[tool["function"] for tool in tool_calls]`, json-dumped as LF does. */
function foldToolCalls(calls: unknown, i: number): string {
  const items = Array.isArray(calls) ? calls : typeof calls === 'string' ? [...calls] : isDict(calls) ? Object.keys(calls) : undefined
  if (items === undefined) throw new Crash('invalid_message', `TypeError: message ${i} tool_calls is a ${pyTypeName(calls)}, not a list`)
  return pyJsonDumps(items.map((tool, k) => {
    if (!isDict(tool)) throw new Crash('invalid_message', `TypeError: message ${i} tool_calls[${k}] is a ${pyTypeName(tool)}, not an object`)
    if (!Object.hasOwn(tool, 'function')) throw new Crash('invalid_message', `KeyError: 'function' (message ${i} tool_calls[${k}] has no "function" key)`)
    return tool.function
  }))
}

function openaiTurns(cv: Converter): Turns {
  const t = cv.attr.tags
  const {system, messages} = splitSystem(cv, true)
  const aligned: LfMessage[] = []
  let toolResponses: unknown[] = []
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]
    let role = cv.field(m, t.role_tag, 'role_tag', i)
    let content = cv.field(m, t.content_tag, 'content_tag', i)
    if (pyEquals(role, t.assistant_tag) || pyEquals(role, t.function_tag)) {
      const calls = (m as Dict).tool_calls
      if (pyTruthy(calls)) {
        content = foldToolCalls(calls, i)
        role = t.function_tag
      }
    }
    if (pyEquals(role, t.observation_tag)) {
      toolResponses.push(content)
      continue
    }
    if (toolResponses.length > 0) {
      aligned.push({role: 'observation', content: pyJoinStrings(TOOL_RESPONSE_SEPARATOR, toolResponses, 'non_string_content', 'tool results are joined')})
      toolResponses = []
    }
    aligned.push({role: cv.mappedRole(role, `message ${i}`), content})
  }
  if (toolResponses.length > 0) cv.warnings.push(`${toolResponses.length} trailing tool result(s) after the last turn are dropped by LF's openai converter`)
  const wrong = aligned.findIndex((m, k) => !(k % 2 === 0 ? ['user', 'observation'] : ['assistant', 'function']).includes(m.role))
  if (wrong !== -1) {
    return {system, aligned, broken: {reason: 'invalid_role_order', detail: `turn ${wrong + 1} is a ${aligned[wrong]!.role} turn, expected ${wrong % 2 === 0 ? 'user or observation' : 'assistant or function'}`}}
  }
  return {system, aligned, broken: countProblem(cv, aligned.length)}
}

/** The kto / pairwise / normal split of the aligned turns (identical in both conversation converters). */
function conversationPair(cv: Converter, aligned: LfMessage[]): {prompt: LfMessage[]; response: LfMessage[]} {
  const c = cv.attr.columns
  const t = cv.attr.tags
  const kto = c.kto_tag ? cv.get(c.kto_tag, 'kto_tag') : undefined
  if (typeof kto === 'boolean') {
    const empty: LfMessage = {role: 'assistant', content: ''}
    const last = aligned.slice(-1)
    return {prompt: aligned.slice(0, -1), response: kto ? [...last, empty] : [empty, ...last]}
  }
  if (cv.attr.ranking) {
    const chosen = cv.get(c.chosen, 'chosen')
    const rejected = isDict(chosen) ? cv.get(c.rejected, 'rejected') : undefined
    if (isDict(chosen) && isDict(rejected)) {
      const even = [t.assistant_tag, t.function_tag]
      const chosenRole = cv.own(chosen, t.role_tag, 'role_tag', 'chosen')
      if (!even.some((x) => pyEquals(chosenRole, x)) || !even.some((x) => pyEquals(cv.own(rejected, t.role_tag, 'role_tag', 'rejected'), x))) {
        cv.warnings.push('chosen/rejected role is not an assistant/function tag (LF logs "Invalid role tag" and keeps the example)')
      }
      const reply = (obj: Dict, what: string): LfMessage => ({
        role: cv.mappedRole(cv.own(obj, t.role_tag, 'role_tag', what), what),
        content: cv.own(obj, t.content_tag, 'content_tag', what),
      })
      const first = reply(chosen, 'chosen')
      return {prompt: aligned, response: [first, reply(rejected, 'rejected')]}
    }
  }
  return {prompt: aligned.slice(0, -1), response: aligned.slice(-1)}
}

/** The openai converter's system-prompt edit: "detailed thinking off" unless tools are given. */
function openaiSystem(system: unknown, tools: unknown): unknown {
  const marked = (s: unknown) => (typeof s === 'string' ? s.includes('detailed thinking on') || s.includes(SHORT_SYSTEM)
    : Array.isArray(s) ? s.includes('detailed thinking on') || s.includes(SHORT_SYSTEM)
      : isDict(s) && (Object.hasOwn(s, 'detailed thinking on') || Object.hasOwn(s, SHORT_SYSTEM)))
  const append = (s: unknown, suffix: string): unknown => {
    if (typeof s === 'string') return s + suffix
    if (Array.isArray(s)) return [...(s as unknown[]), ...suffix] // list += str extends the list with characters
    throw new Crash('non_string_content', `TypeError: the system prompt is a ${pyTypeName(s)}, not a string`)
  }
  if (!pyTruthy(system)) return pyTruthy(tools) ? system : SHORT_SYSTEM
  if (pyTruthy(tools)) return append(system, '\n')
  if (typeof system !== 'string' && !Array.isArray(system) && !isDict(system)) {
    throw new Crash('non_string_content', `TypeError: the system prompt is a ${pyTypeName(system)}, not a string`)
  }
  return marked(system) ? system : append(system, `\n${SHORT_SYSTEM}`)
}

function conversation(cv: Converter, openai: boolean): AlignOutcome {
  const turns = openai ? openaiTurns(cv) : sharegptTurns(cv)
  const pair = turns.broken ? {prompt: [], response: []} : conversationPair(cv, turns.aligned)
  const c = cv.attr.columns
  let system = turns.system
  let tools: unknown
  if (openai) {
    tools = c.tools ? cv.getOr(c.tools, '') : ''
    if (typeof tools === 'object' && tools !== null) tools = pyJsonDumps(tools)
    system = openaiSystem(system, tools)
  } else {
    tools = cv.optional(c.tools, 'tools', '')
  }
  const example: AlignedExample = {...pair, system, ...cv.tail(tools)}
  if (turns.broken) return {kind: 'skip', ...turns.broken, example}
  return {kind: 'ok', example}
}

/**
 * LF's converter (converter.py) on one record: the aligned example LF builds from it, or why LF skips it
 * ("Skipping this abnormal example": empty prompt and response) or crashes on it (KeyError, TypeError, ...).
 */
export function alignExample(record: RawRecord, attr: DatasetAttr, opts: AlignOptions = {}): AlignOutcome {
  if (attr.loadError?.key === 'formatting') return {kind: 'crash', reason: 'unknown_formatting', detail: attr.loadError.message}
  const cv = new Converter(record, attr, opts)
  try {
    const outcome = attr.formatting === 'alpaca' ? alpaca(cv) : conversation(cv, attr.formatting === 'openai')
    if (cv.warnings.length > 0 && outcome.kind !== 'crash') outcome.warnings = [...new Set(cv.warnings)]
    return outcome
  } catch (error) {
    if (error instanceof Crash) return {kind: 'crash', reason: error.reason, detail: error.message}
    throw error
  }
}
