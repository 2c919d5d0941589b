import fc from 'fast-check'
import {beforeAll, describe, expect, it} from 'vitest'

import type {AlignedExample, LfMessage} from '../../src/lf/types.js'
import {exampleLength, exampleTokens} from '../../src/measure/encode.js'
import {TEMPLATES, TEMPLATE_NAMES} from '../../src/templates/templates.js'
import type {TokenCounter} from '../../src/tokenize/counter.js'
import {loadTokenizer} from '../../src/tokenize/load.js'

let counters: Record<string, TokenCounter>
beforeAll(() => {
  counters = {qwen: loadTokenizer('qwen').counter, llama3: loadTokenizer('llama3').counter}
})

const SEED = 1717
const text = fc.array(fc.constantFrom('hello', ' world', '你好', '世界', '🤖', '✨', '\n', '<think>', '</think>', 'é', '  ', '.', '<|im_end|>', '[INST]', '42'), {maxLength: 12}).map((a) => a.join(''))

function example(turns: string[], system: string): AlignedExample {
  const messages: LfMessage[] = turns.map((content, i) => ({role: i % 2 === 0 ? 'user' : 'assistant', content}))
  return {prompt: messages.slice(0, -1), response: messages.slice(-1), system, tools: '', images: null, videos: null, audios: null}
}

describe('exampleTokens (the report\'s token view)', () => {
  it(`agrees with exampleLength for every template, both presets, any text (seed ${SEED})`, () => {
    fc.assert(
      fc.property(fc.constantFrom(...TEMPLATE_NAMES), fc.constantFrom('qwen', 'llama3'), fc.integer({min: 1, max: 3}), fc.array(text, {minLength: 6, maxLength: 6}), text, (tpl, tok, pairs, texts, system) => {
        const ex = example(texts.slice(0, pairs * 2), system)
        const template = TEMPLATES[tpl]!
        const counter = counters[tok]!
        const {length, spans} = exampleTokens(ex, template, counter, 'sft')
        expect(length).toEqual(exampleLength(ex, template, counter, 'sft'))
        expect(spans.filter((s) => s.trained).reduce((n, s) => n + s.tokens, 0)).toBe(length.response)
        expect(spans.reduce((n, s) => n + s.tokens, 0)).toBe(length.total)
        // Spans are whole characters: no replacement character appears unless the input had one.
        expect(spans.map((s) => s.text).join('')).not.toContain('\uFFFD')
      }),
      {seed: SEED, numRuns: 150},
    )
  })

  it('puts the trained tokens on the assistant turns and their end marks only (qwen)', () => {
    const {spans} = exampleTokens(example(['Hi', 'Hello!'], ''), TEMPLATES.qwen!, counters.qwen!, 'sft')
    expect(spans.filter((s) => s.trained).map((s) => s.text).join('')).toBe('Hello!<|im_end|>\n')
    expect(spans.filter((s) => !s.trained).map((s) => s.text).join('')).toBe('<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n')
  })

  it('pre-training trains on the whole text plus EOS, stop words of the template counted as plain text', () => {
    const ex: AlignedExample = {prompt: [{role: 'user', content: 'Plain text 你好 <|im_end|>'}], response: [], system: '', tools: '', images: null, videos: null, audios: null}
    // chatml's <|im_end|> is not a Llama 3 token: in chat turns it becomes one, in pre-training text it does not.
    const {length, spans} = exampleTokens(ex, TEMPLATES.chatml!, counters.llama3!, 'pt')
    expect(spans.every((s) => s.trained)).toBe(true)
    expect(length).toEqual(exampleLength(ex, TEMPLATES.chatml!, counters.llama3!, 'pt'))
    expect(spans.reduce((n, s) => n + s.tokens, 0)).toBe(length.total)
  })
})
