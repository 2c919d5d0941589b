import {describe, expect, it} from 'vitest'

import {parseDatasetInfoJson} from '../../src/lf/dataset-info.js'
import {withEntry, withoutEntry} from '../../src/registry/dataset-info-file.js'
import {planMix, resolveProbs} from '../../src/registry/mix-plan.js'

/** A dataset_info.json in LF's layout (json.dump indent=2, ensure_ascii=False) with `n` entries of varied shapes. */
export function lfStyleInfo(n: number): string {
  const info: Record<string, unknown> = {}
  for (let i = 0; i < n; i++) {
    if (i % 3 === 0) info[`alpaca_${i}`] = {file_name: `alpaca_${i}.json`}
    else if (i % 3 === 1) info[`chat_${i}`] = {file_name: `chat_${i}.json`, formatting: 'sharegpt', columns: {messages: 'messages'}, tags: {role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant'}}
    else info[`hub_${i}`] = {hf_hub_url: `org/数据集-${i}`, ms_hub_url: `org/ds-${i}`, split: 'train', num_samples: 100 + i}
  }
  return JSON.stringify(info, null, 2) + '\n'
}

describe('dataset_info.json edits', () => {
  it('adds an entry and leaves a 104-entry LF-style file byte-for-byte intact otherwise', () => {
    const text = lfStyleInfo(104)
    const parsed = parseDatasetInfoJson(text)
    if (!parsed.ok) throw new Error(parsed.message)
    const info = parsed.value as Record<string, unknown>
    const entry = {file_name: 'new.jsonl', columns: {prompt: 'instruction', response: 'output'}}
    const out = withEntry({path: 'x', text, info: info as never}, 'new_one', entry)
    expect(out).toBe(JSON.stringify({...info, new_one: entry}, null, 2) + '\n')
    expect(out.startsWith(text.slice(0, text.lastIndexOf('}', text.length - 3)))).toBe(true)
    // Removing it again gives the original bytes back.
    expect(withoutEntry({path: 'x', text: out, info: {}}, 'new_one')).toBe(text)
  })

  it('keeps an unusual layout (4-space indent, odd spacing) of the entries it does not touch', () => {
    const text = '{\n    "a": {"file_name": "a.json"},\n    "b":   {\n        "file_name": "b.json"\n    }\n}\n'
    const out = withEntry({path: 'x', text, info: {}}, 'a', {file_name: 'a2.json'})
    expect(out).toBe('{\n    "a": {\n        "file_name": "a2.json"\n    },\n    "b":   {\n        "file_name": "b.json"\n    }\n}\n')
    expect(withEntry({path: 'x', text: '{}\n', info: {}}, 'z', {file_name: 'z.json'})).toBe('{\n  "z": {\n    "file_name": "z.json"\n  }\n}\n')
  })
})

/** HF interleave_datasets on map-style datasets, simulated draw by draw. */
function simulate(sizes: number[], probs: number[], strategy: 'first_exhausted' | 'all_exhausted', seed: number): number[] {
  let s = seed
  const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32)
  const drawn = sizes.map(() => 0)
  const pos = sizes.map(() => 0)
  const exhausted = sizes.map(() => false)
  for (;;) {
    let r = rand()
    let i = 0
    while (i < probs.length - 1 && r >= probs[i]!) r -= probs[i++]!
    if (pos[i] === sizes[i]) {
      exhausted[i] = true
      if (strategy === 'first_exhausted' || exhausted.every(Boolean)) return drawn
      pos[i] = 0
    }
    pos[i]!++
    drawn[i]!++
  }
}

describe('mix planner', () => {
  it('matches simulation of first_exhausted and all_exhausted within 3%', () => {
    const sizes = {a: 5000, b: 20_000, c: 2000}
    const probs = {a: 0.5, b: 0.3, c: 0.2}
    for (const [strategy, stop] of [['interleave_under', 'first_exhausted'], ['interleave_over', 'all_exhausted']] as const) {
      const plan = planMix(strategy, sizes, probs)
      const runs = Array.from({length: 20}, (_, k) => simulate(Object.values(sizes), Object.values(probs), stop, k + 1))
      const mean = runs.reduce((acc, r) => acc.map((x, i) => x + r[i]! / runs.length), [0, 0, 0])
      const total = mean.reduce((a, b) => a + b, 0)
      expect(Math.abs(total - plan.total) / plan.total).toBeLessThan(0.03)
      Object.values(plan.expected).forEach((e, i) => expect(Math.abs(mean[i]! - e) / e).toBeLessThan(0.05))
    }
  })
  it('concat and interleave_once take every example once; round-robin without probabilities', () => {
    expect(planMix('concat', {a: 3, b: 5}, null)).toMatchObject({total: 8, expected: {a: 3, b: 5}})
    expect(planMix('interleave_once', {a: 3, b: 5}, {a: 0.5, b: 0.5})).toMatchObject({total: 8})
    expect(planMix('interleave_under', {a: 3, b: 5}, null)).toMatchObject({total: 6, expected: {a: 3, b: 3}})
    expect(planMix('interleave_over', {a: 3, b: 5}, null)).toMatchObject({total: 10, epochs: {a: 1.67, b: 1}})
  })
  it('resolves auto, temperature and explicit probabilities', () => {
    expect(resolveProbs('auto', {a: 100, b: 300})).toEqual({a: 0.25, b: 0.75})
    expect(resolveProbs('temperature:2', {a: 100, b: 400})).toEqual({a: 0.333333, b: 0.666667})
    const three = Object.values(resolveProbs('auto', {a: 1, b: 1, c: 1})!)
    expect(three).toEqual([0.333333, 0.333333, 0.333334])
    expect(() => resolveProbs('a=0.5,b=0.6', {a: 1, b: 1})).toThrow(/sum to 1.1/)
    expect(() => resolveProbs('a=1', {a: 1, b: 1})).toThrow(/no probability for b/)
  })
})

describe('dataset_info.json edits in any valid layout (jsonc-parser)', () => {
  const entry = {file_name: 'n.jsonl'}
  const file = (text: string) => ({path: 'x', text, info: {} as never})
  const parsed = (text: string) => {
    const r = parseDatasetInfoJson(text)
    if (!r.ok) throw new Error(r.message)
    return r.value as object
  }

  it('edits a one-line file on its line, leaving the other entries as they were', () => {
    const text = '{"x": {"file_name": "a.jsonl"}, "y": {"file_name": "b.jsonl"}}'
    expect(withEntry(file(text), 'y', entry)).toBe('{"x": {"file_name": "a.jsonl"}, "y": {"file_name":"n.jsonl"}}')
    expect(withEntry(file(text), 'z', entry)).toBe('{"x": {"file_name": "a.jsonl"}, "y": {"file_name": "b.jsonl"},"z": {"file_name":"n.jsonl"}}')
    expect(withoutEntry(file(text), 'x')).toBe('{"y": {"file_name": "b.jsonl"}}')
  })

  it('writes tab indents and CRLF into a tab-indented CRLF file', () => {
    const text = '{\r\n\t"x": {\r\n\t\t"file_name": "a.jsonl"\r\n\t}\r\n}\r\n'
    expect(withEntry(file(text), 'z', entry)).toBe('{\r\n\t"x": {\r\n\t\t"file_name": "a.jsonl"\r\n\t},\r\n\t"z": {\r\n\t\t"file_name": "n.jsonl"\r\n\t}\r\n}\r\n')
  })

  it('with a duplicated name, replaces the definition LF reads (the last) and drops the others; removes them all', () => {
    const text = '{\n  "x": {"file_name": "1"},\n  "y": {"file_name": "2"},\n  "x": {"file_name": "3"}\n}\n'
    const out = withEntry(file(text), 'x', entry)
    expect(parsed(out)).toEqual({y: {file_name: '2'}, x: entry})
    expect(out.indexOf('"y"')).toBeLessThan(out.indexOf('"x"'))
    expect(parsed(withoutEntry(file(text), 'x'))).toEqual({y: {file_name: '2'}})
  })

  it('treats __proto__ as an ordinary name', () => {
    const out = withEntry(file('{}\n'), '__proto__', entry)
    expect(Object.hasOwn(parsed(out), '__proto__')).toBe(true)
    expect(withoutEntry(file(out), '__proto__')).toBe('{\n}\n')
  })
})
