import {describe, expect, it} from 'vitest'

import {dedupKey, exactDedup, fingerprinter, refOf} from '../../src/transforms/exact-dedup.js'
import {type Example, fieldStrings, type Item} from '../../src/transforms/example.js'
import {compileDropRegex, contentFilters} from '../../src/transforms/filters.js'
import {FingerprintSet} from '../../src/transforms/fingerprint-set.js'
import {emptyRepairCounts, repairTurns} from '../../src/transforms/fix-roles.js'
import {DEFAULT_NORMALIZE, makeNormalizer} from '../../src/transforms/normalize.js'

const sft = (...contents: string[]): Example => ({
  kind: 'sft', system: '', tools: '',
  turns: contents.map((content, i) => ({role: i % 2 === 0 ? 'user' : 'assistant', content})),
})

const itemsOf = (examples: Example[]): Item[] => examples.map((example, i) => ({row: {record: {}, source: 'a.jsonl', line: i + 1}, example}))

describe('normalize', () => {
  it('applies NFC, CRLF→LF, control characters and trim, each switchable', () => {
    const all = makeNormalizer(DEFAULT_NORMALIZE)
    expect(all(' e\u0301\r\nx\u0007y\r ')).toBe('é\nxy')
    expect(makeNormalizer({...DEFAULT_NORMALIZE, nfc: false})('e\u0301')).toBe('e\u0301')
    expect(makeNormalizer({...DEFAULT_NORMALIZE, trim: false})(' a ')).toBe(' a ')
    expect(makeNormalizer({...DEFAULT_NORMALIZE, newlines: false})('a\r\nb')).toBe('a\r\nb')
    expect(all('tab\tstays')).toBe('tab\tstays')
  })
})

describe('fix-roles', () => {
  it('merges same-role turns, moves mid system turns, drops leading assistant and trailing user turns', () => {
    const counts = emptyRepairCounts()
    const turns = repairTurns([
      {role: 'assistant', content: 'first'},
      {role: 'user', content: 'a'}, {role: 'user', content: 'b'},
      {role: 'assistant', content: 'c'},
      {role: 'system', content: 'S'}, {role: 'user', content: 'd'},
      {role: 'assistant', content: 'e'}, {role: 'user', content: 'dangling'},
    ], false, counts)
    expect(turns).toEqual([
      {role: 'user', content: 'a\n\nb'}, {role: 'assistant', content: 'c'},
      {role: 'user', content: 'S\n\nd'}, {role: 'assistant', content: 'e'},
    ])
    expect(counts).toEqual({merged_turns: 1, moved_system: 1, dropped_leading: 1, dropped_trailing: 1})
  })
})

describe('content filters', () => {
  it('drops empty prompt/response and length/regex violations with reason codes', async () => {
    const drops: string[] = []
    const step = contentFilters({dropEmpty: true, minChars: 3, maxChars: 10, dropRegex: 'as an ai'}, (_r, reason) => drops.push(reason))
    const kept = itemsOf([sft('q', ''), sft('', 'a'), sft('a', 'b'), sft('long prompt', 'x'), sft('ok', 'as an ai'), sft('ok', 'fine')]).filter((item) => step(item))
    expect(drops).toEqual(['empty_response', 'empty_prompt', 'too_short', 'too_long', 'regex_match'])
    expect(kept).toHaveLength(1)
  })
  it('refuses patterns that could backtrack forever, and runs hostile ones in linear time', () => {
    expect(() => compileDropRegex('(a)\\1')).toThrow(/backreferences or lookaround/)
    const re = compileDropRegex('(a+)+$')
    // A backtracking engine would never finish this; the linear one answers at once (the test timeout guards).
    expect(re.test('a'.repeat(100_000) + 'b')).toBe(false)
  })
  it('validates options at wiring time', () => {
    expect(() => contentFilters({dropEmpty: true, minChars: 5, maxChars: 2}, () => {})).toThrow(/--min-chars/)
  })
})

describe('exact dedup', () => {
  it('keeps the first occurrence and names it in the drop', async () => {
    const drops: unknown[] = []
    const first = exactDedup((_row, reason, detail, extra) => drops.push({reason, detail, extra}), () => 0, () => 'a.jsonl')
    const fingerprints = await fingerprinter()
    const kept = itemsOf([sft('q', 'a'), sft('q', 'b'), sft('q', 'a')]).filter((item) => first(fingerprints.ofExample(item.example), refOf(item.row)))
    expect(kept.map((i) => i.row.line)).toEqual([1, 2])
    expect(drops).toEqual([{reason: 'duplicate', detail: 'same content as a.jsonl:1', extra: {duplicate_of: 'a.jsonl:1'}}])
  })
  it('does not confuse role boundaries', () => {
    expect(dedupKey(sft('a', 'bc'))).not.toBe(dedupKey(sft('ab', 'c')))
  })
  it('fingerprints a key the same from its text and from its UTF-8 bytes', async () => {
    const fingerprints = await fingerprinter()
    const ex = sft('问题 "q"\n', 'answer ✓ 🎉')
    expect(fingerprints.ofKeyBytes(Buffer.from(dedupKey(ex), 'utf8'))).toEqual(fingerprints.ofExample(ex))
  })
  it('fingerprint set grows and remembers first positions', () => {
    const set = new FingerprintSet(4)
    for (let i = 1; i <= 10_000; i++) expect(set.addOrGet(i * 7919, i, 0, i)).toBeUndefined()
    expect(set.addOrGet(5 * 7919, 5, 0, 99)).toEqual({source: 0, line: 5})
    expect(set.addOrGet(0, 0, 1, 1)).toBeUndefined()
    expect(set.addOrGet(0, 1, 1, 2)).toEqual({source: 1, line: 1})
    expect(set.size).toBe(10_001)
  })
})

describe('fieldStrings (--near-fields)', () => {
  const turns = [{role: 'user', content: 'q1'}, {role: 'assistant', content: 'a1'}, {role: 'user', content: 'q2'}, {role: 'assistant', content: 'a2'}] as const
  const sft: Example = {kind: 'sft', system: 'sys', tools: '[]', turns: [...turns]}
  it('splits a conversation into prompt (every turn before the final answer) and response (the final answer)', () => {
    expect(fieldStrings(sft, ['prompt'])).toEqual(['q1', 'a1', 'q2'])
    expect(fieldStrings(sft, ['response'])).toEqual(['a2'])
    expect(fieldStrings(sft, ['response', 'prompt', 'system', 'tools'])).toEqual(['sys', '[]', 'q1', 'a1', 'q2', 'a2'])
  })
  it('takes chosen and rejected as the response of a preference example, and a text example whole', () => {
    const pref: Example = {kind: 'preference', system: '', tools: '', turns: [{role: 'user', content: 'q'}], chosen: 'good', rejected: 'bad'}
    expect(fieldStrings(pref, ['prompt', 'response'])).toEqual(['q', 'good', 'bad'])
    expect(fieldStrings({kind: 'text', text: 't'}, ['response'])).toEqual(['t'])
    expect(fieldStrings({kind: 'text', text: 't'}, ['system'])).toEqual([])
  })
})
