import type {AlignedExample, LfMessage, Stage} from '../lf/types.js'
import {AddedTokenSplitter} from '../tokenize/added-tokens.js'
import {tokenBytes} from '../tokenize/byte-level.js'
import type {TokenCounter} from '../tokenize/counter.js'
import type {ChatTemplate, Slot} from '../templates/templates.js'
import {formatFunctionCall, formatTools} from '../templates/tools.js'

export interface Length {
  prompt: number
  response: number
  total: number
}

type Count = (text: string) => number

/**
 * What one message encodes to, slot by slot, recorded only when a trace is asked for (the report's token
 * view): text slots as the text that is tokenised, special slots as the token they stand for.
 */
export interface TracePart {
  text: string
  special: boolean
  /** Counted by the tokenizer alone, without the template's added stop words (pre-training text). */
  plain?: boolean
}

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
function slotTokens(slots: Slot[], content: string, counter: TokenCounter, count: Count, idx?: string, trace?: TracePart[]): number {
  let n = 0
  for (const slot of slots) {
    if (typeof slot === 'string') {
      let text = slot.replace('{{content}}', () => content)
      if (idx !== undefined) text = text.replace('{{idx}}', idx)
      if (text.length > 0) {
        n += count(text)
        trace?.push({text, special: false})
      }
    } else if ('token' in slot) {
      n += 1
      trace?.push({text: slot.token, special: true})
    } else if (slot.special === 'eos') {
      n += 1 // LF always has an EOS (fix_special_tokens adds one)
      trace?.push({text: counter.eosToken ?? '</s>', special: true})
    } else if (counter.bosToken !== null) {
      n += 1
      trace?.push({text: counter.bosToken, special: true})
    }
  }
  return n
}

function renderSlots(slots: Slot[], content: string): string {
  return slots.map((s) => (typeof s === 'string' ? s.replace('{{content}}', () => content) : '')).join('')
}

/** Token counts of each message as Template._encode produces them (prefix and system go with message 0). */
export function encodeMessages(template: ChatTemplate, counter: TokenCounter, messages: LfMessage[], system: string, tools: string, trace?: TracePart[][]): number[] {
  const sys = system || template.defaultSystem
  const toolText = tools ? formatTools(template.toolFormat, JSON.parse(tools) as Record<string, unknown>[]) : ''
  const count = countFor(template, counter)
  return messages.map((m, i) => {
    const content = m.content as string
    const t = trace ? (trace[i] = []) : undefined
    let n = 0
    let fused = ''
    if (i === 0) {
      n += slotTokens(template.prefix, '', counter, count, undefined, t)
      if (sys || tools) {
        if (template.fuseSystem) fused = renderSlots(template.system, sys + toolText)
        else n += slotTokens(template.system, sys + toolText, counter, count, undefined, t)
      }
    }
    switch (m.role) {
      case 'user':
        // Template._encode passes idx=str(i // 2) to the user formatter; Llama2Template (fuseSystem) does not.
        return n + slotTokens(template.user, fused + content, counter, count, template.fuseSystem ? undefined : String(Math.floor(i / 2)), t)
      case 'assistant':
        return n + slotTokens(template.assistant, content, counter, count, undefined, t)
      case 'observation':
        return n + slotTokens(template.observation, content, counter, count, undefined, t)
      case 'function':
        return n + slotTokens(template.function, formatFunctionCall(template.toolFormat, content, template.thoughtWords), counter, count, undefined, t)
      default:
        throw new Error(`unexpected role ${m.role}`)
    }
  })
}

/** An example as LF lays it out: segments in order, each masked (prompt) or trained on (labels). */
export type ExampleTrace = {trained: boolean; parts: TracePart[]}[]

/**
 * len(input_ids) of an aligned example as LF's preprocessing for `stage` computes it with no truncation
 * (supervised: encode_multiturn over prompt+response, the reasoning template's empty thought block, and
 * efficient_eos; pairwise/KTO: prompt + the longer response; pt: text + EOS).
 */
export function exampleLength(ex: AlignedExample, template: ChatTemplate, counter: TokenCounter, stage: Stage, trace?: ExampleTrace): Length {
  const system = typeof ex.system === 'string' ? ex.system : ''
  const tools = typeof ex.tools === 'string' ? ex.tools : ''
  if (stage === 'pt') {
    const text = String(ex.prompt[0]?.content ?? '')
    const n = counter.count(text) + 1
    trace?.push({trained: true, parts: [{text, special: false, plain: true}, {text: counter.eosToken ?? '</s>', special: true}]})
    return {prompt: 0, response: n, total: n}
  }
  const thought = template.reasoning ? counter.count(template.thoughtWords[0] + template.thoughtWords[1]) : 0
  const needsThought = (content: unknown) =>
    typeof content === 'string' && !content.includes(template.thoughtWords[0].trim()) && !content.includes(template.thoughtWords[1].trim())
  if (stage === 'sft') {
    const parts: TracePart[][] | undefined = trace ? [] : undefined
    const counts = encodeMessages(template, counter, [...ex.prompt, ...ex.response], system, tools, parts)
    let prompt = 0
    let response = 0
    for (let i = 0; i + 1 < counts.length; i += 2) {
      prompt += counts[i]!
      response += counts[i + 1]!
      const reply = i + 1 < ex.prompt.length ? ex.prompt[i + 1] : ex.response[i + 1 - ex.prompt.length]
      const thinks = template.reasoning && needsThought(reply?.content)
      if (thinks) response += thought
      // LF trains on every assistant turn (mask_history off); the empty thought block goes before the reply.
      trace?.push({trained: false, parts: parts![i]!}, {trained: true, parts: [...(thinks ? [{text: template.thoughtWords[0] + template.thoughtWords[1], special: false}] : []), ...parts![i + 1]!]})
    }
    if (template.efficientEos) {
      response += 1
      trace?.push({trained: true, parts: [{text: counter.eosToken ?? '</s>', special: true}]})
    }
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

/** A run of tokens shown together: one token, or the few a character's UTF-8 bytes were split across. */
export interface TokenSpan {
  text: string
  tokens: number
  trained: boolean
  special: boolean
}

/**
 * The tokens of one text as countFor counts them (the template's added stop words one token each), grouped
 * into spans of whole characters: byte-level BPE may split a character's bytes over tokens, and such tokens
 * share one span (its `tokens` says how many).
 */
function textSpans(text: string, template: ChatTemplate, counter: TokenCounter, trained: boolean, plain = false): TokenSpan[] {
  const added = new Set(plain ? [] : template.stopWords.filter((w) => counter.count(w) !== 1))
  const parts = added.size > 0 ? new AddedTokenSplitter([...added]).split(text) : [text]
  const spans: TokenSpan[] = []
  for (const part of parts) {
    if (part.length === 0) continue
    if (added.has(part)) {
      spans.push({text: part, tokens: 1, trained, special: true})
      continue
    }
    const decoder = new TextDecoder('utf-8')
    let pending = 0
    for (const token of counter.tokenStrings(part)) {
      pending++
      const shown = decoder.decode(tokenBytes(token) ?? new TextEncoder().encode(token), {stream: true})
      if (shown.length === 0) continue
      spans.push({text: shown, tokens: pending, trained, special: false})
      pending = 0
    }
    const rest = decoder.decode()
    if (pending > 0 || rest) spans.push({text: rest || '\uFFFD', tokens: pending, trained, special: false})
  }
  return spans
}

/**
 * The example exactly as exampleLength measures it, token by token, each marked trained (labels) or masked
 * (prompt). Built from exampleLength's own trace, so trained tokens add up to `length.response` and all tokens
 * to `length.total` (checked: a mismatch is a bug). Supervised and pre-training stages only: pairwise and KTO
 * examples are measured by their longer response, which is not one sequence to show.
 */
export function exampleTokens(ex: AlignedExample, template: ChatTemplate, counter: TokenCounter, stage: 'sft' | 'pt'): {length: Length; spans: TokenSpan[]} {
  const trace: ExampleTrace = []
  const length = exampleLength(ex, template, counter, stage, trace)
  const spans: TokenSpan[] = []
  for (const segment of trace) {
    for (const part of segment.parts) {
      if (part.special) spans.push({text: part.text, tokens: 1, trained: segment.trained, special: true})
      else spans.push(...textSpans(part.text, template, counter, segment.trained, part.plain))
    }
  }
  const trained = spans.reduce((n, s) => n + (s.trained ? s.tokens : 0), 0)
  const total = spans.reduce((n, s) => n + s.tokens, 0)
  if (trained !== length.response || total !== length.total) throw new Error(`token view disagrees with the length (${trained}/${total} vs ${length.response}/${length.total})`)
  return {length, spans}
}
