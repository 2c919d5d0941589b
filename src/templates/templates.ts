/**
 * LLaMA-Factory's chat templates (data/template.py) as data: the rows of table.ts with register_template's
 * defaults filled in. A slot is literal text (tokenised on its own, without special tokens, after its
 * placeholders are replaced), the tokenizer's BOS/EOS, or a named token (one id).
 */
import type {ProcessorOptions} from '../lf/processor.js'
import {ROWS, type Slot, type TemplateRow} from './table.js'

export type {Slot, TemplateRow}

/** data/tool_utils.py TOOLS: how tool definitions and function calls are rendered. */
export const TOOL_FORMATS = ['default', 'gemma4', 'glm4', 'llama3', 'lfm2', 'minimax1', 'minimax2', 'mistral', 'qwen', 'qwen3_5', 'glm4_moe', 'seed_oss', 'ling'] as const
export type ToolFormat = (typeof TOOL_FORMATS)[number]

/** The template classes of data/template.py: Template, ReasoningTemplate, Llama2Template, Glm47ReasoningTemplate, MossVLTemplate. */
export type TemplateClass = 'template' | 'reasoning' | 'llama2' | 'glm47' | 'mossvl'

export interface ChatTemplate {
  name: string
  user: Slot[]
  assistant: Slot[]
  system: Slot[]
  function: {slots: Slot[]; toolFormat: ToolFormat}
  observation: Slot[]
  tools: ToolFormat | {slots: Slot[]}
  prefix: Slot[]
  defaultSystem: string
  stopWords: string[]
  thoughtWords: [string, string]
  toolCallWords: [string, string]
  efficientEos: boolean
  replaceEos: boolean
  /** Only changes the tokenizer's jinja template, never a length; kept so the table mirrors LF. */
  replaceJinja: boolean
  /** ReasoningTemplate: true (empty thought trained), false (thoughts removed, empty one in the prompt), null. */
  enableThinking: boolean | null
  preserveThinking: boolean
  mm: {plugin: string; [token: string]: string} | null
  cls: TemplateClass
}

const toolFormat = (name: string): ToolFormat => {
  if (!(TOOL_FORMATS as readonly string[]).includes(name)) throw new Error(`unknown tool format ${name}`)
  return name as ToolFormat
}

/** register_template: what a template that leaves an argument out gets. */
export function resolveRow(row: TemplateRow): ChatTemplate {
  const efficientEos = row.efficientEos ?? false
  const defaultSlots: Slot[] = efficientEos ? ['{{content}}'] : ['{{content}}', {special: 'eos'}]
  return {
    name: row.name,
    user: row.user ?? ['{{content}}'],
    assistant: row.assistant ?? defaultSlots,
    system: row.system ?? ['{{content}}'],
    // The default function formatter reuses the assistant's slots with the default tool format.
    function: row.function ? {slots: row.function.slots, toolFormat: toolFormat(row.function.toolFormat)} : {slots: row.assistant ?? defaultSlots, toolFormat: 'default'},
    observation: row.observation ?? row.user ?? ['{{content}}'],
    tools: row.tools === undefined ? 'default' : typeof row.tools === 'string' ? toolFormat(row.tools) : row.tools,
    prefix: row.prefix ?? [],
    defaultSystem: row.defaultSystem ?? '',
    stopWords: row.stopWords ?? [],
    thoughtWords: (row.thoughtWords ?? ['<think>\n', '\n</think>\n\n']) as [string, string],
    toolCallWords: (row.toolCallWords ?? ['<tool_call>', '</tool_call>']) as [string, string],
    efficientEos,
    replaceEos: row.replaceEos ?? false,
    replaceJinja: row.replaceJinja ?? false,
    enableThinking: row.enableThinking === undefined ? true : row.enableThinking,
    preserveThinking: row.preserveThinking ?? false,
    mm: row.mm ?? null,
    cls: row.cls ?? 'template',
  }
}

export const TEMPLATES: Record<string, ChatTemplate> = Object.fromEntries(ROWS.map((r) => [r.name, resolveRow(r)]))

export const TEMPLATE_NAMES = Object.keys(TEMPLATES)

/** ReasoningTemplate and its subclass: the empty thought block and enable_thinking apply. */
export const isReasoning = (t: ChatTemplate): boolean => t.cls === 'reasoning' || t.cls === 'glm47'

/** The tool format of the template's tool prompt ('string' for a StringFormatter). */
export const toolsFormatOf = (t: ChatTemplate): ToolFormat | 'string' => (typeof t.tools === 'string' ? t.tools : 'string')

/**
 * The training switches of LF's DataArguments that change what a template renders (get_template_and_fix_tokenizer
 * applies them to the registered template before any example is encoded).
 */
export interface TemplateSwitches {
  /** enable_thinking (LF's default true); only reasoning templates read it. */
  enableThinking?: boolean | null
  preserveThinking?: boolean
  defaultSystem?: string
  toolFormat?: string
}

export function withSwitches(t: ChatTemplate, s: TemplateSwitches): ChatTemplate {
  const out = {...t}
  if (s.toolFormat !== undefined) {
    // tool_format replaces both the function formatter (default slots) and the tool formatter.
    const format = toolFormat(s.toolFormat)
    out.function = {slots: t.efficientEos ? ['{{content}}'] : ['{{content}}', {special: 'eos'}], toolFormat: format}
    out.tools = format
  }
  if (s.defaultSystem !== undefined) out.defaultSystem = s.defaultSystem
  if (isReasoning(t)) {
    out.enableThinking = s.enableThinking === undefined ? true : s.enableThinking
    out.preserveThinking = s.preserveThinking ?? false
  }
  return out
}

/** What LF's processor reads from the template when it decides an example crashes it (src/lf/processor.ts). */
export function processorOptionsFor(t: ChatTemplate): ProcessorOptions {
  // Llama2Template hands its function formatter no thought or tool-call words.
  const format = t.function.toolFormat
  return t.cls === 'llama2' ? {thoughtWords: null, toolCallWords: null, toolFormat: format} : {thoughtWords: t.thoughtWords, toolFormat: format}
}
