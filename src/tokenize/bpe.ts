/**
 * Token count of one pre-tokenised piece under a plain byte-level BPE model (no dropout, no unknown token,
 * no subword prefix/suffix, no byte fallback — the Qwen and Llama 3 tokenizers). Merges are applied as the
 * BPE model applies them: always the adjacent pair with the lowest rank, leftmost first. Symbols are vocab
 * ids in typed arrays (a linked list) and candidate pairs sit in a binary heap keyed by (rank, position),
 * so a piece costs O(n log n) with no per-merge allocation — the library's object-per-node heap made long
 * CJK pieces the bottleneck of stats. Exactness is pinned by tests against full encoding and Rust.
 */
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

export class PieceCounter {
  /** (left id, right id) → rank and merged id, keyed left * size + right. */
  private readonly pairs = new Map<number, {rank: number; id: number}>()
  private readonly ids: Map<string, number>
  private readonly size: number
  private readonly ignoreMerges: boolean

  private constructor(model: BpeModelJson) {
    this.ids = new Map(Object.entries(model.vocab))
    let max = 0
    for (const id of this.ids.values()) if (id > max) max = id
    this.size = max + 1
    this.ignoreMerges = model.ignore_merges === true
    model.merges.forEach((m, rank) => {
      const [a, b] = typeof m === 'string' ? (m.split(' ') as [string, string]) : m
      const left = this.ids.get(a)
      const right = this.ids.get(b)
      const merged = this.ids.get(a + b)
      if (left === undefined || right === undefined || merged === undefined) return
      const key = left * this.size + right
      if (!this.pairs.has(key)) this.pairs.set(key, {rank, id: merged})
    })
  }

  /** A counter for this model, or undefined when it uses features this fast path does not implement. */
  static for(model: BpeModelJson | undefined): PieceCounter | undefined {
    if (!model || model.type !== 'BPE' || model.dropout || model.unk_token || model.continuing_subword_prefix || model.end_of_word_suffix || model.byte_fallback) return undefined
    return new PieceCounter(model)
  }

  /** The count, or undefined when a character is not in the vocabulary (the caller falls back to the library). */
  count(piece: string): number | undefined {
    if (this.ignoreMerges && this.ids.has(piece)) return 1
    const chars = Array.from(piece)
    const n = chars.length
    if (n <= 1) return n
    const sym = new Int32Array(n)
    const next = new Int32Array(n)
    const prev = new Int32Array(n)
    for (let i = 0; i < n; i++) {
      const id = this.ids.get(chars[i]!)
      if (id === undefined) return undefined
      sym[i] = id
      next[i] = i + 1 < n ? i + 1 : -1
      prev[i] = i - 1
    }
    // Heap of candidate merges: rank * 2^21 + left position (pieces are far shorter than 2^21).
    const heap: number[] = []
    const push = (v: number) => {
      let i = heap.push(v) - 1
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
      const last = heap.pop()!
      if (heap.length > 0) {
        let i = 0
        for (;;) {
          const l = 2 * i + 1
          if (l >= heap.length) break
          const c = l + 1 < heap.length && heap[l + 1]! < heap[l]! ? l + 1 : l
          if (heap[c]! >= last) break
          heap[i] = heap[c]!
          i = c
        }
        heap[i] = last
      }
      return top
    }
    const SHIFT = 2 ** 21
    const candidate = (i: number) => {
      const j = next[i]!
      if (j === -1) return
      const pair = this.pairs.get(sym[i]! * this.size + sym[j]!)
      if (pair) push(pair.rank * SHIFT + i)
    }
    for (let i = 0; i < n - 1; i++) candidate(i)
    let count = n
    while (heap.length > 0) {
      const top = pop()
      const i = top % SHIFT
      const rank = (top - i) / SHIFT
      const j = next[i]!
      if (sym[i] === -1 || j === -1) continue
      // Stale entry: the pair at i changed since it was queued.
      const pair = this.pairs.get(sym[i]! * this.size + sym[j]!)
      if (!pair || pair.rank !== rank) continue
      sym[i] = pair.id
      sym[j] = -1
      next[i] = next[j]!
      if (next[j]! !== -1) prev[next[j]!] = i
      count--
      if (prev[i]! !== -1) candidate(prev[i]!)
      candidate(i)
    }
    return count
  }
}
