const QUOTE = 0x22
const BACKSLASH = 0x5c
const NEWLINE = 0x0a
const COMMA = 0x2c
const OPEN_BRACE = 0x7b
const CLOSE_BRACE = 0x7d
const OPEN_BRACKET = 0x5b
const CLOSE_BRACKET = 0x5d

/**
 * The top-level keys of every record in JSON Lines (`lines`) or in one JSON array of objects (`array`), found
 * over raw UTF-8 bytes without JSON.parse: string bodies are skipped with a native byte search, and only the
 * keys of each record object are decoded. A quote byte never occurs inside a multi-byte UTF-8 character, so
 * this is exact on well-formed input; it never throws on malformed input (the real read reports that), and in
 * `lines` mode every newline starts afresh, so a broken line does not disturb the next ones.
 */
export class KeyScanner {
  readonly keys = new Set<string>()
  /** Nesting depth at which a record's own keys live: 1 for JSON Lines, 2 inside the top-level array. */
  private readonly recordDepth: number
  private depth = 0
  private inString = false
  /** The byte before this chunk was a backslash that escapes the next byte (inside a string). */
  private pendingEscape = false
  private recordIsObject = false
  private expectKey = false
  /** The current string is a key: where it starts in this chunk (-1 once it spans chunks, see keyParts). */
  private keyStart: number | undefined
  /** Bytes of a key that spans chunks. */
  private keyParts: Buffer[] = []
  /** Keys as bytes, compared in place so the common case (a key seen before) allocates nothing. */
  private readonly known: Buffer[] = []

  constructor(private readonly mode: 'lines' | 'array') {
    this.recordDepth = mode === 'lines' ? 1 : 2
  }

  push(b: Buffer): void {
    const n = b.length
    let i = 0
    // Next newline at or after i (lines mode), found lazily: a string may not run past it.
    let nl = -2
    const nextNewline = (from: number): number => {
      if (nl === -1 || nl >= from) return nl
      nl = b.indexOf(NEWLINE, from)
      return nl
    }
    while (i < n) {
      if (this.inString) {
        // `lo`: the first byte that is not escaped by a backslash at the end of the previous chunk.
        const lo = this.pendingEscape ? i + 1 : i
        this.pendingEscape = false
        let q = lo
        let close = -1
        for (;;) {
          q = b.indexOf(QUOTE, q)
          if (q === -1) break
          let slashes = 0
          for (let k = q - 1; k >= lo && b[k] === BACKSLASH; k--) slashes++
          if (slashes % 2 === 0) {
            close = q
            break
          }
          q++
        }
        if (this.mode === 'lines') {
          const end = nextNewline(i)
          if (end !== -1 && (close === -1 || close > end)) {
            // A raw newline inside a string: the line is malformed; start the next one clean.
            this.reset()
            i = end + 1
            continue
          }
        }
        if (close === -1) {
          // The string goes on in the next chunk; remember an odd trailing run of backslashes.
          let slashes = 0
          for (let k = n - 1; k >= lo && b[k] === BACKSLASH; k--) slashes++
          this.pendingEscape = slashes % 2 === 1
          break
        }
        if (this.keyStart === -1) {
          this.keyParts.push(b.subarray(0, close))
          const whole = Buffer.concat(this.keyParts)
          this.addKey(whole, 0, whole.length)
          this.keyParts = []
        } else if (this.keyStart !== undefined) this.addKey(b, this.keyStart, close)
        this.keyStart = undefined
        this.inString = false
        i = close + 1
        continue
      }
      const c = b[i]!
      if (c === QUOTE) {
        this.inString = true
        if (this.depth === this.recordDepth && this.recordIsObject && this.expectKey) {
          this.keyStart = i + 1
          this.expectKey = false
        }
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        this.depth++
        if (this.depth === this.recordDepth) {
          this.recordIsObject = c === OPEN_BRACE
          this.expectKey = this.recordIsObject
        }
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (this.depth > 0) this.depth--
      } else if (c === COMMA) {
        if (this.depth === this.recordDepth) this.expectKey = this.recordIsObject
      } else if (c === NEWLINE && this.mode === 'lines') {
        this.reset()
      }
      i++
    }
    // A key still open at the end of the chunk: keep its bytes for the next one.
    if (this.keyStart !== undefined) {
      this.keyParts.push(Buffer.from(b.subarray(this.keyStart === -1 ? 0 : this.keyStart, n)))
      this.keyStart = -1
    }
  }

  private reset(): void {
    this.depth = 0
    this.inString = false
    this.pendingEscape = false
    this.expectKey = false
    this.keyStart = undefined
    this.keyParts = []
  }

  private addKey(b: Buffer, start: number, end: number): void {
    const len = end - start
    for (const k of this.known) if (k.length === len && k.compare(b, start, end) === 0) return
    const raw = b.toString('utf8', start, end)
    if (this.known.length < 256) this.known.push(Buffer.from(b.subarray(start, end)))
    if (!raw.includes('\\')) {
      this.keys.add(raw)
      return
    }
    try {
      this.keys.add(JSON.parse(`"${raw}"`) as string)
    } catch {
      // A malformed escape: the real read reports the record.
    }
  }
}
