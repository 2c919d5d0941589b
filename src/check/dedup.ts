import type {AlignedExample} from '../lf/types.js'

/**
 * Exact-duplicate detection across every dataset of a run: a 64-bit fingerprint per example (14 bytes a slot),
 * never the text. Bounded: after `limit` distinct examples it stops (and says so) rather than grow further.
 */
/** Where each 64-bit fingerprint was first seen (convert's FingerprintSet; the use case passes it in). */
export interface FingerprintStore {
  readonly size: number
  addOrGet(hi: number, lo: number, source: number, line: number): {source: number; line: number} | undefined
}

export class Dedup {
  readonly files: string[] = []
  full = false

  constructor(private readonly h64: (text: string) => bigint, private readonly set: FingerprintStore, readonly limit = 3_000_000) {}

  /** Where an identical example was first seen, or undefined. */
  seen(example: AlignedExample, file: number, line: number): {file: string; line: number} | undefined {
    if (this.set.size >= this.limit) {
      this.full = true
      return undefined
    }
    const h = this.h64(JSON.stringify(example))
    const first = this.set.addOrGet(Number(h >> 32n), Number(h & 0xffffffffn), file, line)
    return first && {file: this.files[first.source] ?? '?', line: first.line}
  }
}
