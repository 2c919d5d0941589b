/**
 * Parity with LF's own template code, template by template. fixtures/lf/templates.json was written by
 * scripts/lf-fixtures.py, which runs LF's data/template.py, formatter.py, tool_utils.py and supervised
 * processor from a checkout with a recording tokenizer (each string slot one "id"), so it holds LF's exact
 * rendered strings, its special tokens and its labels — nothing in it comes from lfdata's encoder.
 */
import {readFileSync} from 'node:fs'

import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest'

import {LfRaise, multiturn, oneturn, renderMessages, supervisedLayout} from '../../src/templates/render.js'
import {EFFICIENT_EOS_TEMPLATES, LF_TEMPLATE_NAMES} from '../../src/lf/data-args.js'
import {parseChatTemplate} from '../../src/templates/parse-chat-template.js'
import {isReasoning, TEMPLATES, withSwitches, type Slot} from '../../src/templates/templates.js'
import type {LfMessage} from '../../src/lf/types.js'

type Piece = string | {special: string} | {token: string}
type Raises = {raises: string; message: string}
interface Case {
  case: string
  system: string
  tools: string
  messages: LfMessage[]
  enable_thinking?: boolean | null
  rendered: Piece[][] | Raises
  supervised: [Piece, string][] | Raises
  supervised_mask_history?: [Piece, string][] | Raises
  supervised_train_on_prompt?: [Piece, string][] | Raises
  oneturn: {prompt: Piece[]; response: Piece[]} | Raises
}

const fixture = JSON.parse(readFileSync('fixtures/lf/templates.json', 'utf8')) as {date: string; templates: Record<string, Case[]>; parsed: unknown}

/** What _convert_elements_to_ids keeps of a slot: empty strings and sets naming no special token give no id. */
const pieces = (slots: Slot[]): Piece[] =>
  slots.flatMap((s): Piece[] => (typeof s === 'string' ? (s === '' ? [] : [s]) : 'ignoredSet' in s ? [] : 'special' in s ? [{special: s.special}] : [s]))

/** Runs `fn`; a Python exception in the fixture must be an LfRaise here. */
function same<T>(expected: T | Raises, fn: () => unknown): void {
  if (expected && typeof expected === 'object' && 'raises' in expected) {
    expect(fn, `LF raises ${expected.raises}: ${expected.message}`).toThrow(LfRaise)
    return
  }
  expect(fn()).toEqual(expected)
}

describe('every template in the table has an LF parity fixture, and the reverse', () => {
  it('the table and the fixture name the same 124 templates', () => {
    expect(Object.keys(TEMPLATES).sort()).toEqual(Object.keys(fixture.templates).sort())
    expect(Object.keys(TEMPLATES)).toHaveLength(124)
  })
})

describe.each(Object.keys(TEMPLATES))('template %s renders as LF does', (name) => {
  beforeAll(() => {
    vi.useFakeTimers({toFake: ['Date']})
    vi.setSystemTime(new Date(`${fixture.date}T12:00:00`))
  })
  afterAll(() => {
    vi.useRealTimers()
  })
  const cases = fixture.templates[name] ?? []
  it('has a fixture with a system prompt, multi-turn and a tool call', () => {
    expect(cases.map((c) => c.case)).toEqual(expect.arrayContaining(['system', 'multi_turn', 'tool_call']))
    if (isReasoning(TEMPLATES[name]!)) expect(cases.map((c) => c.case)).toContain('reasoning_enable_thinking_True')
  })
  it.each(cases.map((c) => [c.case, c] as const))('%s', (_, c) => {
    const t = withSwitches(TEMPLATES[name]!, {enableThinking: c.enable_thinking === undefined ? true : c.enable_thinking})
    same(c.rendered, () => renderMessages(t, c.messages, c.system, c.tools).map(pieces))
    const layout = (maskHistory: boolean, trainOnPrompt: boolean) => () =>
      supervisedLayout(t, multiturn(t, c.messages, c.system, c.tools, maskHistory && !t.preserveThinking), {maskHistory, trainOnPrompt})
        .flatMap(({slot, label}) => pieces([slot]).map((p) => [p, label]))
    same(c.supervised, layout(false, false))
    if (c.supervised_mask_history) same(c.supervised_mask_history, layout(true, false))
    if (c.supervised_train_on_prompt) same(c.supervised_train_on_prompt, layout(false, true))
    same(c.oneturn, () => {
      const turn = oneturn(t, c.messages, c.system, c.tools)
      return {prompt: pieces(turn.source), response: pieces(turn.target)}
    })
  })
})

describe("no template given: parse_template on the tokenizer's chat_template, as LF does", () => {
  const parsed = (fixture as unknown as {parsed: Record<string, {class: string; prefix: string[]; system: string[]; user: string[]; assistant: string[]; default_system: string}>}).parsed
  const sources = JSON.parse(readFileSync('fixtures/lf/chat-templates.json', 'utf8')) as {name: string; chat_template: string; prefix: string; special_tokens: Record<string, string>}[]
  it.each(sources.map((s) => [s.name, s] as const))('%s', (name, s) => {
    const t = parseChatTemplate({chatTemplate: s.chat_template, prefix: () => s.prefix, specialTokens: s.special_tokens})
    const lf = parsed[name]!
    expect({cls: t.cls, prefix: t.prefix, system: t.system, user: t.user, assistant: t.assistant, defaultSystem: t.defaultSystem}).toEqual({
      cls: lf.class === 'ReasoningTemplate' ? 'reasoning' : 'template', prefix: lf.prefix, system: lf.system, user: lf.user, assistant: lf.assistant, defaultSystem: lf.default_system,
    })
  })
})

describe("the template facts lf/ keeps for YAML checks agree with the table", () => {
  it('LF_TEMPLATE_NAMES and EFFICIENT_EOS_TEMPLATES (data-args.ts) list what the table says', () => {
    expect([...LF_TEMPLATE_NAMES].sort()).toEqual(Object.keys(TEMPLATES).sort())
    expect([...EFFICIENT_EOS_TEMPLATES].sort()).toEqual(Object.values(TEMPLATES).filter((t) => t.efficientEos).map((t) => t.name).sort())
  })
})
