/** Pre-tokenisation that stops short of the byte-level mapping: text → pieces as plain strings. */
export type RawSplitter = (text: string, section: number) => string[]

/** A pre-tokenizer object of @huggingface/tokenizers (what counting calls on it). */
interface PreTokenizerLike {
  pre_tokenize(text: string | string[], options: {section_index: number}): string[]
  /** Sequence: its steps, in the order of the config's `pretokenizers`. */
  tokenizers?: (PreTokenizerLike | null)[]
  /** ByteLevel: the GPT-2 split pattern it applies when `use_regex` is on. */
  pattern?: RegExp
}

interface PreTokenizerConfig {
  type?: string
  pretokenizers?: (PreTokenizerConfig | null)[]
  add_prefix_space?: boolean
  use_regex?: boolean
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
  const before = objects.slice(0, -1) as PreTokenizerLike[]
  const pattern = last.use_regex === false ? undefined : objects.at(-1)?.pattern
  if (last.use_regex !== false && !pattern) return undefined
  return (text, section) => {
    let pieces = [text]
    for (const step of before) pieces = step.pre_tokenize(pieces, {section_index: section})
    return pattern ? pieces.flatMap((p) => p.match(pattern) ?? []) : pieces
  }
}
