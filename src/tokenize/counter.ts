
import {AddedTokenSplitter} from './added-tokens.js'
import {BpeTables, type SharedBpeTables} from './bpe-tables.js'
import {PieceCounter} from './bpe.js'
import {checkTokenizerInternals, Tokenizer, type TokenizerInternals} from './hf-tokenizer.js'
import {rawSplitter} from './raw-pieces.js'

/** `tokens[i]` trims at the sides an added token asks for (lstrip/rstrip), as the library does. */
function stripAround(parts: string[], added: TokenizerInternals['added_tokens_map']): void {
  parts.forEach((part, i) => {
    const token = added.get(part)
    if (!token) return
    if (token.lstrip && i > 0) parts[i - 1] = parts[i - 1]!.trimEnd()
    if (token.rstrip && i < parts.length - 1) parts[i + 1] = parts[i + 1]!.trimStart()
  })
}

/** Character-level models see the pre-tokenizer's pieces as they are (no byte-level mapping to undo). */
function modelPieces(pre: TokenizerInternals['pre_tokenizer']): (text: string, section: number) => string[] {
  return pre ? (text, section) => pre(text, {section_index: section}) : (text) => [text]
}

const CACHE_LIMIT = 1 << 20
const LONE_SURROGATE = /\p{Cs}/u
const LONE_SURROGATE_G = /\p{Cs}/gu
/**
 * Longer pieces skip the piece cache on the fast path: a long run of Chinese characters is one piece that
 * hardly ever repeats, so caching it only grows memory; its segments are cached instead (PieceCounter).
 */
const LONGEST_CACHED_PIECE = 32

/** What a worker thread needs to count as the main thread does, without parsing the vocabulary again. */
export interface CounterSpec {
  name: string
  bosToken: string | null
  eosToken: string | null
  /** tokenizer.json without its model: added tokens, normaliser, pre-tokenizer. */
  splitting: Record<string, unknown>
  config: Record<string, unknown>
  tables: SharedBpeTables
}

/** A Tokenizer that only splits and normalises (its model is empty: the BPE tables count). */
function splittingTokenizer(splitting: Record<string, unknown>, config: Record<string, unknown>): Tokenizer {
  return new Tokenizer({...splitting, model: {type: 'BPE', vocab: {}, merges: []}}, config)
}

/**
 * Counts tokens without building ids: the same splitting as `encode` (added tokens, normaliser,
 * pre-tokenizer), then each pre-tokenised piece's token count comes from a cache keyed by the raw piece (before
 * byte-level mapping), and BPE runs only on a miss. Pieces repeat constantly in real text, so most of the work
 * is a Map lookup. Equal to `encode(text, {add_special_tokens: false}).ids.length` by construction (and by test).
 */
export class TokenCounter {
  private readonly t: TokenizerInternals
  /** Added tokens matched before normalisation (special ones) and after (the others, normalised). */
  private readonly unnormalized: AddedTokenSplitter
  private readonly normalized: AddedTokenSplitter
  private cache = new Map<string, number>()
  /** The fast path: raw pieces counted on their UTF-8 bytes with (shared) BPE tables. */
  private readonly fast?: {split: (text: string, section: number) => string[]; pieces: PieceCounter; tables: BpeTables}

  /**
   * @param full the complete tokenizer, built on demand: counting needs it only when the fast path does not
   *   apply; `encodeLength` always does.
   */
  private constructor(
    private readonly splitter: Tokenizer,
    private readonly full: () => Tokenizer,
    readonly name: string,
    readonly bosToken: string | null,
    readonly eosToken: string | null,
    tables: BpeTables | undefined,
    private readonly splitting: Record<string, unknown>,
    private readonly config: Record<string, unknown>,
  ) {
    checkTokenizerInternals(splitter)
    this.t = splitter
    const {added_tokens: added, normalizer} = this.t
    this.unnormalized = new AddedTokenSplitter(added.filter((a) => !(a.normalized && normalizer)).map((a) => a.content))
    this.normalized = new AddedTokenSplitter(normalizer ? added.filter((a) => a.normalized).map((a) => normalizer(a.content)) : [])
    const split = !tables ? undefined : tables.charLevel ? modelPieces(this.t.pre_tokenizer) : rawSplitter(splitting.pre_tokenizer as Parameters<typeof rawSplitter>[0], splitter.pre_tokenizer as Parameters<typeof rawSplitter>[1])
    if (tables && split && !this.t.remove_space && !this.t.do_lowercase_and_remove_accent) this.fast = {split, pieces: new PieceCounter(tables), tables}
  }

  /** tokenizer_config.json's chat_template (a named list's "default" entry), or null when it has none. */
  get chatTemplate(): string | null {
    const t = this.config.chat_template
    if (typeof t === 'string') return t
    if (Array.isArray(t)) return (t as {name?: string; template?: string}[]).find((x) => x.name === 'default')?.template ?? null
    return null
  }

  /** The config's special tokens by name (bos_token, eos_token, …) as chat templates see them. */
  get specialTokens(): Record<string, string> {
    const out: Record<string, string> = {}
    for (const key of ['bos_token', 'eos_token', 'unk_token', 'sep_token', 'pad_token', 'cls_token', 'mask_token']) {
      const v = this.config[key]
      const text = typeof v === 'string' ? v : v && typeof v === 'object' && typeof (v as {content?: unknown}).content === 'string' ? (v as {content: string}).content : null
      if (text !== null) out[key] = text
    }
    return out
  }

  /**
   * decode(encode("")): the special tokens the post-processor puts around every text (LF's parse_template
   * prefix), read off tokenizer.json's TemplateProcessing / Bert / Roberta post-processor.
   */
  emptyEncodingText(): string {
    type Processor = {type?: string; processors?: Processor[]; single?: Record<string, {id: string}>[]; cls?: [string, number]; sep?: [string, number]}
    const find = (p: Processor | null | undefined): string | null => {
      if (!p) return null
      if (p.type === 'Sequence') return (p.processors ?? []).map(find).find((x) => x !== null) ?? null
      if (p.type === 'TemplateProcessing') return (p.single ?? []).map((item) => item.SpecialToken?.id ?? '').join('')
      if (p.type === 'BertProcessing' || p.type === 'RobertaProcessing') return `${p.cls?.[0] ?? ''}${p.sep?.[0] ?? ''}`
      return null
    }
    return find(this.splitting.post_processor as Processor) ?? ''
  }

  /** From a parsed tokenizer.json and tokenizer_config.json. */
  static fromJson(json: Record<string, unknown>, config: Record<string, unknown>, name: string, bosToken: string | null, eosToken: string | null, reload: () => Record<string, unknown>): TokenCounter {
    const {model, ...splitting} = json
    const tables = BpeTables.build(model as Parameters<typeof BpeTables.build>[0])
    if (tables) {
      let full: Tokenizer | undefined
      const counter = new TokenCounter(splittingTokenizer(splitting, config), () => (full ??= new Tokenizer(reload(), config)), name, bosToken, eosToken, tables, splitting, config)
      if (counter.fast) return counter
    }
    // Outside the fast path the library's model counts, so the tokenizer is built whole.
    const tokenizer = new Tokenizer(json, config)
    return new TokenCounter(tokenizer, () => tokenizer, name, bosToken, eosToken, undefined, splitting, config)
  }

  /**
   * From a spec: on a worker thread (sharing the main thread's tables; no `full`, it never encodes) or from a
   * preset's snapshot (`full` loads the tokenizer for `encodeLength`).
   */
  static fromSpec(spec: CounterSpec, full?: () => Tokenizer): TokenCounter {
    let tokenizer: Tokenizer | undefined
    const fullTokenizer = () => {
      if (!full) throw new Error('this counter has no full tokenizer (a worker thread\'s)')
      return (tokenizer ??= full())
    }
    const counter = new TokenCounter(splittingTokenizer(spec.splitting, spec.config), fullTokenizer, spec.name, spec.bosToken, spec.eosToken, BpeTables.fromShared(spec.tables), spec.splitting, spec.config)
    // A spec is only ever made from a fast-path counter; without one the empty model would count.
    if (!counter.fast) throw new Error(`counter spec for ${spec.name} does not take the fast path`)
    return counter
  }

  /** The spec worker threads count with, or undefined when they must load the tokenizer themselves. */
  get spec(): CounterSpec | undefined {
    if (!this.fast) return undefined
    return {name: this.name, bosToken: this.bosToken, eosToken: this.eosToken, splitting: this.splitting, config: this.config, tables: this.fast.tables.shared}
  }

  /** Number of tokens of `text` encoded without special tokens. */
  count(text: string): number {
    if (text.length === 0) return 0
    // Lone surrogates reach the Rust tokenizer (and LF's, via Python) as U+FFFD; the library's regexes would
    // split them differently.
    if (LONE_SURROGATE.test(text)) text = text.replace(LONE_SURROGATE_G, '\ufffd')
    const t = this.t
    const sections = this.splitAdded(this.unnormalized, text)
    let n = 0
    for (let s = 0; s < sections.length; s++) {
      let section = sections[s]!
      if (section.length === 0) continue
      if (t.added_tokens_map.has(section)) {
        n++
        continue
      }
      if (!this.fast && (t.remove_space || t.do_lowercase_and_remove_accent)) return this.encodeLength(text)
      if (t.normalizer) section = t.normalizer(section)
      if (section.length === 0) continue
      const subsections = this.splitAdded(this.normalized, section)
      for (const sub of subsections) {
        if (sub.length === 0) continue
        if (t.added_tokens_map.has(sub)) {
          n++
          continue
        }
        n += this.fast ? this.countRaw(sub, s) : this.countMapped(sub, s)
      }
    }
    return n
  }

  /** Added tokens cut out of `text`, their neighbours trimmed as lstrip/rstrip ask. */
  private splitAdded(splitter: AddedTokenSplitter, text: string): string[] {
    const parts = splitter.split(text)
    if (parts.length > 1) stripAround(parts, this.t.added_tokens_map)
    return parts
  }

  private countRaw(text: string, section: number): number {
    const {split, pieces} = this.fast!
    let n = 0
    for (const piece of split(text, section)) {
      if (piece.length > LONGEST_CACHED_PIECE) {
        n += pieces.count(piece)
        continue
      }
      let c = this.cache.get(piece)
      if (c === undefined) {
        c = pieces.count(piece)
        this.remember(piece, c)
      }
      n += c
    }
    return n
  }

  /** The general path: the library's pre-tokenizer and model. */
  private countMapped(text: string, section: number): number {
    const t = this.t
    let n = 0
    for (const piece of t.pre_tokenizer ? t.pre_tokenizer(text, {section_index: section}) : [text]) {
      let c = this.cache.get(piece)
      if (c === undefined) {
        c = t.model([piece]).length
        this.remember(piece, c)
      }
      n += c
    }
    return n
  }

  private remember(piece: string, c: number): void {
    if (this.cache.size >= CACHE_LIMIT) this.cache = new Map()
    this.cache.set(piece, c)
  }

  /** The tokens of `text` (no special tokens added) as vocabulary strings, through the full tokenizer (reports). */
  tokenStrings(text: string): string[] {
    return this.full().tokenize(text, {add_special_tokens: false})
  }

  /** Reference count through the full encoder (tests and verification). */
  encodeLength(text: string): number {
    return this.full().encode(text.replace(LONE_SURROGATE_G, '\ufffd'), {add_special_tokens: false}).ids.length
  }
}
