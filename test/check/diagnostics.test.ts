import {describe, expect, it} from 'vitest'

import {CODES} from '../../src/check/codes.js'
import {closest, Diagnostics} from '../../src/check/diagnostics.js'
import {TypeTracker, type TypeConflict} from '../../src/check/type-tracker.js'

describe('Diagnostics', () => {
  it('groups identical diagnostics with a count, the first locations and their details', () => {
    const d = new Diagnostics(3)
    for (let line = 1; line <= 10; line++) d.add('LF401', 'same message', {file: 'a.jsonl', line, dataset: 'a', record: line}, `turn ${line}`)
    d.add('LF401', 'same message', {file: 'b.jsonl', line: 1, dataset: 'b'})
    d.add('LF108', 'an info', {})
    d.add('LF423', 'a warning', {})
    const list = d.list()
    expect(list.map((x) => [x.code, x.dataset, x.count])).toEqual([['LF401', 'a', 10], ['LF401', 'b', 1], ['LF423', undefined, 1], ['LF108', undefined, 1]])
    expect(list[0]).toMatchObject({severity: 'error', line: 1, record: 1, detail: 'turn 1', fix: CODES.LF401.fix, more: [{file: 'a.jsonl', line: 2, record: 2, detail: 'turn 2'}, {file: 'a.jsonl', line: 3, record: 3, detail: 'turn 3'}]})
    expect([d.count('error'), d.count('warning'), d.count('info')]).toEqual([2, 1, 1])
    expect(d.has('LF401', 'b')).toBe(true)
    expect(d.has('LF401', 'c')).toBe(false)
  })

  it('keeps memory bounded: a million occurrences are one entry', () => {
    const d = new Diagnostics()
    for (let i = 0; i < 1_000_000; i++) d.add('LF423', 'dup', {file: 'f', line: i + 1}, `same as f:${i}`)
    expect(d.list()).toHaveLength(1)
    expect(d.list()[0]!.more).toHaveLength(4)
  })

  it('every code has a severity, a title and a fix; codes are LFxyz', () => {
    for (const [code, c] of Object.entries(CODES)) {
      expect(code).toMatch(/^LF[1-5]\d\d$/)
      expect(c.title.length).toBeGreaterThan(10)
      expect(c.fix.length).toBeGreaterThan(5)
    }
  })
})

describe('closest', () => {
  it('suggests typos and nothing for unrelated words', () => {
    expect(closest('cutof_len', ['cutoff_len', 'dataset'])).toBe('cutoff_len')
    expect(closest('ShareGPT', ['alpaca', 'sharegpt', 'openai'])).toBe('sharegpt')
    expect(closest('zzzzzz', ['alpaca', 'sharegpt'])).toBeUndefined()
  })
})

describe('TypeTracker', () => {
  it('reports the first row where a field path changes type, once per path; null fits anything', () => {
    const t = new TypeTracker()
    const seen: TypeConflict[] = []
    const rows = [
      {messages: [{content: 'a'}], meta: null},
      {messages: [{content: null}], meta: {k: 1}},
      {messages: [{content: ['part']}], meta: {k: '1'}},
      {messages: [{content: 5}], meta: {k: 2}},
    ]
    rows.forEach((r, i) => t.visit(r, 'f.jsonl', i + 1, (c) => seen.push(c)))
    expect(seen).toEqual([
      {path: 'messages[].content', was: 'string', now: 'array', firstLine: 1, firstFile: 'f.jsonl'},
      {path: 'meta.k', was: 'number', now: 'string', firstLine: 2, firstFile: 'f.jsonl'},
    ])
  })
})
