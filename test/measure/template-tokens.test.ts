import {describe, expect, it} from 'vitest'

import {supervisedTurns} from '../../src/measure/encode.js'
import type {AlignedExample} from '../../src/lf/types.js'
import {TEMPLATES} from '../../src/templates/templates.js'
import {loadTokenizer} from '../../src/tokenize/load.js'
import {missingTemplateTokens} from '../../src/measure/template-tokens.js'

describe('a template whose special tokens the tokenizer lacks', () => {
  const llama2 = loadTokenizer('llama2').counter
  const qwen = loadTokenizer('qwen').counter

  it('is a warning naming the tokens, and none on the vocabulary that has them', () => {
    expect(missingTemplateTokens(TEMPLATES.qwen!, llama2)).toEqual([
      'template qwen needs <|im_end|>, which tokenizer llama2 lacks: LF adds it as a new special token (each counted as one token here; train with resize_vocab: true)',
    ])
    expect(missingTemplateTokens(TEMPLATES.qwen!, qwen)).toEqual([])
    expect(missingTemplateTokens(TEMPLATES.llama2!, llama2)).toEqual([])
  })

  it('counts each stop word as one added token, as LF does after fix_special_tokens', () => {
    // chatml's stop words are <|im_end|> and <|im_start|>: both become added tokens, which split the text
    // around them into pieces encoded on their own.
    expect(missingTemplateTokens(TEMPLATES.chatml!, llama2)[0]).toContain('needs <|im_end|>, <|im_start|>, which tokenizer llama2 lacks: LF adds them')
    const ex: AlignedExample = {prompt: [{role: 'user', content: 'hi'}], response: [{role: 'assistant', content: 'yo'}], system: '', tools: '', images: null, videos: null, audios: null}
    const [[user, assistant]] = supervisedTurns(ex, TEMPLATES.chatml!, llama2) as [[number, number]]
    const c = (t: string) => llama2.count(t)
    expect(c('<|im_end|>')).toBeGreaterThan(1)
    expect(user).toBe(1 + c('user\nhi') + 1 + c('\n') + 1 + c('assistant\n'))
    expect(assistant).toBe(c('yo') + 1 + c('\n'))
  })
})
