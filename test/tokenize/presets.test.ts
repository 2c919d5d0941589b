import tokenizers from 'tokenizers'
import {describe, expect, it} from 'vitest'

import {loadTokenizer, PRESETS} from '../../src/tokenize/load.js'
import {longPieceCorpus, mixedCorpus} from './corpus.js'
import {presetTokenizerPath} from './preset-files.js'

/**
 * Text aimed at sentencepiece BPE (Llama 2, Gemma 3): spaces become ▁ and are merged with words, runs of spaces
 * and newlines, characters outside the vocabulary (byte fallback), a literal ▁ and `<0x41>`, leading and
 * trailing whitespace, and the presets' own special tokens inside text. Seeded.
 */
function sentencepieceCorpus(n: number, seed: number): string[] {
  let s = seed
  const rand = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0
    return s / 2 ** 32
  }
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!
  const parts = [
    ' ', '  ', '    ', '\n', '\n\n', '\t', ' \n ', 'the', ' the', 'Hello', ' world', 'ing', 'naïve', '数据', '模型训练', '龘', '𪚥', '🎉',
    '👩‍💻', '▁', '▁▁x', '<0x41>', '<s>', '</s>', '<unk>', '<bos>', '<start_of_turn>', '<end_of_turn>', '<|eot_id|>', '<|eom_id|>', '<|python_tag|>', '<|return|>',
    '<｜User｜>', 'def f(x):\n    return x', '1234567', 'ÿ', '\u00a0', '\u200b', 'Ωμέγα', 'कि', 'ﬁ', 'e\u0301',
  ]
  return Array.from({length: n}, () => Array.from({length: 1 + Math.floor(rand() * 10)}, () => pick(parts)).join(''))
}

const added = ['llama3.1', 'llama2', 'gemma3', 'deepseek3', 'gpt-oss']

describe.each(added)('preset %s', (name) => {
  const source = presetTokenizerPath(name)
  const seed = 11
  const texts = [...mixedCorpus(1500, seed), ...longPieceCorpus(60, seed), ...sentencepieceCorpus(1500, seed)]

  it(`counts as the Rust tokenizers package does on zh/en/code/emoji/whitespace text (seed ${seed})`, async () => {
    const {counter} = loadTokenizer(name)
    expect(counter.spec, 'takes the fast path').toBeDefined()
    const rust = tokenizers.Tokenizer.fromFile(source)
    const encoded = await rust.encodeBatch(texts, {addSpecialTokens: false})
    const expected = encoded.map((e) => e.getIds().length)
    const ours = texts.map((t) => counter.count(t))
    const diff = texts.findIndex((_, i) => ours[i] !== expected[i])
    expect(diff === -1 ? undefined : {text: texts[diff], ours: ours[diff], rust: expected[diff]}).toBeUndefined()
  })

  it('says which vocabulary it is, with the size the Rust tokenizer reports', () => {
    const rust = tokenizers.Tokenizer.fromFile(source)
    expect(PRESETS[name]!.tokens).toBe(rust.getVocabSize(true))
    expect(loadTokenizer(name).description).toBe(`${PRESETS[name]!.model} vocabulary, ${rust.getVocabSize(true).toLocaleString('en-US')} tokens`)
  })
})
