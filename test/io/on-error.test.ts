import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import type {InputError} from '../../src/errors.js'
import {readRows} from '../../src/io/read.js'
import {collect, tempFile} from './helpers.js'

/** A good record line, or one of the ways a line goes bad. */
const line = fc.oneof(
  fc.record({instruction: fc.string({maxLength: 8}), output: fc.string({maxLength: 8})}).map((r) => ({good: true, text: JSON.stringify(r), record: r})),
  fc.constantFrom('{"instruction":"cut', '[1,2]', '"a string"', 'not json at all', '{"a":1}}', `{"x":${'['.repeat(1200)}${']'.repeat(1200)}}`).map((text) => ({good: false, text, record: undefined})),
)

describe('readers resync after a bad record (onError)', () => {
  it('JSON Lines: every good line is read, every bad one reported with its line number (seed 21)', async () => {
    await fc.assert(fc.asyncProperty(fc.array(line, {maxLength: 12}), async (lines) => {
      const file = tempFile('x.jsonl', lines.map((l) => l.text).join('\n') + '\n')
      const errors: [number, string][] = []
      const rows = await collect(readRows(file, {onError: (e: InputError, text) => errors.push([e.location!.line!, text])}))
      expect(rows.map((r) => ({...r.record}))).toEqual(lines.filter((l) => l.good).map((l) => l.record))
      expect(errors).toEqual(lines.flatMap((l, i) => (l.good ? [] : [[i + 1, l.text]])))
    }), {numRuns: 60, seed: 21})
  })

  it('JSON array: bad elements are reported and skipped (seed 22)', async () => {
    const elements = fc.array(fc.oneof(
      fc.record({instruction: fc.string({maxLength: 8})}).map((r) => ({good: true, text: JSON.stringify(r), record: r})),
      fc.constantFrom('7', '"s"', 'nul', `{"x":${'['.repeat(1200)}${']'.repeat(1200)}}`).map((text) => ({good: false, text, record: undefined})),
    ), {maxLength: 10})
    await fc.assert(fc.asyncProperty(elements, async (items) => {
      const file = tempFile('x.json', `[\n${items.map((l) => l.text).join(',\n')}\n]`)
      const errors: number[] = []
      const rows = await collect(readRows(file, {onError: (e: InputError) => errors.push(e.location!.line!)}))
      expect(rows.map((r) => ({...r.record}))).toEqual(items.filter((l) => l.good).map((l) => l.record))
      expect(errors).toEqual(items.flatMap((l, i) => (l.good ? [] : [i + 2])))
    }), {numRuns: 60, seed: 22})
  })

  it('CSV: rows with too many fields are skipped; the rows after them keep their line numbers', async () => {
    const file = tempFile('x.csv', 'a,b\n1,2\n3,4,5\n"6\n7",8\n9,10,11,12\n13,14\n')
    const errors: number[] = []
    const rows = await collect(readRows(file, {onError: (e: InputError) => errors.push(e.location!.line!)}))
    expect(rows.map((r) => [r.line, r.record.a])).toEqual([[2, '1'], [4, '6\n7'], [7, '13']])
    expect(errors).toEqual([3, 6])
  })
})
