import {UsageError} from '../errors.js'
import {pyStr, pyTruthy} from '../lf/py.js'
import type {ToolFormat} from './templates.js'

/** Python's json.dumps(value, ensure_ascii=False[, indent]) — LF renders tools with it, so spacing matters for token counts. */
export function pyDumps(value: unknown, indent?: number, depth = 0): string {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : value > 0 ? 'Infinity' : value < 0 ? '-Infinity' : 'NaN'
  if (typeof value === 'string') return JSON.stringify(value)
  const pad = indent === undefined ? '' : '\n' + ' '.repeat(indent * (depth + 1))
  const end = indent === undefined ? '' : '\n' + ' '.repeat(indent * depth)
  const sep = indent === undefined ? ', ' : ','
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]'
    return `[${value.map((v) => pad + pyDumps(v, indent, depth + 1)).join(sep)}${end}]`
  }
  const entries = Object.entries(value as Record<string, unknown>)
  if (entries.length === 0) return '{}'
  return `{${entries.map(([k, v]) => `${pad}${JSON.stringify(k)}: ${pyDumps(v, indent, depth + 1)}`).join(sep)}${end}}`
}

const QWEN_TOOL_PROMPT = (toolText: string) =>
  '\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\n' +
  `You are provided with function signatures within <tools></tools> XML tags:\n<tools>${toolText}` +
  '\n</tools>\n\nFor each function call, return a json object with function name and arguments within ' +
  '<tool_call></tool_call> XML tags:\n<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call>'

const LLAMA3_TOOL_PROMPT = (date: string, toolText: string) =>
  `Cutting Knowledge Date: December 2023\nToday Date: ${date}\n\n` +
  'You have access to the following functions. To call a function, please respond with JSON for a function call. ' +
  'Respond in the format {"name": function name, "parameters": dictionary of argument name and its value}. ' +
  `Do not use variables.\n\n${toolText}`

const DEFAULT_TOOL_PROMPT = (toolText: string, names: string) =>
  `You have access to the following tools:\n${toolText}Use the following format if using a tool:\n\`\`\`\n` +
  `Action: tool name (one of [${names}])\n` +
  'Action Input: the input to the tool, in a JSON format representing the kwargs (e.g. ```{"input": "hello world", "num_beams": 5}```)\n```\n'

type Obj = Record<string, any>

/** What Python iterates over: a string's characters, a list's items, a dict's keys (the processor has refused the rest). */
const pyIter = (v: unknown): unknown[] => (typeof v === 'string' ? [...v] : Array.isArray(v) ? v : Object.keys(v as Obj))
/** Python's `x in v`: a substring for strings, membership for lists, a key for dicts. */
const pyContains = (v: unknown, x: string): boolean => (typeof v === 'string' ? v.includes(x) : pyIter(v).includes(x))

/** "%d %b %Y" of today, as LF's llama3 tool prompt prints it. */
function today(): string {
  const d = new Date()
  const month = d.toLocaleString('en-US', {month: 'short'})
  return `${String(d.getDate()).padStart(2, '0')} ${month} ${d.getFullYear()}`
}

function unsupported(format: ToolFormat): never {
  throw new UsageError(`tool formatting of this template is not implemented in lfdata (${format})`, {suggestion: 'use qwen, qwen3, llama3, chatml or default for tool data'})
}

/** The tool text LF appends to the system prompt (ToolFormatter). */
export function formatTools(format: ToolFormat, tools: Obj[]): string {
  if (tools.length === 0) return ''
  const wrap = (t: Obj) => (t.type === 'function' ? t : {type: 'function', function: t})
  if (format === 'qwen') return QWEN_TOOL_PROMPT(tools.map((t) => '\n' + pyDumps(wrap(t))).join(''))
  if (format === 'llama3') return LLAMA3_TOOL_PROMPT(today(), tools.map((t) => pyDumps(wrap(t), 4) + '\n\n').join(''))
  if (format === 'default') {
    // DefaultToolUtils reads with dict.get(key, default) and formats with str(): a present null prints "None".
    const get = (o: Obj, key: string, fallback: unknown = '') => (Object.hasOwn(o, key) ? o[key] : fallback)
    let text = ''
    const names: string[] = []
    for (let tool of tools) {
      tool = tool.type === 'function' ? (tool.function ?? '') : tool
      let params = ''
      for (const [name, param] of Object.entries((tool.parameters?.properties ?? {}) as Obj)) {
        const required = pyContains(get(tool.parameters, 'required', []), name) ? ', required' : ''
        const en = pyTruthy(param.enum) ? `, should be one of [${pyIter(param.enum).join(', ')}]` : ''
        const items = pyTruthy(param.items) ? `, where each item should be ${pyStr(get(param.items, 'type'))}` : ''
        params += `  - ${name} (${pyStr(get(param, 'type'))}${required}): ${pyStr(get(param, 'description'))}${en}${items}\n`
      }
      text += `> Tool Name: ${pyStr(tool.name)}\nTool Description: ${pyStr(get(tool, 'description'))}\nTool Args:\n${params}\n`
      names.push(tool.name)
    }
    return DEFAULT_TOOL_PROMPT(text, names.join(', '))
  }
  return unsupported(format)
}

/** The text of a function-call turn (FunctionFormatter + the tool utils' function_formatter). */
export function formatFunctionCall(format: ToolFormat, content: string, thought: [string, string], toolCall: [string, string] = ['<tool_call>', '</tool_call>']): string {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const parse = (json: string): {name: string; arguments: string}[] => {
    const calls = JSON.parse(json) as Obj | Obj[]
    return (Array.isArray(calls) ? calls : [calls]).map((c) => ({name: c.name, arguments: pyDumps(c.arguments)}))
  }
  const render = (calls: {name: string; arguments: string}[]): string => {
    if (format === 'qwen') return calls.map((c) => `<tool_call>\n${pyDumps({name: c.name, arguments: JSON.parse(c.arguments)})}\n</tool_call>`).join('\n')
    if (format === 'llama3') {
      const objs = calls.map((c) => ({name: c.name, parameters: JSON.parse(c.arguments)}))
      return pyDumps(objs.length === 1 ? objs[0] : objs)
    }
    if (format === 'default') return calls.map((c) => `Action: ${c.name}\nAction Input: ${c.arguments}`).join('\n')
    return unsupported(format)
  }
  const callMatch = new RegExp(`${esc(toolCall[0])}([\\s\\S]*?)${esc(toolCall[1])}`).exec(content)
  if (callMatch) return content.replace(callMatch[0], '') + render(parse(callMatch[1]!))
  const thoughtMatch = new RegExp(`${esc(thought[0])}([\\s\\S]*?)${esc(thought[1])}`).exec(content)
  const json = thoughtMatch ? content.replace(thoughtMatch[0], '') : content
  return (thoughtMatch ? thoughtMatch[0] : '') + render(parse(json))
}
