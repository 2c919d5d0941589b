/**
 * Text → shingle hashes, per script. Normalised first (NFKC, lower case, punctuation, symbols and whitespace
 * all one separator), so re-wrapped, re-punctuated or re-cased copies have exactly the same shingles.
 *  - Han, kana and Hangul: one shingle per character. A character is about half a word; bigrams would let
 *    every changed character remove two shingles, and at a 0.8 threshold that misses copies with 6% changes.
 *  - Other scripts: character 4-grams inside each word (a word under 4 characters is one shingle). A typo
 *    then costs a few of a word's 4-grams instead of the whole word, and a changed word costs about one word.
 * Neither crosses word boundaries: word order is not compared, the price of tolerating edits (measured in
 * bench/near-dedup-quality.js: unrelated documents stay under ~0.3 similarity).
 */
const SEPARATORS = /[\p{P}\p{S}\p{Z}\s\p{Cc}]+/gu
const ASCII = /^[\x00-\x7f]*$/

/** Lower-cased, NFKC-normalised (skipped for ASCII, which it leaves unchanged), separators collapsed to a space. */
export function normalizeForShingles(text: string): string {
  const nfkc = ASCII.test(text) ? text : text.normalize('NFKC')
  return nfkc.toLowerCase().replace(SEPARATORS, ' ')
}

function isCjk(c: number): boolean {
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x3040 && c <= 0x30ff) ||
    (c >= 0xac00 && c <= 0xd7af) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0x1100 && c <= 0x11ff) || (c >= 0x3130 && c <= 0x318f)
}

const P = 0x01000193
// Distinct starting values keep a CJK character, a short word and a 4-gram from ever sharing a hash by design.
const CJK_SEED = 0x2f6b1c3d
const WORD_SEED = 0x811c9dc5
const GRAM_SEED = 0x5bd1e995

/** A growable buffer the shingles are written into, reused across texts (no per-text allocation). */
export class ShingleBuffer {
  data = new Uint32Array(4096)
  length = 0

  push(h: number): void {
    if (this.length === this.data.length) {
      const bigger = new Uint32Array(this.data.length * 2)
      bigger.set(this.data)
      this.data = bigger
    }
    this.data[this.length++] = h
  }
}

/** Writes the text's shingle hashes (with repeats: MinHash takes minima, so repeats cost nothing) into `out`. */
export function writeShingles(text: string, out: ShingleBuffer): void {
  out.length = 0
  const s = normalizeForShingles(text)
  let start = -1
  const endWord = (end: number) => {
    const len = end - start
    if (len < 4) {
      let h = WORD_SEED
      for (let i = start; i < end; i++) h = Math.imul(h, P) + s.charCodeAt(i)
      out.push(h >>> 0)
    } else {
      for (let i = start; i + 4 <= end; i++) {
        const h = Math.imul(Math.imul(Math.imul(Math.imul(GRAM_SEED, P) + s.charCodeAt(i), P) + s.charCodeAt(i + 1), P) + s.charCodeAt(i + 2), P) + s.charCodeAt(i + 3)
        out.push(h >>> 0)
      }
    }
    start = -1
  }
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c === 32) {
      if (start >= 0) endWord(i)
    } else if (isCjk(c)) {
      if (start >= 0) endWord(i)
      out.push((Math.imul(CJK_SEED, P) + c) >>> 0)
    } else if (start < 0) start = i
  }
  if (start >= 0) endWord(s.length)
}

/** The distinct shingle hashes of a text (for tests and the quality benchmark's exact Jaccard). */
export function shingleHashes(text: string): Uint32Array {
  const buf = new ShingleBuffer()
  writeShingles(text, buf)
  return Uint32Array.from(new Set(buf.data.subarray(0, buf.length)))
}
