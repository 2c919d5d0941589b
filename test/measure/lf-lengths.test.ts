import {readFileSync} from 'node:fs'

import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest'

import type {AlignedExample} from '../../src/lf/types.js'
import {exampleLength} from '../../src/measure/encode.js'
import {TEMPLATES} from '../../src/templates/templates.js'
import type {TokenCounter} from '../../src/tokenize/counter.js'
import {loadTokenizer} from '../../src/tokenize/load.js'

/**
 * Lengths LLaMA-Factory's own code computed (converter, template, supervised processor; see the fixture's
 * `source`) for 200 generated examples under several templates and both tokenizer presets. Every
 * template/tokenizer pair of an example must give LF's len(input_ids) exactly.
 */
interface Fixture {
  source: string
  date: string
  examples: {example: AlignedExample; lengths: Record<string, number>}[]
}

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/lf/lengths.json', import.meta.url), 'utf8')) as Fixture
const counters: Record<string, TokenCounter> = {}

beforeAll(() => {
  // LF's llama3 tool prompt prints today's date; the fixture was made with this one.
  vi.useFakeTimers({toFake: ['Date']})
  vi.setSystemTime(new Date(`${fixture.date}T12:00:00`))
  counters.qwen = loadTokenizer('qwen').counter
  counters.llama3 = loadTokenizer('llama3').counter
})
afterAll(() => {
  vi.useRealTimers()
})

const pairs = [...new Set(fixture.examples.flatMap((e) => Object.keys(e.lengths)))].sort()

describe('lengths equal what LLaMA-Factory computes (fixtures/lf/lengths.json)', () => {
  it('covers the templates and examples it claims', () => {
    expect(fixture.source).toMatch(/^LLaMA-Factory [0-9a-f]{40}/)
    expect(fixture.examples.length).toBe(200)
    for (const t of ['qwen/qwen', 'qwen3/qwen', 'llama3/llama3']) expect(pairs).toContain(t)
  })

  it.each(pairs)('%s', (pair) => {
    const [template, tokenizer] = pair.split('/') as [string, string]
    const mismatches: string[] = []
    let compared = 0
    fixture.examples.forEach(({example, lengths}, i) => {
      const expected = lengths[pair]
      if (expected === undefined) return
      compared++
      const got = exampleLength(example, TEMPLATES[template]!, counters[tokenizer]!, 'sft').total
      if (got !== expected) mismatches.push(`example ${i}: lfdata ${got}, LF ${expected}`)
    })
    expect(compared).toBeGreaterThan(100)
    expect(mismatches).toEqual([])
  })
})
