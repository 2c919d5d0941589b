import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import tokenizers from 'tokenizers'
import {describe, expect, it} from 'vitest'

import {loadTokenizer} from '../../src/tokenize/load.js'
import {tempDir} from '../io/helpers.js'
import {mixedCorpus} from './corpus.js'

const special = (id: number, content: string) => ({id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true})
const base = {version: '1.0', truncation: null, padding: null, post_processor: null, decoder: null}
const words = ['the', 'quick', 'brown', 'fox', 'jump', 'over', 'lazy', 'dog', 'data', 'model', 'return', 'def', 'for', 'let', 'http', 'ok']
const pieces = [...new Set([...words, ...words.map((w) => w.slice(0, 2)), ...'abcdefghijklmnopqrstuvwxyz0123456789.,:;()[]{}<>=+-*/\'"!?#_|', '数', '据', '模', '型', '你', '好', '🎉'])]

/** A tiny Unigram model with a Metaspace pre-tokenizer (the T5 / ALBERT / XLNet shape). */
function unigram(): Record<string, unknown> {
  const vocab: [string, number][] = [['<unk>', 0], ['▁', -2], ...pieces.map((p, i): [string, number] => [p, -3 - (i % 7) - p.length * 0.1]),
    ...words.map((w, i): [string, number] => [`▁${w}`, -1.5 - (i % 5) * 0.3])]
  return {
    ...base,
    added_tokens: [special(0, '<unk>'), special(vocab.length, '</s>')],
    normalizer: {type: 'Sequence', normalizers: [{type: 'NFKC'}, {type: 'Replace', pattern: {Regex: ' {2,}'}, content: ' '}]},
    pre_tokenizer: {type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true},
    model: {type: 'Unigram', unk_id: 0, vocab, byte_fallback: false},
  }
}

/** A tiny WordPiece model with BERT's normaliser and pre-tokenizer. */
function wordpiece(): Record<string, unknown> {
  const tokens = ['[UNK]', '[CLS]', '[SEP]', ...pieces, ...words.flatMap((w) => [`##${w.slice(2)}`, `##${w.slice(1)}`]), ...pieces.map((p) => `##${p}`)]
  const vocab = Object.fromEntries([...new Set(tokens)].map((t, i) => [t, i]))
  return {
    ...base,
    added_tokens: [special(0, '[UNK]'), special(1, '[CLS]'), special(2, '[SEP]')],
    normalizer: {type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true},
    pre_tokenizer: {type: 'BertPreTokenizer'},
    model: {type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab},
  }
}

/** A character-level BPE without byte fallback: unknown characters are `<unk>`, fused (not the fast path). */
function charBpe(): Record<string, unknown> {
  const chars = ['<unk>', '▁', ...'abcdefghijklmnopqrstuvwxyz.,']
  const merges = [['t', 'h'], ['th', 'e'], ['▁', 'the'], ['o', 'x'], ['f', 'ox'], ['▁', 'fox'], ['e', 'r'], ['v', 'er'], ['o', 'ver']]
  const vocab = Object.fromEntries([...chars, ...merges.map(([a, b]) => a! + b!)].map((t, i) => [t, i]))
  return {
    ...base,
    added_tokens: [special(0, '<unk>')],
    normalizer: {type: 'Sequence', normalizers: [{type: 'Prepend', prepend: '▁'}, {type: 'Replace', pattern: {String: ' '}, content: '▁'}]},
    pre_tokenizer: null,
    model: {type: 'BPE', dropout: null, unk_token: '<unk>', continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: true, byte_fallback: false, vocab, merges},
  }
}

const models = {unigram, wordpiece, 'character BPE with <unk>': charBpe}

describe.each(Object.entries(models))('a %s tokenizer.json given by path', (_, build) => {
  it('counts as the Rust tokenizers package does, through the library tokenizer (seed 21)', async () => {
    const dir = tempDir('lfdata-model-')
    const path = join(dir, 'tokenizer.json')
    writeFileSync(path, JSON.stringify(build()))
    const {counter} = loadTokenizer(path)
    expect(counter.spec, 'no fast path: the library counts').toBeUndefined()
    const texts = [...mixedCorpus(1500, 21), 'The  quick brown fox', '  leading', 'trailing  ', '\n', 'ÉCOLE', '数据模型', '[CLS] the [SEP]', '</s>the']
    const encoded = await tokenizers.Tokenizer.fromFile(path).encodeBatch(texts, {addSpecialTokens: false})
    const expected = encoded.map((e) => e.getIds().length)
    const ours = texts.map((t) => counter.count(t))
    const diff = texts.findIndex((_t, i) => ours[i] !== expected[i])
    expect(diff === -1 ? undefined : {text: texts[diff], ours: ours[diff], rust: expected[diff]}).toBeUndefined()
  })
})
