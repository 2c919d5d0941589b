import {alignExample, type AlignOptions} from './align.js'
import type {LfReason} from './drop-reasons.js'
import {PyFloat, pyJsonDumps, PyJsonError, pyJsonLoads, pyTruthy, pyTypeName, type PyValue} from './py.js'
import type {AlignedExample, DatasetAttr, LfMessage, RawRecord, Stage} from './types.js'

export interface ProcessorOptions {
  /**
   * The template's thought words; LF's default is ["<think>\n", "\n</think>\n\n"]. null: the template's
   * encoder passes none to the function formatter (Llama2Template), so a function turn must be bare JSON.
   */
  thoughtWords?: readonly [string, string] | null
  /** The template's tool-call words; LF's default is ["<tool_call>", "</tool_call>"]; null as above. */
  toolCallWords?: readonly [string, string] | null
  /** The template's tool format: LF's "default" one reads every tool's name and parameters.properties. */
  toolFormat?: string
}

/** Why LF does not train on an example: dropped with a warning, or `crash` when LF raises on it. */
export interface Drop {
  reason: LfReason
  detail: string
  crash: boolean
}

export type Verdict =
  | {kept: true; example: AlignedExample; warnings?: string[]}
  | ({kept: false} & Drop)

const DEFAULT_THOUGHT: readonly [string, string] = ['<think>\n', '\n</think>\n\n']
const DEFAULT_TOOL_CALL: readonly [string, string] = ['<tool_call>', '</tool_call>']
const ENCODABLE_ROLES = new Set(['user', 'assistant', 'observation', 'function'])

const skip = (reason: LfReason, detail: string): Drop => ({reason, detail, crash: false})
const crash = (reason: LfReason, detail: string): Drop => ({reason, detail, crash: true})
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
const isDict = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const preview = (s: string) => JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s)

/** Python's json.loads (NaN/Infinity accepted, as LF's formatters accept them), as plain JS values for the checks below. */
function parseJson(text: string): {ok: true; value: unknown} | {ok: false} {
  try {
    return {ok: true, value: toPlain(pyJsonLoads(text))}
  } catch (error) {
    if (error instanceof PyJsonError) return {ok: false}
    throw error
  }
}

function toPlain(v: PyValue): unknown {
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [k, toPlain(x)]))
  if (Array.isArray(v)) return v.map(toPlain)
  if (v instanceof PyFloat) return v.value
  if (typeof v === 'bigint') return Number(v)
  return v
}

/** FunctionFormatter.apply: the JSON inside the tool-call words, or the content without its thought block. */
function functionProblem(content: string, opts: ProcessorOptions): string | null {
  const callWords = opts.toolCallWords === undefined ? DEFAULT_TOOL_CALL : opts.toolCallWords
  const thinkWords = opts.thoughtWords === undefined ? DEFAULT_THOUGHT : opts.thoughtWords
  const call = callWords && new RegExp(`${escapeRe(callWords[0])}([\\s\\S]*?)${escapeRe(callWords[1])}`).exec(content)
  let json = call?.[1]
  if (json === undefined) {
    const thought = thinkWords && new RegExp(`${escapeRe(thinkWords[0])}[\\s\\S]*?${escapeRe(thinkWords[1])}`).exec(content)
    json = thought ? content.split(thought[0]).join('') : content
  }
  const parsed = parseJson(json)
  if (!parsed.ok) return `Invalid JSON format in function message: [${preview(content)}]`
  const calls: unknown[] = Array.isArray(parsed.value) ? parsed.value : [parsed.value]
  const bad = calls.find((c) => !isDict(c) || !Object.hasOwn(c, 'name') || !Object.hasOwn(c, 'arguments'))
  if (bad !== undefined) return `a function call is ${pyJsonDumps(bad)}, not {"name": …, "arguments": …} (LF: KeyError/TypeError)`
  return null
}

/** What `", ".join(v)` accepts from JSON: a string, a list of strings, or a dict (its keys). */
const pyJoinable = (v: unknown) => typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string')) || isDict(v)

/** DefaultToolUtils.tool_formatter: each tool (or its "function") has a name and dict parameters.properties of dicts. */
function defaultToolProblem(tool: Record<string, unknown>): string | null {
  const fn = tool.type === 'function' ? tool.function : tool
  if (!isDict(fn)) return `a tool of type "function" has no "function" object (LF's default tool format fails on it)`
  const params = fn.parameters
  const props = isDict(params) ? params.properties : undefined
  const name = typeof fn.name === 'string' ? `tool "${fn.name}"` : 'a tool'
  if (!isDict(props)) return `KeyError: ${isDict(params) ? "'properties'" : "'parameters'"} — ${name} has no parameters.properties object, which LF's default tool format reads`
  if (!Object.values(props).every(isDict)) return `${name} has a parameter that is not an object (LF's default tool format calls .get on each)`
  const required = (params as Record<string, unknown>).required
  if (required !== undefined && typeof required !== 'string' && !Array.isArray(required) && !isDict(required)) {
    return `TypeError: ${name}'s parameters.required is ${pyTypeName(required)}, which LF's default tool format cannot search`
  }
  for (const [param, spec] of Object.entries(props as Record<string, Record<string, unknown>>)) {
    if (pyTruthy(spec.enum) && !pyJoinable(spec.enum)) return `TypeError: ${name}'s parameter "${param}" has an enum that is not a list of strings (LF's default tool format joins it)`
    if (pyTruthy(spec.items) && !isDict(spec.items)) return `AttributeError: ${name}'s parameter "${param}" has items that is not an object (LF's default tool format calls .get on it)`
  }
  if (!Object.hasOwn(fn, 'name')) return `KeyError: 'name' — a tool has no name (LF's default tool format reads it)`
  if (typeof fn.name !== 'string') return `TypeError: a tool's name is ${pyTypeName(fn.name)}, not a string (LF's default tool format joins the names)`
  return null
}

/** ToolFormatter.apply on a truthy `tools`: a JSON string of a list of tool objects. */
function toolsProblem(tools: unknown, toolFormat: string | undefined): string | null {
  if (typeof tools !== 'string') return `TypeError: the JSON object must be str, not ${pyTypeName(tools)} (tools must be a JSON-encoded string)`
  const parsed = parseJson(tools)
  if (!parsed.ok) return `Invalid JSON format in tool description: [${preview(tools)}]`
  const value = parsed.value
  if (typeof value !== 'string' && !Array.isArray(value) && !isDict(value)) return `TypeError: tools is the JSON ${pyTypeName(value)} ${tools.trim()}, which has no len()`
  const empty = typeof value === 'string' || Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0
  if (empty) return null
  if (!Array.isArray(value) || !value.every(isDict)) return `tools must be a JSON list of tool objects, got ${preview(tools)} (LF's tool formatter fails on it)`
  if (toolFormat === 'default') for (const tool of value) {
    const problem = defaultToolProblem(tool)
    if (problem) return problem
  }
  return null
}

/** Template._encode on one message: an encodable role, and a string content (function turns: call JSON). */
function messageProblem(m: LfMessage, opts: ProcessorOptions): Drop | null {
  if (!ENCODABLE_ROLES.has(m.role)) return crash('invalid_message', `NotImplementedError: Unexpected role: ${m.role}`)
  if (typeof m.content !== 'string') return crash('non_string_content', `a ${m.role} turn holds a ${pyTypeName(m.content)}, not a string (LF: "Expected a string")`)
  if (m.role === 'function') {
    const problem = functionProblem(m.content, opts)
    if (problem) return crash('invalid_function_json', problem)
  }
  return null
}

/** The messages the stage's processor encodes for a kept example. */
function encodedMessages(ex: AlignedExample, stage: Stage): LfMessage[] {
  const [first, second] = ex.response
  switch (stage) {
    case 'rm':
    case 'dpo':
      return [...ex.prompt, first!, second!]
    case 'kto':
      return [...ex.prompt, pyTruthy(first!.content) ? first! : second!]
    case 'ppo':
      return [...ex.prompt, ...(ex.response.length === 1 ? ex.response : [{role: 'assistant', content: ''} as LfMessage])]
    default:
      return [...ex.prompt, ...ex.response]
  }
}

/**
 * The stage processor (data/processor/*.py) on an aligned example: null when LF trains on it, else why not.
 * Drops ("Dropped invalid example"): an even prompt for every stage but pt, SFT without exactly one
 * response, rm/dpo/kto with fewer than two. Crashes while encoding a kept example: a non-string content, a
 * truthy non-string system prompt, tools or function turns that are not the JSON LF parses. pt drops
 * nothing: it concatenates the first prompt message's text, so an empty or non-text example crashes.
 */
export function processorVerdict(ex: AlignedExample, stage: Stage, opts: ProcessorOptions = {}): Drop | null {
  const p = ex.prompt.length
  const r = ex.response.length
  if (stage === 'pt') {
    if (p === 0) return crash('no_text', 'IndexError: list index out of range (the example has no prompt message)')
    const text = ex.prompt[0]!.content
    return typeof text === 'string' ? null : crash('non_string_content', `TypeError: the text is a ${pyTypeName(text)}, not a string`)
  }
  if (p % 2 !== 1) return skip('invalid_prompt_length', p === 0 ? 'the example has no prompt turns' : `the prompt has ${p} messages; LF needs an odd number ending on a user turn`)
  if (stage === 'sft' && r === 0) return skip('non_string_response', 'no string response')
  if (stage === 'sft' && r > 1) return skip('multiple_responses', `${r} responses (a KTO-tagged or ranking record); SFT needs exactly one`)
  if ((stage === 'rm' || stage === 'dpo' || stage === 'kto') && r < 2) return skip('missing_pair', `${r} response(s); ${stage} needs two`)

  if (pyTruthy(ex.tools)) {
    const problem = toolsProblem(ex.tools, opts.toolFormat)
    if (problem) return crash('invalid_tool_json', problem)
  }
  if (pyTruthy(ex.system) && typeof ex.system !== 'string') return crash('non_string_content', `TypeError: the system prompt is a ${pyTypeName(ex.system)}, not a string`)
  for (const m of encodedMessages(ex, stage)) {
    const problem = messageProblem(m, opts)
    if (problem) return problem
  }
  return null
}

/**
 * The KTO processor pairs each kept example with the response of the example before it in the same
 * preprocessing batch (the first of a batch with the batch's last) for its KL term, and reads that response
 * without checking it: an empty or one-message response there is an IndexError even though its own example
 * was merely dropped. Returns the crash this partner response causes, or null.
 */
export function ktoPartnerError(partnerResponse: readonly LfMessage[]): Drop | null {
  const [first, second] = partnerResponse
  if (first === undefined) return crash('missing_pair', 'IndexError: the KL partner (previous example in the batch) has no response')
  const used = pyTruthy(first.content) ? first : second
  if (used === undefined) return crash('missing_pair', 'IndexError: the KL partner (previous example in the batch) has an empty response and no second one')
  return messageProblem(used, {})
}

/**
 * Converter + processor on one record, the one call convert, stats and check make per record: does LF
 * train on it for this stage, and if not, why (and whether LF crashes rather than drops).
 */
export function lfVerdict(record: RawRecord, attr: DatasetAttr, stage: Stage, opts: AlignOptions & ProcessorOptions = {}): Verdict {
  const aligned = alignExample(record, attr, opts)
  if (aligned.kind === 'crash') return {kept: false, reason: aligned.reason, detail: aligned.detail, crash: true}
  if (aligned.kind === 'skip') {
    // pt reads the first prompt message, and a skipped example has none.
    if (stage === 'pt') return {kept: false, reason: aligned.reason, detail: `${aligned.detail}; pre-training then fails on the empty example (IndexError)`, crash: true}
    return {kept: false, reason: aligned.reason, detail: aligned.detail, crash: false}
  }
  const drop = processorVerdict(aligned.example, stage, opts)
  if (drop === null) return aligned.warnings ? {kept: true, example: aligned.example, warnings: aligned.warnings} : {kept: true, example: aligned.example}
  const ktoKey = attr.columns.kto_tag
  if (stage === 'kto' && drop.reason === 'missing_pair' && ktoKey) {
    const value = Object.hasOwn(record, ktoKey) ? record[ktoKey] : null
    return {kept: false, reason: 'non_bool_kto_tag', detail: `kto_tag "${ktoKey}" is ${pyJsonDumps(value)}, not true/false; ${drop.detail}`, crash: false}
  }
  return {kept: false, ...drop}
}
