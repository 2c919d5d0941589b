import type {AlignedExample, LfMessage, Stage} from '../lf/types.js'
import type {TokenCounter} from '../tokenize/counter.js'
import type {ChatTemplate, Slot} from './templates.js'
import {formatFunctionCall, formatTools} from './tools.js'

export interface Length {
  prompt: number
  response: number
  total: number
}

/** Tokens of a list of slots: each string slot encoded on its own, special slots one id each. */
function slotTokens(slots: Slot[], content: string, counter: TokenCounter): number {
  let n = 0
  for (const slot of slots) {
    if (typeof slot === 'string') {
      const text = slot.replace('{{content}}', () => content)
      if (text.length > 0) n += counter.count(text)
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
  return messages.map((m, i) => {
    const content = m.content as string
    let n = 0
    let fused = ''
    if (i === 0) {
      n += slotTokens(template.prefix, '', counter)
      if (sys || tools) {
        if (template.fuseSystem) fused = renderSlots(template.system, sys + toolText)
        else n += slotTokens(template.system, sys + toolText, counter)
      }
    }
    switch (m.role) {
      case 'user':
        return n + slotTokens(template.user, fused + content, counter)
      case 'assistant':
        return n + slotTokens(template.assistant, content, counter)
      case 'observation':
        return n + slotTokens(template.observation, content, counter)
      case 'function':
        return n + slotTokens(template.function, formatFunctionCall(template.toolFormat, content, template.thoughtWords), counter)
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
