/**
 * Text → a set of 32-bit shingle hashes. Normalised first (NFKC, lower case, punctuation and symbols removed,
 * whitespace collapsed) so re-punctuated or re-cased copies match. Texts that are mostly CJK use character
 * 2-grams (no word boundaries to rely on); others use word 1- and 2-grams, which keep short instructions
 * comparable where 3-grams would leave almost nothing in common after a single edit.
 */
const PUNCT = /[\p{P}\p{S}]+/gu
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu

export function normalizeForShingles(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(PUNCT, ' ').replace(/\s+/g, ' ').trim()
}

/** FNV-1a over a string range, 32-bit. */
function fnv(s: string, from: number, to: number, seed = 0x811c9dc5): number {
  let h = seed
  for (let i = from; i < to; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

export function isMostlyCjk(text: string): boolean {
  const cjk = text.match(CJK)?.length ?? 0
  return cjk * 3 > text.replace(/\s/g, '').length
}

export function shingleHashes(text: string): Uint32Array {
  const norm = normalizeForShingles(text)
  const out = new Set<number>()
  if (isMostlyCjk(norm)) {
    const s = norm.replace(/ /g, '')
    if (s.length < 2) out.add(fnv(s, 0, s.length))
    for (let i = 0; i + 2 <= s.length; i++) out.add(fnv(s, i, i + 2))
  } else {
    const words = norm.split(' ').filter(Boolean)
    const hashes = words.map((w) => fnv(w, 0, w.length))
    for (let i = 0; i < hashes.length; i++) {
      out.add(hashes[i]!)
      if (i + 1 < hashes.length) out.add((Math.imul(hashes[i]!, 0x9e3779b1) ^ hashes[i + 1]!) >>> 0)
    }
  }
  return Uint32Array.from(out)
}
