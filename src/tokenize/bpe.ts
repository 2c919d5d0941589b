import {BUILT, VOCAB, type BpeTables} from './bpe-tables.js'

const encoder = new TextEncoder()

const CACHE_LIMIT = 1 << 20

/** Length of the UTF-8 sequence a byte starts (1 for a continuation byte: a walk from it finds no token). */
const sequenceLength = (b: number) => (b < 0xc0 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4)

/**
 * Token count of one pre-tokenised piece (as UTF-8 bytes) under a plain BPE model (BpeTables: byte-level, or
 * character-level with byte fallback), without building tokens.
 *
 * Segments: every symbol BPE ever holds is a token it can build (a single byte or a merge result) and a
 * substring of the piece. If no such token occurring in the piece spans byte boundary p, no merge crosses p,
 * so the two sides evolve exactly as they would alone and count(piece) = count(left) + count(right). The
 * trie gives, for each start, the furthest end of a token there; boundaries no token reaches across cut the
 * piece into segments. A long run of Chinese characters is one piece to Qwen's pre-tokenizer and almost never
 * repeats, but its segments (characters, words, short phrases) do, so they are counted once and cached: by
 * trie node when the segment is a single token (most are), by their bytes otherwise.
 *
 * Merges within a segment are applied as the BPE model applies them: always the adjacent pair with the
 * lowest rank, leftmost first (a binary heap keyed by rank and position, linked list in typed arrays).
 */
export class PieceCounter {
  private segments = new Map<string, number>()
  /** Counts of segments that are one buildable token, by trie node (0: not counted yet, or over 255). */
  private readonly byNode: Uint8Array
  private sym = new Int32Array(256)
  private next = new Int32Array(256)
  private prev = new Int32Array(256)
  private heap = new Float64Array(768)
  /** The piece's UTF-8 bytes (a Buffer: segments are sliced from it as latin1 cache keys). */
  private bytes = Buffer.allocUnsafe(1024)

  constructor(private readonly tables: BpeTables) {
    this.byNode = new Uint8Array(tables.terminal.length)
  }

  /** Tokens of a whole pre-tokenised piece, before byte-level mapping. */
  count(piece: string): number {
    if (piece.length * 3 > this.bytes.length) this.bytes = Buffer.allocUnsafe(piece.length * 3)
    const bytes = this.bytes
    // Lone surrogates become U+FFFD, as in the library's byte-level step (TextEncoder).
    const n = encoder.encodeInto(piece, bytes).written
    if (n <= 1) return n
    // ignore_merges (Llama 3): a piece that is a vocabulary token is that token. Whole pieces only — a segment
    // of a piece is always merged normally.
    if (this.tables.ignoreMerges && this.isToken(n)) return 1
    const {terminal, level2, charLevel} = this.tables
    let total = 0
    let start = 0
    let reach = 0
    // The token the walk from `start` ended on: when the segment is exactly that token, its count is cached by node.
    let startEnd = 0
    let startNode = -1
    for (let i = 0; i < n; i++) {
      if (i >= reach && i > start) {
        total += startEnd === i && startNode >= 0 ? this.tokenCount(startNode, start, i) : this.segment(start, i)
        start = i
      }
      // Furthest end of a buildable token that starts at i (a single byte, or character, at least); the first two
      // bytes in one step. At character level a segment never ends inside a character: its bytes are one symbol,
      // or fallback bytes that never merge (BpeTables.build).
      let far = charLevel ? i + sequenceLength(bytes[i]!) : i + 1
      let farNode = -1
      if (i + 1 < n) {
        let node = level2[(bytes[i]! << 8) | bytes[i + 1]!]!
        for (let j = i + 2; node >= 0; ) {
          if ((terminal[node]! & BUILT) !== 0) {
            far = j
            farNode = node
          }
          if (j === n) break
          node = this.tables.child(node, bytes[j++]!)
        }
      }
      if (far > reach) reach = far
      if (i === start) {
        startEnd = far
        startNode = farNode
      }
    }
    return total + (startEnd === n && startNode >= 0 ? this.tokenCount(startNode, start, n) : this.segment(start, n))
  }

  private isToken(n: number): boolean {
    const bytes = this.bytes
    let node = this.tables.root
    for (let j = 0; j < n && node >= 0; j++) node = this.tables.child(node, bytes[j]!)
    return node >= 0 && (this.tables.terminal[node]! & VOCAB) !== 0
  }

  /** BPE count of bytes[start, end), which is the buildable token at trie node `node`. */
  private tokenCount(node: number, start: number, end: number): number {
    let c = this.byNode[node]!
    if (c === 0) {
      c = this.merge(start, end)
      if (c < 256) this.byNode[node] = c
    }
    return c
  }

  private segment(start: number, end: number): number {
    if (end - start === 1) return 1
    const key = this.bytes.toString('latin1', start, end)
    let c = this.segments.get(key)
    if (c === undefined) {
      c = this.merge(start, end)
      if (this.segments.size >= CACHE_LIMIT) this.segments = new Map()
      this.segments.set(key, c)
    }
    return c
  }

  /** Plain BPE on bytes[start, end): the number of symbols left when no adjacent pair merges. */
  private merge(start: number, end: number): number {
    const bytes = this.bytes
    if (this.sym.length < end - start) {
      this.sym = new Int32Array(end - start)
      this.next = new Int32Array(end - start)
      this.prev = new Int32Array(end - start)
      this.heap = new Float64Array(3 * (end - start))
    }
    const {sym, next, prev, tables} = this
    const {byteIds, pairs} = tables
    const n = tables.charLevel ? this.charSymbols(start, end) : end - start
    if (!tables.charLevel) for (let i = 0; i < n; i++) sym[i] = byteIds[bytes[start + i]!]!
    for (let i = 0; i < n; i++) {
      next[i] = i + 1 < n ? i + 1 : -1
      prev[i] = i - 1
    }
    // Heap entries are rank * n + position: ordered by rank, then leftmost.
    const heap = this.heap
    let size = 0
    const push = (v: number) => {
      let i = size++
      while (i > 0) {
        const p = (i - 1) >> 1
        if (heap[p]! <= v) break
        heap[i] = heap[p]!
        i = p
      }
      heap[i] = v
    }
    const pop = (): number => {
      const top = heap[0]!
      const last = heap[--size]!
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        if (l >= size) break
        const c = l + 1 < size && heap[l + 1]! < heap[l]! ? l + 1 : l
        if (heap[c]! >= last) break
        heap[i] = heap[c]!
        i = c
      }
      heap[i] = last
      return top
    }
    const candidate = (i: number) => {
      const j = next[i]!
      if (j === -1) return
      const at = tables.pair(sym[i]!, sym[j]!)
      if (at >= 0) push(pairs[at + 2]! * n + i)
    }
    for (let i = 0; i < n - 1; i++) candidate(i)
    let count = n
    while (size > 0) {
      const top = pop()
      const i = top % n
      const rank = (top - i) / n
      const j = next[i]!
      if (sym[i] === -1 || j === -1) continue
      // Stale entry: the pair at i changed since it was queued (ranks are unique per pair).
      const at = tables.pair(sym[i]!, sym[j]!)
      if (at < 0 || pairs[at + 2] !== rank) continue
      sym[i] = pairs[at + 3]!
      sym[j] = -1
      next[i] = next[j]!
      if (next[j]! !== -1) prev[next[j]!] = i
      count--
      if (prev[i]! !== -1) candidate(prev[i]!)
      candidate(i)
    }
    return count
  }

  /**
   * Character level: the starting symbols of bytes[start, end) into `sym` — each character's token, or its
   * bytes' fallback tokens when the vocabulary lacks it — and their number.
   */
  private charSymbols(start: number, end: number): number {
    const {bytes, sym, tables} = this
    let n = 0
    for (let i = start; i < end; ) {
      const b = bytes[i]!
      const len = sequenceLength(b)
      let cp = len === 1 ? b : b & (0xff >> (len + 1))
      for (let k = 1; k < len; k++) cp = (cp << 6) | (bytes[i + k]! & 0x3f)
      const id = i + len <= end ? tables.charId(cp) : -1
      if (id >= 0) sym[n++] = id
      else for (let k = 0; k < len && i + k < end; k++) sym[n++] = tables.byteIds[bytes[i + k]!]!
      i += len
    }
    return n
  }
}
