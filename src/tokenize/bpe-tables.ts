import {tokenBytes} from './byte-level.js'

/** The `model` object of a tokenizer.json (the fields counting looks at). */
export interface BpeModelJson {
  type?: string
  dropout?: number | null
  unk_token?: string | null
  continuing_subword_prefix?: string | null
  end_of_word_suffix?: string | null
  byte_fallback?: boolean
  ignore_merges?: boolean
  vocab: Record<string, number>
  merges: (string | [string, string])[]
}

/** The tables as plain shared memory: what a worker thread receives instead of parsing the vocabulary again. */
export interface SharedBpeTables {
  byteIds: SharedArrayBuffer
  pairs: SharedArrayBuffer
  trie: SharedArrayBuffer
  terminal: SharedArrayBuffer
  level2: SharedArrayBuffer
  /** Character-level models: code point → vocab id of the single-character tokens (open addressing, two ints per slot). */
  chars: SharedArrayBuffer
  ignoreMerges: boolean
  /** Symbols start as characters with byte fallback (sentencepiece BPE) rather than as bytes (byte-level BPE). */
  charLevel: boolean
}

const EMPTY = -1
/** Trie node flags: a token BPE can build (a merge result) / a vocabulary entry. */
export const BUILT = 1
export const VOCAB = 2

function sharedInt32(length: number, fill: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(length * 4)).fill(fill)
}

/** A power of two with at least `slack` slots per entry. */
function capacityFor(entries: number, slack = 2): number {
  let cap = 1024
  while (cap < entries * slack) cap *= 2
  return cap
}

/**
 * A BPE model as flat typed arrays in shared memory (one copy for all worker threads). Two alphabets:
 * byte-level BPE (GPT-2 lineage: Qwen, Llama 3, DeepSeek, gpt-oss) starts every piece as single bytes;
 * sentencepiece BPE with byte fallback (Llama 2, Mistral v0.1, Yi, Gemma) starts it as characters, and a
 * character not in the vocabulary as its UTF-8 bytes' `<0xXX>` tokens. Either way tokens are byte strings:
 * - byteIds: the vocab id of each single byte (byte-level: its printable character; else its `<0xXX>` token);
 * - chars (character level only): code point → id of the single-character tokens;
 * - pairs: open-addressing hash (left id, right id) → (rank, merged id), four ints per slot;
 * - trie: every vocabulary token as bytes, an open-addressing hash of edges keyed (node, byte) where a node is
 *   the slot number of its incoming edge (one int per slot: ~4 MB for Qwen, so lookups mostly hit the cache),
 *   with flags per node: BUILT for the tokens BPE can build (merge results: "which tokens occur at this
 *   position", what splitting a piece into independent segments needs, see PieceCounter) and VOCAB
 *   (ignore_merges' whole-piece lookup).
 */
export class BpeTables {
  readonly byteIds: Int32Array
  readonly pairs: Int32Array
  readonly trie: Int32Array
  readonly terminal: Uint8Array
  /** The trie node of every two-byte prefix, (first << 8) | second → node or -1: walks start two levels down. */
  readonly level2: Int32Array
  readonly chars: Int32Array
  readonly ignoreMerges: boolean
  readonly charLevel: boolean
  /** The trie's root node (the other nodes are slot numbers). */
  readonly root: number
  private readonly pairMask: number
  private readonly pairShift: number
  private readonly trieMask: number
  private readonly trieShift: number

  private constructor(readonly shared: SharedBpeTables) {
    this.byteIds = new Int32Array(shared.byteIds)
    this.pairs = new Int32Array(shared.pairs)
    this.trie = new Int32Array(shared.trie)
    this.terminal = new Uint8Array(shared.terminal)
    this.level2 = new Int32Array(shared.level2)
    this.chars = new Int32Array(shared.chars)
    this.ignoreMerges = shared.ignoreMerges
    this.charLevel = shared.charLevel
    this.pairMask = this.pairs.length / 4 - 1
    this.pairShift = shiftFor(this.pairs.length / 4)
    this.root = this.trie.length
    this.trieMask = this.trie.length - 1
    this.trieShift = shiftFor(this.trie.length)
  }

  static fromShared(shared: SharedBpeTables): BpeTables {
    return new BpeTables(shared)
  }

  /**
   * Tables for a plain BPE model — no dropout or subword affixes; byte-level with every token in the byte-level
   * alphabet and all 256 bytes in the vocabulary, or character-level with byte fallback and all 256 `<0xXX>`
   * tokens (so the unknown token never occurs) — or undefined for anything else.
   */
  static build(model: BpeModelJson | undefined): BpeTables | undefined {
    if (!model || model.type !== 'BPE' || model.dropout || model.continuing_subword_prefix || model.end_of_word_suffix) return undefined
    const charLevel = model.byte_fallback === true
    if (!charLevel && model.unk_token) return undefined
    // The vocabulary object is used as is (a Map of 150k entries costs more to build than it saves).
    const vocab = model.vocab
    const idOf = (token: string): number | undefined => {
      const id = vocab[token]
      return typeof id === 'number' ? id : undefined
    }
    const byteIds = sharedInt32(256, EMPTY)
    const fallback = new Set<number>()
    if (charLevel) {
      for (let b = 0; b < 256; b++) {
        const id = idOf(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`)
        if (id !== undefined) fallback.add((byteIds[b] = id))
      }
    }
    // Byte level: a token outside the byte-level alphabet (a special token kept in the vocabulary) never occurs
    // in a mapped piece, so it is left out. Character level: every token is its UTF-8 bytes.
    const tokens: string[] = []
    const bytesOf: Uint8Array[] = []
    const singles: number[] = []
    let trieBytes = 0
    for (const token of Object.keys(vocab)) {
      const bytes = charLevel ? Buffer.from(token, 'utf8') : tokenBytes(token)
      if (!bytes) continue
      if (charLevel && isSingleChar(token)) singles.push(token.codePointAt(0)!, vocab[token]!)
      else if (!charLevel && bytes.length === 1) byteIds[bytes[0]!] = vocab[token]!
      tokens.push(token)
      bytesOf.push(bytes)
      trieBytes += bytes.length
    }
    // Edge keys (node * 256 + byte, node ≤ capacity) are stored as int32 (`| 0`: above 2^31 they wrap, still
    // distinct and never -1 while node ≤ 2^23): up to ~4M vocabulary bytes.
    if (byteIds.includes(EMPTY) || capacityFor(trieBytes) > 1 << 23) return undefined
    const chars = sharedInt32(charLevel ? capacityFor(singles.length / 2) * 2 : 2, EMPTY)
    for (let k = 0; k < singles.length; k += 2) {
      let s = charSlot(singles[k]!, chars.length / 2)
      while (chars[s * 2] !== EMPTY) s = (s + 1) & (chars.length / 2 - 1)
      chars[s * 2] = singles[k]!
      chars[s * 2 + 1] = singles[k + 1]!
    }

    // Merges whose parts or result are not in the vocabulary never apply; a repeated pair keeps its first rank.
    const merges: number[] = []
    const built = new Set<number>()
    for (const m of model.merges) {
      const [a, b] = typeof m === 'string' ? (m.split(' ') as [string, string]) : m
      const left = idOf(a)
      const right = idOf(b)
      const merged = idOf(a + b)
      if (left === undefined || right === undefined || merged === undefined) continue
      // Segments may cut between fallback bytes (see PieceCounter), which is only right if they never merge.
      if (fallback.has(left) || fallback.has(right)) return undefined
      merges.push(left, right, merged)
      built.add(merged)
    }
    const pairCap = capacityFor(merges.length / 3)
    const pairShift = shiftFor(pairCap)
    const pairs = sharedInt32(pairCap * 4, EMPTY)
    for (let m = 0; m < merges.length; m += 3) {
      const left = merges[m]!
      const right = merges[m + 1]!
      let s = pairSlot(left, right, pairShift)
      while (pairs[s * 4] !== EMPTY && !(pairs[s * 4] === left && pairs[s * 4 + 1] === right)) s = (s + 1) & (pairCap - 1)
      if (pairs[s * 4] !== EMPTY) continue
      pairs[s * 4] = left
      pairs[s * 4 + 1] = right
      pairs[s * 4 + 2] = m / 3
      pairs[s * 4 + 3] = merges[m + 2]!
    }

    // Sized by node count (a first pass into a table sized by total bytes counts them), filled up to 80%: lookups
    // cost memory latency, so a small table that stays in cache beats short probe runs.
    // Character level: a single character is a symbol from the start, so it is as buildable as a merge result.
    const flags = tokens.map((token) => VOCAB | (built.has(vocab[token]!) || (charLevel && isSingleChar(token)) ? BUILT : 0))
    const trieCap = capacityFor(insertAll(new Int32Array(capacityFor(trieBytes)).fill(EMPTY), bytesOf), 1.25)
    const trie = sharedInt32(trieCap, EMPTY)
    const terminal = new Uint8Array(new SharedArrayBuffer(trieCap + 1))
    insertAll(trie, bytesOf, terminal, flags)
    const level2 = sharedInt32(1 << 16, EMPTY)
    const tables = new BpeTables({
      byteIds: byteIds.buffer as SharedArrayBuffer, pairs: pairs.buffer as SharedArrayBuffer, trie: trie.buffer as SharedArrayBuffer,
      terminal: terminal.buffer, level2: level2.buffer as SharedArrayBuffer, chars: chars.buffer as SharedArrayBuffer,
      ignoreMerges: model.ignore_merges === true, charLevel,
    })
    for (let first = 0; first < 256; first++) {
      const node = tables.child(tables.root, first)
      for (let second = 0; second < 256 && node >= 0; second++) level2[(first << 8) | second] = tables.child(node, second)
    }
    return tables
  }

  /** Index into `pairs` of the merge of (left, right) — rank at +2, merged id at +3 — or -1. */
  pair(left: number, right: number): number {
    const pairs = this.pairs
    let s = pairSlot(left, right, this.pairShift)
    for (;;) {
      const at = s * 4
      const l = pairs[at]!
      if (l === left && pairs[at + 1] === right) return at
      if (l === EMPTY) return -1
      s = (s + 1) & this.pairMask
    }
  }

  /** The id of the single-character token for code point `cp`, or -1 (character level). */
  charId(cp: number): number {
    const chars = this.chars
    const mask = chars.length / 2 - 1
    let s = charSlot(cp, chars.length / 2)
    for (;;) {
      const c = chars[s * 2]!
      if (c === cp) return chars[s * 2 + 1]!
      if (c === EMPTY) return -1
      s = (s + 1) & mask
    }
  }

  /** The trie node reached from `node` by `byte`, or -1. */
  child(node: number, byte: number): number {
    const key = (node * 256 + byte) | 0
    const trie = this.trie
    let s = trieSlot(key, this.trieShift)
    for (;;) {
      const k = trie[s]!
      if (k === key) return s
      if (k === EMPTY) return -1
      s = (s + 1) & this.trieMask
    }
  }
}

/**
 * Inserts each token's bytes into `trie` (its length a power of two; node = slot of its incoming edge, root =
 * length), flagging the end nodes in `terminal`. Returns the number of nodes.
 */
function insertAll(trie: Int32Array, tokens: Uint8Array[], terminal?: Uint8Array, flags?: number[]): number {
  const cap = trie.length
  const shift = shiftFor(cap)
  let nodes = 0
  tokens.forEach((bytes, t) => {
    let node = cap
    for (let i = 0; i < bytes.length; i++) {
      const key = (node * 256 + bytes[i]!) | 0
      let s = trieSlot(key, shift)
      while (trie[s] !== EMPTY && trie[s] !== key) s = (s + 1) & (cap - 1)
      if (trie[s] === EMPTY) {
        trie[s] = key
        nodes++
      }
      node = s
    }
    if (terminal && flags) terminal[node] = flags[t]!
  })
  return nodes
}

// Multiplicative hashing: the top bits of the product pick the slot (`shift` = 32 − log2 capacity).
function pairSlot(left: number, right: number, shift: number): number {
  return Math.imul(Math.imul(left, 0x9e3779b1) ^ right, 0x85ebca77) >>> shift
}

const isSingleChar = (token: string) => token.length === 1 || (token.length === 2 && token.codePointAt(0)! > 0xffff)

function charSlot(cp: number, capacity: number): number {
  return Math.imul(cp, 0x9e3779b1) >>> shiftFor(capacity)
}

function trieSlot(key: number, shift: number): number {
  return Math.imul(key, 0x9e3779b1) >>> shift
}

const shiftFor = (capacity: number) => 32 - Math.log2(capacity)
