/** Pre-tokenisation that stops short of the byte-level mapping: text → pieces as plain strings. */
export type RawSplitter = (text: string, section: number) => string[]

/** A pre-tokenizer object of @huggingface/tokenizers (what counting calls on it). */
interface PreTokenizerLike {
  pre_tokenize(text: string | string[], options: {section_index: number}): string[]
  /** Sequence: its steps, in the order of the config's `pretokenizers`. */
  tokenizers?: (PreTokenizerLike | null)[]
  /** ByteLevel (its GPT-2 pattern when `use_regex` is on) and Split: the compiled global regex. */
  pattern?: RegExp | null
}

interface PreTokenizerConfig {
  type?: string
  pretokenizers?: (PreTokenizerConfig | null)[]
  add_prefix_space?: boolean
  use_regex?: boolean
  behavior?: string
  invert?: boolean
  pattern?: {Regex?: string}
}

/**
 * A Split step with Isolated behaviour: matches and the text between them, in order, empty matches dropped.
 * One native `match` call gives all matches; when they add up to the whole text there is nothing between them
 * (the usual case: pre-tokenizer regexes cover every character), else the matches are placed one by one.
 */
function isolate(pattern: RegExp): (text: string) => string[] {
  return (text) => {
    const matches: string[] = text.match(pattern) ?? []
    let covered = 0
    let empty = false
    for (let i = 0; i < matches.length; i++) {
      const length = matches[i]!.length
      covered += length
      if (length === 0) empty = true
    }
    if (covered === text.length) return empty ? matches.filter((m) => m.length > 0) : matches
    const out: string[] = []
    let at = 0
    for (const m of text.matchAll(pattern)) {
      if (m.index > at) out.push(text.slice(at, m.index))
      if (m[0].length > 0) out.push(m[0])
      at = m.index + m[0].length
    }
    if (at < text.length) out.push(text.slice(at))
    return out
  }
}

/**
 * The pre-tokenizer without its last step when that step is ByteLevel mapping without a prefix space: a lone
 * ByteLevel (its regex, or none) or a Sequence ending with one. Mapping a piece to byte-level characters is
 * one-to-one, so counting can key its cache on the raw piece and encode UTF-8 only on a miss. Undefined for
 * any other shape (the counter then uses the library's pre-tokenizer as is). `config` is the tokenizer.json
 * entry `pre` was built from.
 */
export function rawSplitter(config: PreTokenizerConfig | null | undefined, pre: PreTokenizerLike | null): RawSplitter | undefined {
  if (!config || !pre) return undefined
  const isSequence = config.type === 'Sequence'
  const configs = isSequence ? (config.pretokenizers ?? []) : [config]
  const objects = isSequence ? (pre.tokenizers ?? []) : [pre]
  const last = configs.at(-1)
  if (configs.length !== objects.length || last?.type !== 'ByteLevel' || last.add_prefix_space) return undefined
  if (configs.slice(0, -1).some((c) => c === null || c.type === 'ByteLevel')) return undefined
  const pattern = last.use_regex === false ? undefined : objects.at(-1)?.pattern
  if (last.use_regex !== false && !pattern) return undefined
  const steps: ((text: string, section: number) => string[])[] = configs.slice(0, -1).map((c, i) => {
    const step = objects[i]!
    if (c!.type === 'Split' && c!.behavior === 'Isolated' && !c!.invert && c!.pattern?.Regex !== undefined && step.pattern) return isolate(step.pattern)
    return (text, section) => step.pre_tokenize(text, {section_index: section})
  })
  if (pattern) steps.push((text) => text.match(pattern) ?? [])
  if (steps.length === 1) return steps[0]!
  return (text, section) => steps.reduce((pieces, step) => pieces.flatMap((p) => step(p, section)), [text])
}
