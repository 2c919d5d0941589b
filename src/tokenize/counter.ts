import {Tokenizer} from '@huggingface/tokenizers'

import {PieceCounter, type BpeModelJson} from './bpe.js'

/** The parts of @huggingface/tokenizers' Tokenizer that counting reuses (runtime fields its typings mark private). */
interface TokenizerInternals {
  splitter_unnormalized: {split(text: string): string[]}
  splitter_normalized: {split(text: string): string[]}
  added_tokens_map: Map<string, {lstrip: boolean; rstrip: boolean}>
  normalizer: ((text: string) => string) | null
  pre_tokenizer: ((text: string, opts: {section_index: number}) => string[]) | null
  model: (pieces: string[]) => string[]
  remove_space: boolean
  do_lowercase_and_remove_accent: boolean
}

/** `tokens[i]` trims at the sides an added token asks for (lstrip/rstrip), as the library does. */
function stripAround(parts: string[], added: TokenizerInternals['added_tokens_map']): void {
  parts.forEach((part, i) => {
    const token = added.get(part)
    if (!token) return
    if (token.lstrip && i > 0) parts[i - 1] = parts[i - 1]!.trimEnd()
    if (token.rstrip && i < parts.length - 1) parts[i + 1] = parts[i + 1]!.trimStart()
  })
}

const CACHE_LIMIT = 1 << 20

/**
 * Counts tokens without building ids: the same splitting as `encode` (added tokens, normaliser,
 * pre-tokenizer), then each pre-tokenised piece's token count comes from a cache, and BPE runs only on a
 * miss. Pieces repeat constantly in real text, so most of the work is a Map lookup. Equal to
 * `encode(text, {add_special_tokens: false}).ids.length` by construction (and by test).
 */
export class TokenCounter {
  private readonly t: TokenizerInternals
  private cache = new Map<string, number>()

  private readonly fast?: PieceCounter

  constructor(readonly tokenizer: Tokenizer, readonly name: string, readonly bosToken: string | null, readonly eosToken: string | null, model?: BpeModelJson) {
    this.t = tokenizer as unknown as TokenizerInternals
    this.fast = PieceCounter.for(model)
  }

  /** Number of tokens of `text` encoded without special tokens. */
  count(text: string): number {
    if (text.length === 0) return 0
    const t = this.t
    const sections = t.splitter_unnormalized.split(text)
    stripAround(sections, t.added_tokens_map)
    let n = 0
    for (let s = 0; s < sections.length; s++) {
      let section = sections[s]!
      if (section.length === 0) continue
      if (t.added_tokens_map.has(section)) {
        n++
        continue
      }
      if (t.remove_space || t.do_lowercase_and_remove_accent) return this.tokenizer.encode(text, {add_special_tokens: false}).ids.length
      if (t.normalizer) section = t.normalizer(section)
      if (section.length === 0) continue
      const subsections = t.splitter_normalized.split(section)
      stripAround(subsections, t.added_tokens_map)
      for (const sub of subsections) {
        if (sub.length === 0) continue
        if (t.added_tokens_map.has(sub)) {
          n++
          continue
        }
        const pieces = t.pre_tokenizer ? t.pre_tokenizer(sub, {section_index: s}) : [sub]
        for (const piece of pieces) n += this.pieceCount(piece)
      }
    }
    return n
  }

  private pieceCount(piece: string): number {
    let c = this.cache.get(piece)
    if (c === undefined) {
      c = this.fast?.count(piece) ?? this.t.model([piece]).length
      if (this.cache.size >= CACHE_LIMIT) this.cache = new Map()
      this.cache.set(piece, c)
    }
    return c
  }

  /** Reference count through the full encoder (tests and verification). */
  encodeLength(text: string): number {
    return this.tokenizer.encode(text, {add_special_tokens: false}).ids.length
  }

  tokenId(token: string): number | undefined {
    return this.tokenizer.token_to_id(token)
  }
}
