/**
 * LF's tool formats (data/tool_utils.py): the tool prompt a template appends to the system text, and the text
 * of a function-call turn (formatter.py FunctionFormatter). Values go through Python's json.loads/json.dumps
 * (src/lf/py.ts), so floats, big ints and key order print as LF prints them. Where LF's Python raises on a
 * value, LfRaise says what Python would raise.
 */
import {pyEquals, pyJsonDumps, PyJsonError, pyJsonLoads, pyStr, pyTruthy, pyTypeName, type PyValue} from '../lf/py.js'
import type {ToolFormat} from './templates.js'

/** LF's preprocessing raises on this record (the run would stop with this Python exception). */
export class LfRaise extends Error {}

type Dict = Map<string, PyValue>
const isDict = (v: unknown): v is Dict => v instanceof Map

/** `d.get(key, fallback)`; AttributeError when d is not a dict. */
function get(d: PyValue, key: string, fallback: PyValue = null): PyValue {
  if (!isDict(d)) throw new LfRaise(`AttributeError: '${pyTypeName(d)}' object has no attribute 'get'`)
  return d.has(key) ? d.get(key)! : fallback
}

/** `d[key]`: KeyError or TypeError as Python raises them. */
function at(d: PyValue, key: string): PyValue {
  if (!isDict(d)) throw new LfRaise(`TypeError: ${pyTypeName(d)} indices must be integers`)
  if (!d.has(key)) throw new LfRaise(`KeyError: '${key}'`)
  return d.get(key)!
}

/** `for x in v`: a list's items, a dict's keys, a string's characters; TypeError otherwise. */
function iter(v: PyValue): PyValue[] {
  if (Array.isArray(v)) return v
  if (isDict(v)) return [...v.keys()]
  if (typeof v === 'string') return [...v]
  throw new LfRaise(`TypeError: '${pyTypeName(v)}' object is not iterable`)
}

function items(v: PyValue): [string, PyValue][] {
  if (!isDict(v)) throw new LfRaise(`AttributeError: '${pyTypeName(v)}' object has no attribute 'items'`)
  return [...v.entries()]
}

/** `", ".join(xs)`: every item must be a str. */
function join(sep: string, xs: PyValue[]): string {
  const bad = xs.find((x) => typeof x !== 'string')
  if (bad !== undefined) throw new LfRaise(`TypeError: sequence item: expected str instance, ${pyTypeName(bad)} found`)
  return xs.join(sep)
}

/** `a + b` on strings: TypeError when one is not a str. */
function concat(...parts: PyValue[]): string {
  const bad = parts.find((x) => typeof x !== 'string')
  if (bad !== undefined) throw new LfRaise(`TypeError: can only concatenate str (not "${pyTypeName(bad)}") to str`)
  return parts.join('')
}

const isFunctionTool = (tool: PyValue) => pyEquals(get(tool, 'type'), 'function')
/** `{"type": "function", "function": tool}` unless the tool already says it is one. */
const wrapped = (tool: PyValue): PyValue => (isFunctionTool(tool) ? tool : new Map<string, PyValue>([['type', 'function'], ['function', tool]]))
/** The function object of a tool (`tool.get("function", fallback)` for type=function tools). */
const unwrapped = (tool: PyValue, fallback: 'empty' | 'self'): PyValue => (isFunctionTool(tool) ? get(tool, 'function', fallback === 'empty' ? '' : tool) : tool)

const QWEN_TOOLS = (text: string) =>
  `\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>${text}\n</tools>\n\n` +
  'For each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call>'

const PROMPTS = {
  default: (text: string, names: string) =>
    `You have access to the following tools:\n${text}Use the following format if using a tool:\n\`\`\`\nAction: tool name (one of [${names}])\n` +
    'Action Input: the input to the tool, in a JSON format representing the kwargs (e.g. ```{"input": "hello world", "num_beams": 5}```)\n```\n',
  glm4: (text: string) => `你是一个名为 ChatGLM 的人工智能助手。你是基于智谱 AI 公司训练的语言模型 GLM-4 模型开发的，你的任务是针对用户的问题和要求提供适当的答复和支持。\n\n# 可用工具${text}`,
  glm4_moe: (text: string) =>
    `\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>${text}\n</tools>\n\n` +
    'For each function call, output the function name and arguments within the following XML format:\n<tool_call>{function-name}\n<arg_key>{arg-key-1}</arg_key>\n<arg_value>{arg-value-1}</arg_value>\n<arg_key>{arg-key-2}</arg_key>\n<arg_value>{arg-value-2}</arg_value>\n...\n</tool_call>\n',
  llama3: (date: string, text: string) =>
    `Cutting Knowledge Date: December 2023\nToday Date: ${date}\n\nYou have access to the following functions. To call a function, please respond with JSON for a function call. ` +
    `Respond in the format {"name": function name, "parameters": dictionary of argument name and its value}. Do not use variables.\n\n${text}`,
  minimax1: (text: string) =>
    `You are provided with these tools:\n<tools>\n${text}</tools>\n\nIf you need to call tools, please respond with <tool_calls></tool_calls> XML tags, and provide tool-name and json-object of arguments, following the format below:\n<tool_calls>\n` +
    '{"name": <tool-name-1>, "arguments": <args-json-object-1>}\n...\n</tool_calls>',
  minimax2: (text: string) =>
    `\n\n# Tools\n\nYou may call one or more tools to assist with the user query.\nHere are the tools available in JSONSchema format:\n\n<tools>\n${text}</tools>\n\nWhen making tool calls, use XML format to invoke tools and pass parameters:\n` +
    '\n<minimax:tool_call>\n<invoke name="tool-name-1">\n<parameter name="param-key-1">param-value-1</parameter>\n<parameter name="param-key-2">param-value-2</parameter>\n...\n</invoke>\n</minimax:tool_call>',
  qwen3_5: (text: string) =>
    `\n\n# Tools\n\nYou have access to the following functions:\n\n<tools>${text}\n</tools>\n\nIf you choose to call a function ONLY reply in the following format with NO suffix:\n\n` +
    '<tool_call>\n<function=example_function_name>\n<parameter=example_parameter_1>\nvalue_1\n</parameter>\n<parameter=example_parameter_2>\nThis is the value for the second parameter\nthat can span\nmultiple lines\n</parameter>\n</function>\n</tool_call>\n\n<IMPORTANT>\nReminder:\n' +
    '- Function calls MUST follow the specified format: an inner <function=...></function> block must be nested within <tool_call></tool_call> XML tags\n- Required parameters MUST be specified\n' +
    '- You may provide optional reasoning for your function call in natural language BEFORE the function call, but NOT after\n- If there is no function call available, answer the question like normal with your current knowledge and do not tell the user about function calls\n</IMPORTANT>',
  seed_oss: (text: string) =>
    'system\nYou are Doubao, a helpful AI assistant. You may call one or more functions to assist with the user query.Tool List:\nYou are authorized to use the following tools (described in JSON Schema format). Before performing ' +
    `any task, you must decide how to call them based on the descriptions and parameters of these tools.${text}\n工具调用请遵循如下格式:\n<seed:tool_call>\n<function=example_function_name>\n<parameter=example_parameter_1>value_1</parameter>\n<parameter=example_parameter_2>This is the value for the second parameter\nthat can span\nmultiple lines</parameter>\n</function>\n</seed:tool_call>\n`,
  ling: (text: string) => QWEN_TOOLS(text).slice(2) + '\ndetailed thinking off',
  lfm2: (text: string) => `List of tools: <|tool_list_start|>${text}<|tool_list_end|>`,
}

/** "%d %b %Y" of today, as LF's llama3 tool prompt prints it (datetime.now(), C locale). */
function today(): string {
  const d = new Date()
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getMonth()]
  return `${String(d.getDate()).padStart(2, '0')} ${month} ${d.getFullYear()}`
}

/** Python's sorted() of str keys: by code point, not by UTF-16 unit. */
const byCodePoint = (a: string, b: string): number => {
  const x = [...a].map((c) => c.codePointAt(0)!)
  const y = [...b].map((c) => c.codePointAt(0)!)
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!
  return x.length - y.length
}

function defaultTools(tools: PyValue): string {
  let text = ''
  const names: PyValue[] = []
  for (let tool of iter(tools)) {
    tool = unwrapped(tool, 'empty')
    let params = ''
    const parameters = at(tool, 'parameters')
    for (const [name, param] of items(at(parameters, 'properties'))) {
      const req = get(parameters, 'required', [])
      const required = (typeof req === 'string' ? req.includes(name) : iter(req).some((r) => pyEquals(r, name))) ? ', required' : ''
      const en = pyTruthy(get(param, 'enum')) ? `, should be one of [${join(', ', iter(at(param, 'enum')))}]` : ''
      const its = pyTruthy(get(param, 'items')) ? `, where each item should be ${pyStr(get(at(param, 'items'), 'type', ''))}` : ''
      params += `  - ${name} (${pyStr(get(param, 'type', ''))}${required}): ${pyStr(get(param, 'description', ''))}${en}${its}\n`
    }
    text += `> Tool Name: ${pyStr(at(tool, 'name'))}\nTool Description: ${pyStr(get(tool, 'description', ''))}\nTool Args:\n${params}\n`
    names.push(at(tool, 'name'))
  }
  return PROMPTS.default(text, join(', ', names))
}

function gemma4Tools(tools: PyValue): string {
  const declarations: string[] = []
  for (const tool of iter(tools)) {
    const fn = unwrapped(tool, 'self')
    let decl = `declaration:${pyStr(at(fn, 'name'))}{description:<|"|>${pyStr(get(fn, 'description', ''))}<|"|>`
    const params = get(fn, 'parameters')
    if (pyTruthy(params)) {
      const parts: string[] = []
      if (pyTruthy(get(params, 'properties'))) {
        const props = items(at(params, 'properties')).map(([name, schema]) => {
          const p: string[] = []
          if (pyTruthy(get(schema, 'description'))) p.push(`description:<|"|>${pyStr(at(schema, 'description'))}<|"|>`)
          if (pyTruthy(get(schema, 'type'))) p.push(`type:<|"|>${pyStr(at(schema, 'type')).toUpperCase()}<|"|>`)
          return `${name}:{${p.join(',')}}`
        })
        parts.push(`properties:{${props.join(',')}}`)
      }
      if (pyTruthy(get(params, 'required'))) parts.push(`required:[${iter(at(params, 'required')).map((r) => `<|"|>${pyStr(r)}<|"|>`).join(',')}]`)
      if (pyTruthy(get(params, 'type'))) parts.push(`type:<|"|>${pyStr(at(params, 'type')).toUpperCase()}<|"|>`)
      decl += `,parameters:{${parts.join(',')}}`
    }
    const response = get(fn, 'response')
    if (pyTruthy(response)) {
      const parts: string[] = []
      if (pyTruthy(get(response, 'description'))) parts.push(`description:<|"|>${pyStr(at(response, 'description'))}<|"|>`)
      const type = pyStr(get(response, 'type', '')).toUpperCase()
      if (type === 'OBJECT') parts.push(`type:<|"|>${type}<|"|>`)
      decl += `,response:{${parts.join(',')}}`
    }
    declarations.push(decl + '}')
  }
  return declarations.join('\n')
}

/** ToolUtils.tool_formatter for a parsed, non-empty tools value. */
function toolFormatter(format: ToolFormat, tools: PyValue): string {
  switch (format) {
    case 'default':
      return defaultTools(tools)
    case 'gemma4':
      return gemma4Tools(tools)
    case 'glm4':
      return PROMPTS.glm4(iter(tools).map((t) => {
        const tool = unwrapped(t, 'empty')
        return `\n\n## ${pyStr(at(tool, 'name'))}\n\n${pyJsonDumps(tool, 4)}\n在调用上述函数时，请使用 Json 格式表示调用的参数。`
      }).join(''))
    case 'llama3':
      return PROMPTS.llama3(today(), iter(tools).map((t) => pyJsonDumps(wrapped(t), 4) + '\n\n').join(''))
    case 'minimax1':
      return PROMPTS.minimax1(iter(tools).map((t) => pyJsonDumps(unwrapped(t, 'empty')) + '\n').join(''))
    case 'minimax2':
      return PROMPTS.minimax2(iter(tools).map((t) => `<tool>${pyJsonDumps(unwrapped(t, 'empty'))}</tool>\n`).join(''))
    case 'mistral':
      return `[AVAILABLE_TOOLS] ${pyJsonDumps(iter(tools).map(wrapped))}[/AVAILABLE_TOOLS]`
    case 'qwen':
      return QWEN_TOOLS(iter(tools).map((t) => '\n' + pyJsonDumps(wrapped(t))).join(''))
    case 'qwen3_5':
      return PROMPTS.qwen3_5(iter(tools).map((t) => '\n' + pyJsonDumps(unwrapped(t, 'self'))).join(''))
    case 'glm4_moe':
      return PROMPTS.glm4_moe(iter(tools).map((t) => '\n' + pyJsonDumps(wrapped(t))).join(''))
    case 'seed_oss':
      return PROMPTS.seed_oss('\n' + pyJsonDumps(tools))
    case 'ling':
      return PROMPTS.ling(iter(tools).map((t) => '\n' + pyJsonDumps(wrapped(t))).join(''))
    case 'lfm2':
      return PROMPTS.lfm2(pyJsonDumps(iter(tools).map((t) => unwrapped(t, 'self'))))
  }
}

/** Python's len(): TypeError for numbers, booleans and None. */
function pyLen(v: PyValue): number {
  if (Array.isArray(v)) return v.length
  if (v instanceof Map) return v.size
  if (typeof v === 'string') return [...v].length
  throw new LfRaise(`TypeError: object of type '${pyTypeName(v)}' has no len()`)
}

function loads(text: string, what: string): PyValue {
  try {
    return pyJsonLoads(text)
  } catch (e) {
    if (e instanceof PyJsonError) throw new LfRaise(`RuntimeError: Invalid JSON format in ${what}`)
    throw e
  }
}

/** ToolFormatter.apply: the tool text LF appends to the system prompt ('' for an empty list). */
export function formatTools(format: ToolFormat, tools: string): string {
  const value = loads(tools, 'tool description')
  return pyLen(value) !== 0 ? toolFormatter(format, value) : ''
}

interface FunctionCall {
  name: PyValue
  /** json.dumps(arguments) — what LF hands the tool utils; `args` is the same value before dumping. */
  arguments: string
  args: PyValue
}

/** How the tool utils render `value` inside a tag: strings as they are, anything else as JSON. */
const asText = (v: PyValue): string => (typeof v === 'string' ? v : pyJsonDumps(v))

function gemma4Argument(v: PyValue, escapeKeys: boolean): string {
  if (typeof v === 'string') return `<|"|>${v}<|"|>`
  if (typeof v === 'boolean') return v ? 'true' : 'false'
  if (isDict(v)) {
    const keys = [...v.keys()].sort(byCodePoint)
    return `{${keys.map((k) => `${escapeKeys ? `<|"|>${k}<|"|>` : k}:${gemma4Argument(v.get(k)!, escapeKeys)}`).join(',')}}`
  }
  if (Array.isArray(v)) return `[${v.map((x) => gemma4Argument(x, escapeKeys)).join(',')}]`
  if (v === null) return 'null'
  return pyStr(v)
}

/** ToolUtils.function_formatter. */
function functionFormatter(format: ToolFormat, calls: FunctionCall[]): string {
  const nameAndArgs = (c: FunctionCall, argsKey: string) => new Map<string, PyValue>([['name', c.name], [argsKey, c.args]])
  switch (format) {
    case 'default':
      return calls.map((c) => `Action: ${pyStr(c.name)}\nAction Input: ${c.arguments}`).join('\n')
    case 'glm4':
      if (calls.length > 1) throw new LfRaise('ValueError: GLM-4 does not support parallel functions.')
      return `${pyStr(calls[0]!.name)}\n${calls[0]!.arguments}`
    case 'llama3': {
      const objs = calls.map((c) => nameAndArgs(c, 'parameters'))
      return pyJsonDumps(objs.length === 1 ? objs[0] : objs)
    }
    case 'mistral':
      return pyJsonDumps(calls.map((c) => nameAndArgs(c, 'arguments')))
    case 'qwen':
    case 'ling':
      return calls.map((c) => `<tool_call>\n${pyJsonDumps(nameAndArgs(c, 'arguments'))}\n</tool_call>`).join('\n')
    case 'minimax1':
      return `<tool_calls>\n${calls.map((c) => pyJsonDumps(nameAndArgs(c, 'arguments'))).join('\n')}\n</tool_calls>`
    case 'qwen3_5':
      return calls.map((c) => `<tool_call>\n<function=${pyStr(c.name)}>${items(c.args).map(([k, v]) => `\n<parameter=${k}>\n${asText(v)}\n</parameter>`).join('')}\n</function>\n</tool_call>`).join('\n')
    case 'minimax2':
      return calls.map((c) => `<invoke name="${pyStr(c.name)}">${items(c.args).map(([k, v]) => `\n<parameter name="${k}">${asText(v)}</parameter>`).join('')}\n</invoke>`).join('\n')
    case 'glm4_moe':
      return calls.map((c) => concat('\n<tool_call>', c.name) + items(c.args).map(([k, v]) => `\n<arg_key>${k}</arg_key>\n<arg_value>${asText(v)}</arg_value>`).join('')).join('\n')
    case 'seed_oss':
      return calls.map((c) => concat('\n<seed:tool_call>\n<function=', c.name) + items(c.args).map(([k, v]) => `\n<parameter=${k}>${asText(v)}</parameter>`).join('') + '\n</function>\n</seed:tool_call>').join('\n')
    case 'lfm2':
      return `<|tool_call_start|>[${calls.map((c) => `${pyStr(c.name)}(${items(c.args).map(([k, v]) => (typeof v === 'string' ? `${k}="${v}"` : `${k}=${pyJsonDumps(v)}`)).join(', ')})`).join(', ')}]<|tool_call_end|>`
    case 'gemma4':
      return calls.map((c) => {
        const body = isDict(c.args) ? [...c.args.keys()].sort(byCodePoint).map((k) => `${k}:${gemma4Argument((c.args as Dict).get(k)!, false)}`).join(',') : typeof c.args === 'string' ? c.args : gemma4Argument(c.args, false)
        return `<|tool_call>call:${pyStr(c.name)}{${body}}<tool_call|>`
      }).join('')
  }
}

/** _parse_functions: one call or a list of calls, each {"name", "arguments"}. */
function parseCalls(json: string): FunctionCall[] {
  const value = loads(json, 'function message')
  return (Array.isArray(value) ? value : [value]).map((c) => {
    const args = at(c, 'arguments')
    return {name: at(c, 'name'), args, arguments: pyJsonDumps(args)}
  })
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
/** Python's str.replace(old, new) with no count: every occurrence. */
const removeAll = (s: string, old: string) => s.split(old).join('')

/**
 * FunctionFormatter.apply's content: a `<tool_call>` block (if the template has tool-call words) is parsed
 * and every copy of it is removed from the text, which is kept before the calls; otherwise a thought block is
 * lifted out (every copy removed) and the rest parsed as the calls.
 */
export function formatFunctionCall(format: ToolFormat, content: string, thought: readonly [string, string] | null, toolCall: readonly [string, string] | null): string {
  const firstMatch = (words: readonly [string, string] | null) => (words ? new RegExp(`${escapeRe(words[0])}([\\s\\S]*?)${escapeRe(words[1])}`).exec(content) : null)
  const call = firstMatch(toolCall)
  if (call) return removeAll(content, call[0]) + functionFormatter(format, parseCalls(call[1]!))
  const think = firstMatch(thought)
  const rendered = functionFormatter(format, parseCalls(think ? removeAll(content, think[0]) : content))
  return think ? think[0] + rendered : rendered
}

