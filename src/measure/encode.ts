import type {AlignedExample, LfMessage, Stage} from '../lf/types.js'
import {checkMediaKinds, checkPlaceholders, hasMedia, messagesOf, multiturn, oneturn, type EncodeOptions} from '../templates/render.js'
import type {ChatTemplate, Slot} from '../templates/templates.js'
import {LfRaise} from '../templates/tools.js'
import {AddedTokenSplitter} from '../tokenize/added-tokens.js'
import {tokenBytes} from '../tokenize/byte-level.js'
import type {TokenCounter} from '../tokenize/counter.js'

export type {EncodeOptions}

export interface Length {
  prompt: number
  response: number
  total: number
  /** Tokens with a label (not IGNORE_INDEX) before truncation. */
  trained: number
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
  const key = template.stopWords.join('\u0000')
  let count = byTemplate.get(key)
  if (count) return count
  // A stop word the tokenizer already counts as one token (its own special token) needs nothing.
  const added = template.stopWords.filter((w) => counter.count(w) !== 1)
  if (added.length === 0) count = (text) => counter.count(text)
  else {
    const splitter = new AddedTokenSplitter(added)
    const words = new Set(added)
    count = (text) => splitter.split(text).reduce((n, part) => n + (words.has(part) ? 1 : counter.count(part)), 0)
  }
  byTemplate.set(key, count)
  return count
}

/**
 * What one slot encodes to, recorded only when a trace is asked for (the report's token view): text slots as
 * the text that is tokenised, special slots as the token they stand for.
 */
export interface TracePart {
  text: string
  special: boolean
  /** Counted by the tokenizer alone, without the template's added stop words (pre-training text). */
  plain?: boolean
}

/** _convert_elements_to_ids, counted: each string slot encoded on its own, special slots one id each. */
function slotsTokens(slots: Slot[], counter: TokenCounter, count: Count, trace?: TracePart[]): number {
  let n = 0
  for (const slot of slots) {
    if (typeof slot === 'string') {
      if (slot.length === 0) continue
      n += count(slot)
      trace?.push({text: slot, special: false})
    } else if ('token' in slot) {
      n += 1
      trace?.push({text: slot.token, special: true})
    } else if ('ignoredSet' in slot) continue
    else if (slot.special === 'eos') {
      n += 1 // LF always has an EOS (fix_special_tokens adds one)
      trace?.push({text: counter.eosToken ?? '</s>', special: true})
    } else if (counter.bosToken !== null) {
      n += 1
      trace?.push({text: counter.bosToken, special: true})
    }
  }
  return n
}

/**
 * len(input_ids) of an aligned example as LF's preprocessing for `stage` computes it with no truncation
 * (supervised: encode_multiturn over prompt+response, the reasoning template's empty thought block, and
 * efficient_eos; pairwise/KTO: prompt + the longer response; pt: text + EOS). Throws LfRaise where LF's
 * Python raises on the record.
 */
export function exampleLength(ex: AlignedExample, template: ChatTemplate, counter: TokenCounter, stage: Stage, opts: EncodeOptions = {}): Length {
  const system = typeof ex.system === 'string' ? ex.system : ''
  const tools = typeof ex.tools === 'string' ? ex.tools : ''
  if (stage === 'pt') {
    const n = counter.count(String(ex.prompt[0]?.content ?? '')) + 1
    return {prompt: 0, response: n, total: n, trained: n}
  }
  const count = countFor(template, counter)
  const eos = template.efficientEos ? 1 : 0
  if (stage === 'sft') {
    const turns = supervisedTurns(ex, template, counter, opts)
    const prompt = turns.reduce((n, [s]) => n + s, 0)
    const response = turns.reduce((n, [, r]) => n + r, 0) + eos
    // Labels that are not IGNORE_INDEX: the prompt too with train_on_prompt, the last response alone with
    // mask_history, and under efficient_eos the EOS label on the first token of every later prompt.
    let trained: number
    if (opts.trainOnPrompt) trained = prompt + response
    else if (opts.maskHistory) trained = turns.at(-1)![1] + eos + (eos && turns.length - 1)
    else trained = response + (eos && turns.length - 1)
    return {prompt, response, total: prompt + response, trained}
  }
  if (stage === 'ppo') {
    // The unsupervised processor: the prompt is the input, the response (or an empty one) the labels.
    const response = ex.response.length === 1 ? ex.response : [{role: 'assistant', content: ''} as LfMessage]
    const turn = oneturn(template, messagesOf(ex, response), system, tools)
    const prompt = slotsTokens(turn.source, counter, count)
    return {prompt, response: slotsTokens(turn.target, counter, count) + eos, total: prompt, trained: 0}
  }
  // Pairwise and KTO encode prompt + one response at a time (encode_oneturn); the longer one decides the
  // length, and the prompt is the first response's (a reasoning template may end it with an empty thought).
  let prompt = -1
  let longest = 0
  for (const r of ex.response) {
    const turn = oneturn(template, messagesOf(ex, [r]), system, tools)
    if (prompt < 0) prompt = slotsTokens(turn.source, counter, count)
    longest = Math.max(longest, slotsTokens(turn.target, counter, count) + eos)
  }
  prompt = Math.max(prompt, 0)
  return {prompt, response: longest, total: prompt + longest, trained: longest}
}

/** Token counts (prompt, response) of each turn of a supervised example, as encode_multiturn gives them. */
export function supervisedTurns(ex: AlignedExample, template: ChatTemplate, counter: TokenCounter, opts: EncodeOptions = {}): (readonly [number, number])[] {
  const count = countFor(template, counter)
  const discard = (opts.maskHistory ?? false) && !template.preserveThinking
  const turns = multiturn(template, messagesOf(ex, ex.response), typeof ex.system === 'string' ? ex.system : '', typeof ex.tools === 'string' ? ex.tools : '', discard)
  return turns.map((turn) => [slotsTokens(turn.source, counter, count), slotsTokens(turn.target, counter, count)] as const)
}

/** processor_utils.infer_seqlen: how much of a (source, target) pair fits in `cutoff` tokens. */
export function inferSeqlen(source: number, target: number, cutoff: number): [number, number] {
  const maxTarget = target * 2 < cutoff ? cutoff : source * 2 < cutoff ? cutoff - source : Math.floor(cutoff * (target / (source + target)))
  const newTarget = Math.min(maxTarget, target)
  return [Math.min(Math.max(cutoff - newTarget, 0), source), newTarget]
}

/**
 * The supervised processor's truncation: turns in order (mask_history: the last turn first, so history is cut
 * from the front), each cut by infer_seqlen to what is left of cutoff_len. Returns the length and the tokens
 * still trained on.
 */
export function truncateSupervised(turns: (readonly [number, number])[], cutoff: number, efficientEos: boolean, opts: EncodeOptions = {}): {length: number; trained: number} {
  const order = opts.maskHistory ? [...turns].reverse() : turns
  let total = efficientEos ? 1 : 0
  let trained = efficientEos ? 1 : 0
  for (const [k, [source, target]] of order.entries()) {
    if (total >= cutoff) break
    const [s, t] = inferSeqlen(source, target, cutoff - total)
    total += s + t
    if (opts.trainOnPrompt) trained += s
    else if (efficientEos && k !== 0 && s > 0) trained += 1
    if (!(opts.maskHistory && k !== 0)) trained += t
  }
  return {length: total, trained}
}

/**
 * One example's length, what LF raises on it (the run would stop there), or `media` for an example with
 * images/videos/audios, whose tokens depend on the model's image processor: reported, never guessed.
 */
export type Measured = Length | {raise: string} | {media: true}

export function measureExample(ex: AlignedExample, template: ChatTemplate, counter: TokenCounter, stage: Stage, opts: EncodeOptions = {}): Measured {
  try {
    if (stage !== 'pt' && hasMedia(ex)) {
      checkMediaKinds(template, ex)
      return {media: true}
    }
    if (stage !== 'pt') checkPlaceholders(template, [...ex.prompt, ...ex.response])
    return exampleLength(ex, template, counter, stage, opts)
  } catch (error) {
    if (error instanceof LfRaise) return {raise: error.message}
    throw error
  }
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

/** An example as LF lays it out: segments in order, each masked (prompt) or trained on (labels). */
type ExampleTrace = {trained: boolean; parts: TracePart[]}[]

/**
 * The example exactly as exampleLength measures it (LF's default switches), token by token, each marked
 * trained (labels) or masked (prompt). Traced from the same turns and slots exampleLength counts, so trained
 * tokens add up to `length.response` and all tokens to `length.total` (checked: a mismatch is a bug).
 * Supervised and pre-training stages only: pairwise and KTO examples are measured by their longer response,
 * which is not one sequence to show.
 */
export function exampleTokens(ex: AlignedExample, template: ChatTemplate, counter: TokenCounter, stage: 'sft' | 'pt'): {length: Length; spans: TokenSpan[]} {
  const length = exampleLength(ex, template, counter, stage)
  const trace: ExampleTrace = []
  if (stage === 'pt') {
    trace.push({trained: true, parts: [{text: String(ex.prompt[0]?.content ?? ''), special: false, plain: true}, {text: counter.eosToken ?? '</s>', special: true}]})
  } else {
    const count = countFor(template, counter)
    const turns = multiturn(template, messagesOf(ex, ex.response), typeof ex.system === 'string' ? ex.system : '', typeof ex.tools === 'string' ? ex.tools : '')
    for (const turn of turns) {
      const source: TracePart[] = []
      const target: TracePart[] = []
      slotsTokens(turn.source, counter, count, source)
      slotsTokens(turn.target, counter, count, target)
      trace.push({trained: false, parts: source}, {trained: true, parts: target})
    }
    if (template.efficientEos) trace.push({trained: true, parts: [{text: counter.eosToken ?? '</s>', special: true}]})
  }
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
