import {endianness} from 'node:os'

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
const WORD = 0
const SEPARATOR = 1
const CJK = 2
/** A character whose NFKC form depends on its neighbours or is longer than one unit: the text needs String#normalize. */
const WHOLE_TEXT = 3

interface CharTable {
  kind: Uint8Array
  /** Each UTF-16 unit's NFKC + lower-case form, where that is one unit. */
  fold: Uint16Array
}

let table: CharTable | undefined

/** Built once per thread (~30 ms) from the engine's own Unicode data, so the scan is one lookup per character. */
function charTable(): CharTable {
  if (table) return table
  const kind = new Uint8Array(0x10000)
  const fold = new Uint16Array(0x10000)
  const separator = /[\p{P}\p{S}\p{Z}\s\p{Cc}]/u
  const cjk = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u
  // Combining marks compose with their neighbours, and so do Hangul jamo; surrogates are halves of a character.
  const contextual = /[\p{M}\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\ud7b0-\ud7ff\ud800-\udfff]/u
  for (let c = 0; c < 0x10000; c++) {
    const ch = String.fromCharCode(c)
    const folded = c >= 0xd800 && c <= 0xdfff ? ch : ch.normalize('NFKC').toLowerCase()
    fold[c] = folded.charCodeAt(0)
    kind[c] = folded.length !== 1 || contextual.test(ch) || contextual.test(folded) ? WHOLE_TEXT : separator.test(folded) ? SEPARATOR : cjk.test(folded) ? CJK : WORD
  }
  return (table = {kind, fold})
}

const P = 0x01000193
// Distinct starting values keep a CJK character, a short word and a 4-gram from sharing a hash by design.
const CJK_SEED = Math.imul(0x2f6b1c3d, P)
const WORD_SEED = 0x811c9dc5
const GRAM_SEED = Math.imul(0x5bd1e995, P)

/** A growable buffer the shingles are written into, reused across texts (no per-text allocation). */
export class ShingleBuffer {
  data = new Uint32Array(4096)
  length = 0
  /** The current word's folded characters. */
  word = new Uint16Array(64)

  push(h: number): void {
    if (this.length === this.data.length) {
      const bigger = new Uint32Array(this.data.length * 2)
      bigger.set(this.data)
      this.data = bigger
    }
    this.data[this.length++] = h
  }
}

function endWord(out: ShingleBuffer, len: number): void {
  const w = out.word
  if (len < 4) {
    let h = WORD_SEED
    for (let i = 0; i < len; i++) h = Math.imul(h, P) + w[i]!
    out.push(h >>> 0)
    return
  }
  for (let i = 0; i + 4 <= len; i++) out.push((Math.imul(Math.imul(Math.imul(GRAM_SEED + w[i]!, P) + w[i + 1]!, P) + w[i + 2]!, P) + w[i + 3]!) >>> 0)
}

/**
 * One pass over UTF-16 units [from, to); false when it meets a character that needs whole-text NFKC (only if
 * `strict`). Without `strict` (the text is NFKC already) such characters are kept as word characters.
 */
function scan(units: Uint16Array, from: number, to: number, out: ShingleBuffer, strict: boolean): boolean {
  const {kind, fold} = charTable()
  let len = 0
  for (let i = from; i < to; i++) {
    const c = units[i]!
    const k = kind[c]!
    if (k === WORD || (k === WHOLE_TEXT && !strict)) {
      if (len === out.word.length) {
        const bigger = new Uint16Array(len * 2)
        bigger.set(out.word)
        out.word = bigger
      }
      out.word[len++] = k === WORD ? fold[c]! : c
    } else if (k === WHOLE_TEXT) {
      return false
    } else {
      if (len > 0) endWord(out, len)
      len = 0
      if (k === CJK) out.push((CJK_SEED + fold[c]!) >>> 0)
    }
  }
  if (len > 0) endWord(out, len)
  return true
}

const BIG_ENDIAN = endianness() === 'BE'

/** Texts as one array of UTF-16 units and their lengths: what the sketcher reads, and what a worker is sent (moved, not copied). */
export interface PackedTexts {
  units: Uint16Array
  lengths: Uint32Array
}

export function packTexts(texts: readonly string[]): PackedTexts {
  const joined = texts.join('')
  const buf = Buffer.allocUnsafeSlow(joined.length * 2)
  buf.write(joined, 'utf16le')
  if (BIG_ENDIAN) buf.swap16()
  return {units: new Uint16Array(buf.buffer, 0, joined.length), lengths: Uint32Array.from(texts, (t) => t.length)}
}

/** Writes the shingle hashes of units [from, to) (with repeats: MinHash keeps minima, repeats cost nothing) into `out`. */
export function writeShingles(units: Uint16Array, from: number, to: number, out: ShingleBuffer): void {
  out.length = 0
  if (scan(units, from, to, out, true)) return
  out.length = 0
  let text = ''
  for (let i = from; i < to; i += 8192) text += String.fromCharCode(...units.subarray(i, Math.min(to, i + 8192)))
  const {units: normalized} = packTexts([text.normalize('NFKC')])
  scan(normalized, 0, normalized.length, out, false)
}

/** The distinct shingle hashes of a text (for tests and the quality benchmark's exact Jaccard). */
export function shingleHashes(text: string): Uint32Array {
  const buf = new ShingleBuffer()
  const {units} = packTexts([text])
  writeShingles(units, 0, units.length, buf)
  return Uint32Array.from(new Set(buf.data.subarray(0, buf.length)))
}
