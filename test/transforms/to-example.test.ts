import {describe, expect, it} from 'vitest'

import type {Row} from '../../src/io/types.js'
import type {Example} from '../../src/transforms/example.js'
import {resolveMapping} from '../../src/transforms/mapping.js'
import {DEFAULT_NORMALIZE, makeNormalizer} from '../../src/transforms/normalize.js'
import {toExample} from '../../src/transforms/to-example.js'

const rowsOf = (records: Record<string, unknown>[]): Row[] => records.map((record, i) => ({record, source: 'mem', line: i + 1}))

async function run(records: Record<string, unknown>[], explicit = {}, system?: string) {
  const mapping = resolveMapping(Object.keys(records[0]!), explicit, 'mem')
  const drops: {reason: string; detail: string}[] = []
  const out: Example[] = []
  const step = toExample({mapping, normalize: makeNormalizer(DEFAULT_NORMALIZE), system}, (_row, reason, detail) => drops.push({reason, detail}))
  for (const row of rowsOf(records)) {
    const item = step(row)
    if (item) out.push(item.example)
  }
  return {mapping, out, drops}
}

describe('mapping', () => {
  it('recognises common names case-insensitively and prefers --map', () => {
    const m = resolveMapping(['Question', 'Answer', 'prompt'], {instruction: 'prompt'}, 'f')
    expect(m.columns).toEqual({instruction: 'prompt', output: 'Answer'})
    expect(m.shape).toBe('flat')
  })
  it('detects chat, preference, KTO and text shapes', () => {
    expect(resolveMapping(['messages'], {}, 'f')).toMatchObject({shape: 'chat', kind: 'sft'})
    expect(resolveMapping(['prompt', 'chosen', 'rejected'], {}, 'f')).toMatchObject({shape: 'flat', kind: 'preference'})
    expect(resolveMapping(['conversations', 'kto_tag'], {}, 'f')).toMatchObject({shape: 'chat', kind: 'kto'})
    expect(resolveMapping(['text', 'meta'], {}, 'f')).toMatchObject({shape: 'text', kind: 'text'})
  })
  it('fails with the available columns when nothing fits', () => {
    expect(() => resolveMapping(['foo', 'bar'], {}, 'data.csv')).toThrow(/cannot tell which columns/)
  })
})

describe('toExample', () => {
  it('joins instruction and input as LF does and keeps them apart for Alpaca', async () => {
    const {out} = await run([{instruction: ' Sum ', input: '1 2', output: 3}])
    expect(out[0]).toEqual({kind: 'sft', system: '', tools: '', query: {instruction: 'Sum', input: '1 2'},
      turns: [{role: 'user', content: 'Sum\n1 2'}, {role: 'assistant', content: '3'}]})
  })
  it('treats null and NaN as empty and rejects objects in text fields', async () => {
    const {out, drops} = await run([{instruction: 'a', output: null}, {instruction: 'b', output: {x: 1}}, {instruction: NaN, output: 'c'}])
    expect(out.map((e) => e.kind !== 'text' && e.turns.map((t) => t.content))).toEqual([['a', ''], ['', 'c']])
    expect(drops).toEqual([{reason: 'non_text_value', detail: 'output is an object: {"x":1}'}])
  })
  it('reads OpenAI and ShareGPT messages into one shape, lifting a leading system turn', async () => {
    const {out} = await run([
      {messages: [{role: 'system', content: 'S'}, {role: 'user', content: 'hi'}, {role: 'assistant', content: [{type: 'text', text: 'yo'}]}]},
      {messages: [{from: 'human', value: 'q'}, {from: 'gpt', value: 'a'}]},
    ])
    expect(out[0]).toMatchObject({system: 'S', turns: [{role: 'user', content: 'hi'}, {role: 'assistant', content: 'yo'}]})
    expect(out[1]).toMatchObject({system: '', turns: [{role: 'user', content: 'q'}, {role: 'assistant', content: 'a'}]})
  })
  it('folds OpenAI tool calls and consecutive tool results like LF\'s openai converter', async () => {
    const {out} = await run([{messages: [
      {role: 'user', content: 'w?'},
      {role: 'assistant', content: null, tool_calls: [{type: 'function', function: {name: 'f', arguments: '{}'}}]},
      {role: 'tool', content: 'r1'}, {role: 'tool', content: 'r2'},
      {role: 'assistant', content: 'done'},
    ]}])
    expect(out[0]).toMatchObject({turns: [
      {role: 'user', content: 'w?'},
      {role: 'function', content: '[{"name":"f","arguments":"{}"}]'},
      {role: 'observation', content: 'r1\n</tool_response>\n<tool_response>\nr2'},
      {role: 'assistant', content: 'done'},
    ]})
  })
  it('parses a messages column stored as a JSON string (CSV exports)', async () => {
    const {out} = await run([{messages: '[{"role":"user","content":"a"},{"role":"assistant","content":"b"}]'}])
    expect(out[0]).toMatchObject({turns: [{role: 'user', content: 'a'}, {role: 'assistant', content: 'b'}]})
  })
  it('drops unknown roles and non-text parts with their reasons', async () => {
    const {drops} = await run([
      {messages: [{role: 'narrator', content: 'x'}]},
      {messages: [{role: 'user', content: [{type: 'image_url', image_url: {url: 'x'}}]}]},
    ])
    expect(drops.map((d) => d.reason)).toEqual(['unknown_role', 'non_text_content'])
  })
  it('reads KTO labels and preference pairs', async () => {
    const {out, drops} = await run([{prompt: 'p', output: 'o', kto_tag: true}, {prompt: 'p', output: 'o', kto_tag: 'maybe'}])
    expect(out[0]).toMatchObject({kind: 'kto', label: true})
    expect(drops[0]!.reason).toBe('invalid_kto_tag')
    const pref = await run([{prompt: 'p', chosen: {from: 'gpt', value: 'good'}, rejected: 'bad'}])
    expect(pref.out[0]).toMatchObject({kind: 'preference', chosen: 'good', rejected: 'bad', turns: [{role: 'user', content: 'p'}]})
  })
  it('uses --system where the record has none', async () => {
    const {out} = await run([{q: 'a', answer: 'b', system: ''}], {instruction: 'q'}, 'Be kind.')
    expect(out[0]).toMatchObject({system: 'Be kind.'})
  })
})
