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
  /** Each UTF-16 unit's NFKC + lower-case form where that is one unit, else the unit itself. */
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
    kind[c] = folded.length !== 1 || contextual.test(ch) || contextual.test(folded) ? WHOLE_TEXT : separator.test(folded) ? SEPARATOR : cjk.test(folded) ? CJK : WORD
    fold[c] = kind[c] === WHOLE_TEXT ? c : folded.charCodeAt(0)
  }
  return (table = {kind, fold})
}

const P = 0x01000193
// Distinct starting values keep a CJK character, a short word and a 4-gram from sharing a hash by design.
const CJK_SEED = Math.imul(0x2f6b1c3d, P)
const WORD_SEED = 0x811c9dc5
const GRAM_SEED = Math.imul(0x5bd1e995, P)

/** A buffer the shingles are written into, reused across texts (no per-text allocation). */
export class ShingleBuffer {
  data = new Uint32Array(4096)
  length = 0

  /** A text of n UTF-16 units has at most n shingles (one per character, at most). */
  reserve(n: number): Uint32Array {
    if (n > this.data.length) this.data = new Uint32Array(Math.max(n, this.data.length * 2))
    return this.data
  }
}

/**
 * One pass over UTF-16 units [from, to); false when it meets a character that needs whole-text NFKC (only if
 * `strict`). Without `strict` (the text is NFKC already) such characters are word characters, as they are.
 * A word's 4-grams are hashed as it goes from its last three characters, so no word is ever buffered.
 */
function scan(units: Uint16Array, from: number, to: number, out: ShingleBuffer, strict: boolean): boolean {
  const {kind, fold} = charTable()
  const data = out.reserve(to - from)
  let n = 0
  let len = 0
  let a = 0
  let b = 0
  let c = 0
  const endWord = () => {
    if (len > 0 && len < 4) {
      let h = WORD_SEED
      if (len === 3) h = Math.imul(h, P) + a
      if (len >= 2) h = Math.imul(h, P) + b
      data[n++] = (Math.imul(h, P) + c) >>> 0
    }
    len = 0
  }
  for (let i = from; i < to; i++) {
    const u = units[i]!
    const k = kind[u]!
    if (k === WORD || (k === WHOLE_TEXT && !strict)) {
      const d = fold[u]!
      if (len >= 3) data[n++] = (Math.imul(Math.imul(Math.imul(GRAM_SEED + a, P) + b, P) + c, P) + d) >>> 0
      a = b
      b = c
      c = d
      len++
    } else if (k === WHOLE_TEXT) {
      return false
    } else {
      endWord()
      if (k === CJK) data[n++] = (CJK_SEED + fold[u]!) >>> 0
    }
  }
  endWord()
  out.length = n
  return true
}

const BIG_ENDIAN = endianness() === 'BE'

/** Texts as one array of UTF-16 units and their lengths: what the sketcher reads, and what a worker is sent (moved, not copied). */
export interface PackedTexts {
  units: Uint16Array
  lengths: Uint32Array
}

/**
 * Packs texts into `spare` when it is large enough (buffers go round between the threads instead of being
 * allocated per batch, which would keep the garbage collector busy), else into a new buffer.
 */
export function packTexts(texts: readonly string[], spare?: ArrayBuffer): PackedTexts {
  const lengths = new Uint32Array(texts.length)
  let total = 0
  for (let i = 0; i < texts.length; i++) total += lengths[i] = texts[i]!.length
  const memory = spare && spare.byteLength >= total * 2 ? spare : Buffer.allocUnsafeSlow(Math.max(total * 2, 1 << 20)).buffer
  const buf = Buffer.from(memory, 0, total * 2)
  for (let i = 0, at = 0; i < texts.length; at += 2 * lengths[i++]!) buf.write(texts[i]!, at, 'utf16le')
  if (BIG_ENDIAN) buf.swap16()
  return {units: new Uint16Array(memory, 0, total), lengths}
}

/** Writes the shingle hashes of units [from, to) (with repeats: MinHash keeps minima, repeats cost nothing) into `out`. */
export function writeShingles(units: Uint16Array, from: number, to: number, out: ShingleBuffer): void {
  if (scan(units, from, to, out, true)) return
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
