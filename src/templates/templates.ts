/**
 * LLaMA-Factory's chat templates (data/template.py) as data. A slot is literal text (tokenised on its own,
 * without special tokens; `{{content}}` is replaced first), the tokenizer's BOS/EOS (one id each, BOS only if
 * the tokenizer has one), or a named token (one id).
 */
import type {ProcessorOptions} from '../lf/processor.js'

export type Slot = string | {special: 'bos' | 'eos'} | {token: string}

/** How tool definitions and function calls are rendered (data/tool_utils.py). */
export type ToolFormat = 'default' | 'qwen' | 'llama3' | 'unsupported'

export interface ChatTemplate {
  name: string
  user: Slot[]
  assistant: Slot[]
  system: Slot[]
  function: Slot[]
  observation: Slot[]
  prefix: Slot[]
  toolFormat: ToolFormat
  defaultSystem: string
  stopWords: string[]
  efficientEos: boolean
  replaceEos: boolean
  /** ReasoningTemplate: an empty thought block is added to responses that have none. */
  reasoning: boolean
  /** Llama2Template: the system text is fused into the first user turn. */
  fuseSystem: boolean
  thoughtWords: [string, string]
}

const BOS = {special: 'bos'} as const
const EOS = {special: 'eos'} as const

type Spec = Partial<Omit<ChatTemplate, 'name'>> & {functionTools?: ToolFormat}

/** register_template's defaults: what a template that leaves a formatter out gets. */
function register(name: string, spec: Spec): ChatTemplate {
  const efficientEos = spec.efficientEos ?? false
  const defaultAssistant: Slot[] = efficientEos ? ['{{content}}'] : ['{{content}}', EOS]
  const assistant = spec.assistant ?? defaultAssistant
  return {
    name,
    user: spec.user ?? ['{{content}}'],
    assistant,
    system: spec.system ?? ['{{content}}'],
    function: spec.function ?? assistant,
    observation: spec.observation ?? spec.user ?? ['{{content}}'],
    prefix: spec.prefix ?? [],
    toolFormat: spec.toolFormat ?? 'default',
    defaultSystem: spec.defaultSystem ?? '',
    stopWords: spec.stopWords ?? [],
    efficientEos,
    replaceEos: spec.replaceEos ?? false,
    reasoning: spec.reasoning ?? false,
    fuseSystem: spec.fuseSystem ?? false,
    thoughtWords: spec.thoughtWords ?? ['<think>\n', '\n</think>\n\n'],
  }
}

const imUser = '<|im_start|>user\n{{content}}<|im_end|>\n<|im_start|>assistant\n'
const qwenLike: Spec = {
  user: [imUser],
  assistant: ['{{content}}<|im_end|>\n'],
  system: ['<|im_start|>system\n{{content}}<|im_end|>\n'],
  function: ['{{content}}<|im_end|>\n'],
  observation: ['<|im_start|>user\n<tool_response>\n{{content}}\n</tool_response><|im_end|>\n<|im_start|>assistant\n'],
  toolFormat: 'qwen',
  stopWords: ['<|im_end|>'],
  replaceEos: true,
}

export const TEMPLATES: Record<string, ChatTemplate> = Object.fromEntries([
  register('default', {
    user: ['Human: {{content}}', EOS, '\nAssistant:'],
    assistant: ['{{content}}', EOS, '\n'],
    system: ['System: {{content}}', EOS, '\n'],
  }),
  register('empty', {assistant: ['{{content}}']}),
  register('chatml', {
    user: [imUser],
    assistant: ['{{content}}<|im_end|>\n'],
    system: ['<|im_start|>system\n{{content}}<|im_end|>\n'],
    observation: ['<|im_start|>tool\n{{content}}<|im_end|>\n<|im_start|>assistant\n'],
    stopWords: ['<|im_end|>', '<|im_start|>'],
    replaceEos: true,
  }),
  register('llama2', {user: [BOS, '[INST] {{content}} [/INST]'], system: ['<<SYS>>\n{{content}}\n<</SYS>>\n\n'], fuseSystem: true}),
  register('llama3', {
    user: ['<|start_header_id|>user<|end_header_id|>\n\n{{content}}<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n'],
    assistant: ['{{content}}<|eot_id|>'],
    system: ['<|start_header_id|>system<|end_header_id|>\n\n{{content}}<|eot_id|>'],
    function: ['{{content}}<|eot_id|>'],
    observation: ['<|start_header_id|>ipython<|end_header_id|>\n\n{{content}}<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n'],
    toolFormat: 'llama3',
    prefix: [BOS],
    stopWords: ['<|eot_id|>', '<|eom_id|>'],
    replaceEos: true,
  }),
  register('qwen', {...qwenLike, defaultSystem: 'You are Qwen, created by Alibaba Cloud. You are a helpful assistant.'}),
  register('qwen3', {...qwenLike, reasoning: true}),
  register('qwen3_nothink', qwenLike),
  register('deepseek3', {user: ['<｜User｜>{{content}}<｜Assistant｜>'], prefix: [BOS]}),
  register('glm4', {
    user: ['<|user|>\n{{content}}<|assistant|>'],
    assistant: ['\n{{content}}'],
    system: ['<|system|>\n{{content}}'],
    function: ['{{content}}'],
    observation: ['<|observation|>\n{{content}}<|assistant|>'],
    toolFormat: 'unsupported',
    prefix: ['[gMASK]<sop>'],
    stopWords: ['<|user|>', '<|observation|>'],
    efficientEos: true,
  }),
  register('gemma', {
    user: ['<start_of_turn>user\n{{content}}<end_of_turn>\n<start_of_turn>model\n'],
    assistant: ['{{content}}<end_of_turn>\n'],
    system: ['{{content}}\n\n'],
    observation: ['<start_of_turn>tool\n{{content}}<end_of_turn>\n<start_of_turn>model\n'],
    prefix: [BOS],
    stopWords: ['<end_of_turn>'],
    replaceEos: true,
    fuseSystem: true,
  }),
  register('mistral', {
    user: ['[INST] {{content}}[/INST]'],
    assistant: [' {{content}}', EOS],
    system: ['{{content}}\n\n'],
    function: ['[TOOL_CALLS] {{content}}', EOS],
    observation: ['[TOOL_RESULTS] {"content": {{content}}}[/TOOL_RESULTS]'],
    toolFormat: 'unsupported',
    prefix: [BOS],
    fuseSystem: true,
  }),
  register('phi4', {
    user: ['<|im_start|>user<|im_sep|>{{content}}<|im_end|><|im_start|>assistant<|im_sep|>'],
    assistant: ['{{content}}<|im_end|>'],
    system: ['<|im_start|>system<|im_sep|>{{content}}<|im_end|>'],
    stopWords: ['<|im_end|>'],
    replaceEos: true,
  }),
].map((t) => [t.name, t]))

export const TEMPLATE_NAMES = Object.keys(TEMPLATES)

/** What LF's processor reads from the template when it decides an example crashes it (src/lf/processor.ts). */
export function processorOptionsFor(t: ChatTemplate): ProcessorOptions {
  // Llama2Template (fuseSystem) hands its function formatter no thought or tool-call words.
  return t.fuseSystem ? {thoughtWords: null, toolCallWords: null, toolFormat: t.toolFormat} : {thoughtWords: t.thoughtWords, toolFormat: t.toolFormat}
}
