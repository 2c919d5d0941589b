/**
 * Where records start in a text file, found from its bytes without parsing fields: JSON Lines start after
 * every "\n"; CSV records start after a "\n" that is outside quotes, tracked with papaparse's rules (a quote
 * opens a field only at the field's start; inside, "" is a literal quote and any other quote closes it).
 * The scan carries its state across chunks, so it always starts at a known record start — the file's first
 * byte — and is exact for every file one process reads without a quote error.
 */
export class BoundaryScanner {
  /** Bytes consumed so far. */
  pos = 0
  /** "\n" bytes consumed so far (line numbers: a record starting here is on line newlines + 1). */
  newlines = 0
  private inQuotes = false
  private pendingQuote = false
  private fieldStart = true
  private readonly delim: number

  constructor(readonly format: 'csv' | 'jsonl', delimiter = ',') {
    this.delim = delimiter.charCodeAt(0)
  }

  /**
   * Consumes `chunk` up to the first record start at or after `target` and returns that start, or -1 when
   * the chunk ends first. Record starts are the positions right after a record's "\n".
   */
  scan(chunk: Uint8Array, target: number): number {
    const base = this.pos
    if (this.format === 'jsonl') {
      let i = Math.max(0, target - 1 - base)
      // Newlines before the target only need counting.
      for (let j = 0; j < Math.min(i, chunk.length); j++) if (chunk[j] === 10) this.newlines++
      for (; i < chunk.length; i++) {
        if (chunk[i] === 10) {
          this.newlines++
          this.pos = base + i + 1
          return this.pos
        }
      }
      this.pos = base + chunk.length
      return -1
    }
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!
      if (this.inQuotes) {
        if (this.pendingQuote) {
          this.pendingQuote = false
          if (c === 34) continue // "" inside a quoted field
          this.inQuotes = false // the previous quote closed the field; c is read outside quotes below
        } else {
          if (c === 34) this.pendingQuote = true
          else if (c === 10) this.newlines++
          continue
        }
      }
      if (c === 34 && this.fieldStart) {
        this.inQuotes = true
        this.fieldStart = false
      } else if (c === this.delim) {
        this.fieldStart = true
      } else if (c === 10) {
        this.newlines++
        this.fieldStart = true
        if (base + i + 1 >= target) {
          this.pos = base + i + 1
          return this.pos
        }
      } else {
        this.fieldStart = false
      }
    }
    this.pos = base + chunk.length
    return -1
  }
}
