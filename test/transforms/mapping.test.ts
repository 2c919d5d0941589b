import {spawnSync} from 'node:child_process'
import {describe, expect, it} from 'vitest'

import {mapFlags, parseMapFlags, resolveMapping, shellQuote} from '../../src/transforms/mapping.js'

const auto = (columns: string[]) => resolveMapping(columns, {}, 'f')

describe('auto-mapping', () => {
  it('matches names case-, space- and punctuation-insensitively against the synonym list', () => {
    expect(auto(['Question Text', 'Agent Reply']).columns).toEqual({instruction: 'Question Text', output: 'Agent Reply'})
    expect(auto(['question', 'agent_reply']).columns).toEqual({instruction: 'question', output: 'agent_reply'})
    expect(auto(['prompt_text', 'bot']).columns).toEqual({instruction: 'prompt_text', output: 'bot'})
    expect(auto(['human', 'bot']).columns).toEqual({instruction: 'human', output: 'bot'})
    expect(auto(['USER-INPUT', 'modelResponse', 'System Prompt']).columns).toEqual({instruction: 'USER-INPUT', output: 'modelResponse', system: 'System Prompt'})
    expect(auto(['Question Text', 'Agent Reply']).guessed).toEqual([])
  })

  it('takes a known word inside a longer name as a guess, and only when one column has it', () => {
    const m = auto(['id', 'Customer Question', 'Support Reply'])
    expect(m.columns).toEqual({instruction: 'Customer Question', output: 'Support Reply'})
    expect(m.guessed).toEqual(['instruction', 'output'])
    expect(() => auto(['first question', 'second question', 'the answer'])).toThrow(/cannot tell which columns/)
  })

  it('fails with a ready-to-paste --map suggestion that skips id-like columns', () => {
    expect(() => auto(['id', 'col_a', 'col_b'])).toThrow(expect.objectContaining({suggestion: expect.stringContaining('--map instruction=col_a --map output=col_b')}))
    expect(() => auto(['question', 'meta'])).toThrow(expect.objectContaining({suggestion: expect.stringContaining('--map instruction=question --map output=meta')}))
  })

  it('shell-quotes --map flags so they paste back as the same column names', () => {
    const columns = {instruction: "it's a \"Question\" $HOME", output: 'Agent Reply'}
    const flags = mapFlags(columns)
    expect(flags).toBe(`--map 'instruction=it'\\''s a "Question" $HOME' --map 'output=Agent Reply'`)
    // What bash makes of it is exactly what parseMapFlags needs.
    const argv = spawnSync('bash', ['-c', `printf '%s\\n' ${flags}`], {encoding: 'utf8'}).stdout.trim().split('\n').filter((a) => a !== '--map')
    expect(parseMapFlags(argv)).toEqual(columns)
    expect(shellQuote('plain_name-1.x')).toBe('plain_name-1.x')
  })
})
