/**
 * How LF's Template classes turn messages into slots (template.py _encode, encode_multiturn, encode_oneturn,
 * and the supervised processor's labels) — pure text, no tokenizer: measure/encode.ts counts the slots.
 */
import type {AlignedExample, LfMessage, Stage} from '../lf/types.js'
import {isReasoning, type ChatTemplate, type Slot} from './templates.js'
import {formatFunctionCall, formatTools, LfRaise} from './tools.js'

export {LfRaise}

export interface EncodeOptions {
  maskHistory?: boolean
  trainOnPrompt?: boolean
}


/** StringFormatter.apply: in each string slot the first `{{name}}` of each argument is replaced, in order. */
function applySlots(slots: Slot[], args: [string, string][]): Slot[] {
  return slots.map((slot) => (typeof slot === 'string' ? args.reduce((s, [name, value]) => s.replace(`{{${name}}}`, () => value), slot) : slot))
}

/** The first element of a formatter's output as Llama2Template uses it (`apply(...)[0]`), as text. */
function firstText(slots: Slot[]): string {
  const first = slots[0]
  if (typeof first === 'string') return first
  throw new LfRaise('TypeError: can only concatenate str (not "set") to str')
}

/**
 * Template._encode (and Llama2Template's, MossVLTemplate's): for each message the slots LF converts to ids —
 * prefix and system (with the tool prompt) before message 0, each message through its formatter.
 */
export function renderMessages(t: ChatTemplate, messages: LfMessage[], system: string, tools: string): Slot[][] {
  const sys = system || t.defaultSystem
  const llama2 = t.cls === 'llama2'
  return messages.map((m, i) => {
    const out: Slot[] = []
    let fused = ''
    if (i === 0) {
      out.push(...t.prefix)
      if (sys || tools) {
        let toolText = ''
        if (tools) toolText = typeof t.tools === 'string' ? formatTools(t.tools, tools) : firstText(applySlots(t.tools.slots, [['content', tools]]))
        if (t.cls === 'mossvl' && tools && !sys) toolText = toolText.replace(/^\n+/, '')
        const rendered = applySlots(t.system, [['content', sys + toolText]])
        if (llama2) fused = firstText(rendered)
        else out.push(...rendered)
      }
    }
    const content = m.content as string
    switch (m.role) {
      case 'user':
        out.push(...applySlots(t.user, llama2 ? [['content', fused + content]] : [['content', content], ['idx', String(Math.floor(i / 2))]]))
        break
      case 'assistant':
        out.push(...applySlots(t.assistant, [['content', content]]))
        break
      case 'observation':
        out.push(...applySlots(t.observation, [['content', content]]))
        break
      case 'function': {
        // Llama2Template passes no thought or tool-call words to the function formatter.
        const text = formatFunctionCall(t.function.toolFormat, content, llama2 ? null : t.thoughtWords, llama2 ? null : t.toolCallWords)
        out.push(...applySlots(t.function.slots, [['content', text]]))
        break
      }
      default:
        throw new LfRaise(`NotImplementedError: Unexpected role: ${m.role}`)
    }
    return out
  })
}

/** add_thought(): the empty thought block (Glm47ReasoningTemplate: the closing word alone). */
export const emptyThought = (t: ChatTemplate): string => (t.cls === 'glm47' ? t.thoughtWords[1] : t.thoughtWords[0] + t.thoughtWords[1])

/** remove_thought: every thought block removed, then leading newlines. */
function removeThought(t: ChatTemplate, content: string): string {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return content.replace(new RegExp(`${esc(t.thoughtWords[0])}[\\s\\S]*?${esc(t.thoughtWords[1])}`, 'g'), '').replace(/^\n+/, '')
}

const hasThought = (t: ChatTemplate, content: string) => content.includes(t.thoughtWords[0].trim()) || content.includes(t.thoughtWords[1].trim())
const withContent = (m: LfMessage, content: string): LfMessage => ({...m, content})

export interface Turn {
  source: Slot[]
  target: Slot[]
}

/**
 * encode_multiturn: (prompt, response) slot lists per turn. Reasoning templates drop thoughts when
 * enable_thinking is false (and from history turns when `discardHistoryCot`), and put the empty thought block
 * before each response without one (on the response side when thinking is on, else at the prompt's end).
 */
export function multiturn(t: ChatTemplate, messages: LfMessage[], system: string, tools: string, discardHistoryCot = false): Turn[] {
  let msgs = messages
  const reasoning = isReasoning(t)
  if (reasoning) {
    msgs = msgs.map((m, i) => {
      const strip = i % 2 === 1 && (t.enableThinking === false || (discardHistoryCot && i < msgs.length - 2))
      return strip ? withContent(m, removeThought(t, m.content as string)) : m
    })
  }
  const encoded = renderMessages(t, msgs, system, tools)
  if (reasoning) {
    const turns = discardHistoryCot ? [msgs.length - 2] : msgs.map((_, i) => i).filter((i) => i % 2 === 0)
    for (const i of turns) {
      if (hasThought(t, msgs[i + 1]!.content as string)) continue
      if (t.enableThinking) encoded[i + 1] = [emptyThought(t), ...encoded[i + 1]!]
      else encoded[i]!.push(emptyThought(t))
    }
  }
  const out: Turn[] = []
  for (let i = 0; i < encoded.length; i += 2) out.push({source: encoded[i]!, target: encoded[i + 1] ?? []})
  return out
}

/** encode_oneturn (pairwise, KTO): everything before the last message is the prompt. */
export function oneturn(t: ChatTemplate, messages: LfMessage[], system: string, tools: string): Turn {
  let msgs = messages
  const reasoning = isReasoning(t)
  if (reasoning) {
    msgs = msgs.map((m, i) => {
      const history = !t.preserveThinking && i % 2 === 1 && i < msgs.length - 2
      const last = t.enableThinking === false && i === msgs.length - 1
      return history || last ? withContent(m, removeThought(t, m.content as string)) : m
    })
  }
  const encoded = renderMessages(t, msgs, system, tools)
  const source = encoded.slice(0, -1).flat()
  let target = encoded.at(-1)!
  if (reasoning && !hasThought(t, msgs.at(-1)!.content as string)) {
    if (t.enableThinking) target = [emptyThought(t), ...target]
    else source.push(emptyThought(t))
  }
  return {source, target}
}

export interface LabelledSlot {
  slot: Slot
  /** The label LF gives the slot's tokens: trained (its own ids), masked, or the EOS id (efficient_eos). */
  label: 'trained' | 'masked' | 'eos'
}

/**
 * SupervisedDatasetProcessor._encode_data_example without truncation, slot by slot: the order of turns
 * (mask_history puts the last turn first in priority but keeps text order), which parts are trained, and
 * efficient_eos (the EOS appended at the end; each later prompt's first token labelled EOS).
 */
export function supervisedLayout(t: ChatTemplate, turns: Turn[], opts: EncodeOptions = {}): LabelledSlot[] {
  const out: LabelledSlot[] = []
  const last = turns.length - 1
  turns.forEach((turn, k) => {
    // turn_idx counts from the last turn under mask_history.
    const turnIdx = opts.maskHistory ? last - k : k
    turn.source.forEach((slot, j) => {
      const label = opts.trainOnPrompt ? 'trained' : t.efficientEos && turnIdx !== 0 && j === 0 ? 'eos' : 'masked'
      out.push({slot, label})
    })
    for (const slot of turn.target) out.push({slot, label: opts.maskHistory && turnIdx !== 0 ? 'masked' : 'trained'})
  })
  if (t.efficientEos) out.push({slot: {special: 'eos'}, label: 'trained'})
  return out
}

/** Python's `messages[i]["content"]` must be a str for the formatters; the processor has checked roles. */
export function messagesOf(ex: AlignedExample, response: LfMessage[]): LfMessage[] {
  return [...ex.prompt, ...response]
}

/** Whether the example carries images, videos or audios (their token counts depend on the model's processor). */
export const hasMedia = (ex: AlignedExample): boolean => [ex.images, ex.videos, ex.audios].some((m) => Array.isArray(m) && m.length > 0)

/** _validate_input: media of a kind the template's plugin has no token for make LF raise. */
export function checkMediaKinds(t: ChatTemplate, ex: AlignedExample): void {
  for (const [kind, list] of [['image', ex.images], ['video', ex.videos], ['audio', ex.audios]] as const) {
    if (Array.isArray(list) && list.length > 0 && !(t.mm && `${kind}_token` in t.mm)) {
      throw new LfRaise(`ValueError: This model does not support ${kind} input. Please check whether the correct \`template\` is used.`)
    }
  }
}

/**
 * A multimodal plugin's process_messages on an example without media: every plugin but the base one counts the
 * <image>/<video>/<audio> placeholders in the messages and raises when they do not match the (zero) media.
 */
export function checkPlaceholders(t: ChatTemplate, messages: LfMessage[]): void {
  if (!t.mm) return
  for (const kind of ['image', 'video', 'audio'] as const) {
    if (messages.some((m) => typeof m.content === 'string' && m.content.includes(`<${kind}>`))) {
      throw new LfRaise(`ValueError: The number of ${kind}s does not match the number of <${kind}> tokens`)
    }
  }
}

/**
 * What LF raises on the example while rendering it with the template, or null (no tokenizer needed). Media
 * problems are check's own diagnostics (LF110, LF426), so they are left out here.
 */
export function lfRaiseOf(ex: AlignedExample, template: ChatTemplate, stage: Stage, opts: EncodeOptions = {}): string | null {
  if (stage === 'pt') return null
  const system = typeof ex.system === 'string' ? ex.system : ''
  const tools = typeof ex.tools === 'string' ? ex.tools : ''
  try {
    if (stage === 'sft') multiturn(template, messagesOf(ex, ex.response), system, tools, (opts.maskHistory ?? false) && !template.preserveThinking)
    else if (stage === 'ppo') oneturn(template, messagesOf(ex, ex.response.length === 1 ? ex.response : [{role: 'assistant', content: ''}]), system, tools)
    else for (const r of ex.response) oneturn(template, messagesOf(ex, [r]), system, tools)
    return null
  } catch (error) {
    if (error instanceof LfRaise) return error.message
    throw error
  }
}
