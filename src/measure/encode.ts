import type {AlignedExample, LfMessage, Stage} from '../lf/types.js'
import {AddedTokenSplitter} from '../tokenize/added-tokens.js'
import type {TokenCounter} from '../tokenize/counter.js'
import type {ChatTemplate, Slot} from '../templates/templates.js'
import {formatFunctionCall, formatTools} from '../templates/tools.js'

export interface Length {
  prompt: number
  response: number
  total: number
}

type Count = (text: string) => number

const countFns = new WeakMap<TokenCounter, Map<string, Count>>()

/**
 * How LF counts a text once fix_special_tokens has run: it registers the template's stop words as special
 * tokens (the first as EOS when replace_eos, the rest as additional special tokens), so a stop word the
 * tokenizer does not have yet (`<|im_end|>` for a Llama 3 tokenizer under chatml) becomes one token.
 */
function countFor(template: ChatTemplate, counter: TokenCounter): Count {
  let byTemplate = countFns.get(counter)
  if (!byTemplate) countFns.set(counter, (byTemplate = new Map<string, Count>()))
  let count = byTemplate.get(template.name)
  if (count) return count
  // A stop word the tokenizer already counts as one token (its own special token) needs nothing.
  const added = template.stopWords.filter((w) => counter.count(w) !== 1)
  if (added.length === 0) count = (text) => counter.count(text)
  else {
    const splitter = new AddedTokenSplitter(added)
    const words = new Set(added)
    count = (text) => splitter.split(text).reduce((n, part) => n + (words.has(part) ? 1 : counter.count(part)), 0)
  }
  byTemplate.set(template.name, count)
  return count
}

/**
 * Tokens of a list of slots: each string slot encoded on its own, special slots one id each. As in
 * StringFormatter.apply, each string slot has its first `{{content}}` replaced, then (user turns of the base
 * Template only) its first `{{idx}}`, which may be one the content brought in.
 */
function slotTokens(slots: Slot[], content: string, counter: TokenCounter, count: Count, idx?: string): number {
  let n = 0
  for (const slot of slots) {
    if (typeof slot === 'string') {
      let text = slot.replace('{{content}}', () => content)
      if (idx !== undefined) text = text.replace('{{idx}}', idx)
      if (text.length > 0) n += count(text)
    } else if ('token' in slot) n += 1
    else if (slot.special === 'eos') n += 1 // LF always has an EOS (fix_special_tokens adds one)
    else if (counter.bosToken !== null) n += 1
  }
  return n
}

function renderSlots(slots: Slot[], content: string): string {
  return slots.map((s) => (typeof s === 'string' ? s.replace('{{content}}', () => content) : '')).join('')
}

/** Token counts of each message as Template._encode produces them (prefix and system go with message 0). */
export function encodeMessages(template: ChatTemplate, counter: TokenCounter, messages: LfMessage[], system: string, tools: string): number[] {
  const sys = system || template.defaultSystem
  const toolText = tools ? formatTools(template.toolFormat, JSON.parse(tools) as Record<string, unknown>[]) : ''
  const count = countFor(template, counter)
  return messages.map((m, i) => {
    const content = m.content as string
    let n = 0
    let fused = ''
    if (i === 0) {
      n += slotTokens(template.prefix, '', counter, count)
      if (sys || tools) {
        if (template.fuseSystem) fused = renderSlots(template.system, sys + toolText)
        else n += slotTokens(template.system, sys + toolText, counter, count)
      }
    }
    switch (m.role) {
      case 'user':
        // Template._encode passes idx=str(i // 2) to the user formatter; Llama2Template (fuseSystem) does not.
        return n + slotTokens(template.user, fused + content, counter, count, template.fuseSystem ? undefined : String(Math.floor(i / 2)))
      case 'assistant':
        return n + slotTokens(template.assistant, content, counter, count)
      case 'observation':
        return n + slotTokens(template.observation, content, counter, count)
      case 'function':
        return n + slotTokens(template.function, formatFunctionCall(template.toolFormat, content, template.thoughtWords), counter, count)
      default:
        throw new Error(`unexpected role ${m.role}`)
    }
  })
}

/**
 * len(input_ids) of an aligned example as LF's preprocessing for `stage` computes it with no truncation
 * (supervised: encode_multiturn over prompt+response, the reasoning template's empty thought block, and
 * efficient_eos; pairwise/KTO: prompt + the longer response; pt: text + EOS).
 */
export function exampleLength(ex: AlignedExample, template: ChatTemplate, counter: TokenCounter, stage: Stage): Length {
  const system = typeof ex.system === 'string' ? ex.system : ''
  const tools = typeof ex.tools === 'string' ? ex.tools : ''
  if (stage === 'pt') {
    const n = counter.count(String(ex.prompt[0]?.content ?? '')) + 1
    return {prompt: 0, response: n, total: n}
  }
  const thought = template.reasoning ? counter.count(template.thoughtWords[0] + template.thoughtWords[1]) : 0
  const needsThought = (content: unknown) =>
    typeof content === 'string' && !content.includes(template.thoughtWords[0].trim()) && !content.includes(template.thoughtWords[1].trim())
  if (stage === 'sft') {
    const counts = encodeMessages(template, counter, [...ex.prompt, ...ex.response], system, tools)
    let prompt = 0
    let response = 0
    for (let i = 0; i + 1 < counts.length; i += 2) {
      prompt += counts[i]!
      response += counts[i + 1]!
      const reply = i + 1 < ex.prompt.length ? ex.prompt[i + 1] : ex.response[i + 1 - ex.prompt.length]
      if (template.reasoning && needsThought(reply?.content)) response += thought
    }
    if (template.efficientEos) response += 1
    return {prompt, response, total: prompt + response}
  }
  // Pairwise and KTO encode prompt + one response at a time (encode_oneturn); the longer one decides the length.
  let prompt = 0
  let longest = 0
  for (const r of ex.response) {
    const counts = encodeMessages(template, counter, [...ex.prompt, r], system, tools)
    prompt = counts.slice(0, -1).reduce((a, b) => a + b, 0)
    let resp = counts.at(-1)! + (template.efficientEos ? 1 : 0)
    if (template.reasoning && needsThought(r.content)) resp += thought
    longest = Math.max(longest, resp)
  }
  return {prompt, response: longest, total: prompt + longest}
}
