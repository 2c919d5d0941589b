/**
 * What LF does when the train YAML names no `template` (get_template_and_fix_tokenizer): a tokenizer with a
 * chat_template gets a template parsed from it (template.py parse_template), any other the `empty` template.
 * Parsing renders the Jinja template on a few probe conversations whose contents are the `{{content}}`
 * placeholder and cuts the slots out of the rendered text.
 */
import {Template} from '@huggingface/jinja'

import {UsageError} from '../errors.js'
import {TEMPLATES, type ChatTemplate} from './templates.js'

export interface TokenizerTemplateSource {
  /** tokenizer_config.json's chat_template, or null. */
  chatTemplate: string | null
  /** decode(encode("")) of the tokenizer: the text its post-processor adds (e.g. the BOS token). */
  prefix: () => string
  /** bos_token, eos_token, … as apply_chat_template passes them to the template. */
  specialTokens: Record<string, string>
}

export interface ResolvedTemplate {
  template: ChatTemplate
  /** How it was chosen, for the report: "parsed from the tokenizer's chat_template" or "empty (…)". */
  how: string
}

/** LF's find_diff: the characters of `long` that a greedy walk over `short` skips. */
function findDiff(short: string, long: string): string {
  let i = 0
  let diff = ''
  for (const ch of long) {
    if (i < short.length && short[i] === ch) i++
    else diff += ch
  }
  return diff
}

/** parse_template: the template LF derives from a tokenizer's chat_template. */
export function parseChatTemplate(source: TokenizerTemplateSource & {chatTemplate: string}, name = 'parsed'): ChatTemplate {
  let jinja: Template
  try {
    jinja = new Template(source.chatTemplate)
  } catch (error) {
    throw new UsageError(`the tokenizer's chat_template does not parse as Jinja: ${(error as Error).message}`, {suggestion: 'set `template` (--template) to an LF template'})
  }
  const render = (messages: {role: string; content: string}[], addGenerationPrompt: boolean) => {
    try {
      return jinja.render({
        ...source.specialTokens,
        messages,
        add_generation_prompt: addGenerationPrompt,
      })
    } catch (error) {
      throw new UsageError(`rendering the tokenizer's chat_template failed as LF would: ${(error as Error).message}`, {suggestion: 'set `template` (--template) to an LF template'})
    }
  }
  const prefix = source.prefix()
  const C = '{{content}}'
  const system = render([{role: 'system', content: C}], false).slice(prefix.length)
  const userEmptySystem = render([{role: 'system', content: ''}, {role: 'user', content: C}], true).slice(prefix.length)
  let user = render([{role: 'user', content: C}], true).slice(prefix.length)
  let assistant = render([{role: 'user', content: C}, {role: 'assistant', content: C}], false).slice(prefix.length + user.length)
  const reasoning = assistant.includes('<think>')
  assistant = assistant.replaceAll('<think>', '').replaceAll('</think>', '').replace(/^\n+/, '')
  let defaultSystem = ''
  // A template that adds a default system prompt renders a longer user slot than with an empty system.
  if (user.length > userEmptySystem.length) {
    defaultSystem = findDiff(userEmptySystem, user)
    user = user.slice(system.replace(C, () => defaultSystem).length)
  }
  return {
    ...TEMPLATES.empty!,
    name,
    user: [user],
    assistant: [assistant],
    system: [system],
    function: {slots: [assistant], toolFormat: 'default'},
    observation: [user],
    tools: 'default',
    prefix: prefix ? [prefix] : [],
    defaultSystem,
    stopWords: [],
    efficientEos: false,
    replaceEos: false,
    replaceJinja: false,
    thoughtWords: ['<think>\n', '\n</think>\n\n'],
    toolCallWords: ['<tool_call>', '</tool_call>'],
    enableThinking: true,
    preserveThinking: false,
    mm: null,
    cls: reasoning ? 'reasoning' : 'template',
  }
}

/** The template LF uses when `template` is not set: parsed from the chat_template, or `empty`. */
export function templateWithoutName(source: TokenizerTemplateSource): ResolvedTemplate {
  if (source.chatTemplate === null) return {template: TEMPLATES.empty!, how: "empty (the tokenizer has no chat_template; LF: \"`template` was not specified, use `empty` template\")"}
  return {template: parseChatTemplate({...source, chatTemplate: source.chatTemplate}), how: "parsed from the tokenizer's chat_template, as LF does when `template` is not specified"}
}
