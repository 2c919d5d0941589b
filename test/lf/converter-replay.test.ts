import {readFileSync} from 'node:fs'

import {describe, expect, it} from 'vitest'

import {alignExample} from '../../src/lf/align.js'
import {resolveDatasetAttr} from '../../src/lf/attr.js'

/**
 * Records whose outcome was recorded by running LF's own converter.py and parser.py (with logging and the
 * hub stubs replaced) on plain dict records, where a key a record lacks is a KeyError. The same records go
 * through alignExample told that the file's columns are the record's keys and that messages have no keys
 * beyond their own, which is that plain-dict model.
 */
interface Case {
  entry: Record<string, unknown>
  record: Record<string, unknown>
  expected: {kind: 'ok' | 'skip' | 'crash'; reason?: string; error?: string; example?: unknown}
}
const {cases} = JSON.parse(readFileSync(new URL('../../fixtures/lf/converter-cases.json', import.meta.url), 'utf8')) as {cases: Case[]}

/** "KeyError: 'from'" or "TypeError" — the part of Python's error our detail starts with. */
const errorHead = (e: string) => (e.startsWith('KeyError') ? e : e.split(':')[0]!)

describe(`alignExample agrees with LF's converter on ${cases.length} recorded records`, () => {
  it.each(cases.map((c, i) => [i, c.entry.formatting, c.expected.kind, c] as const))('#%i %s → %s', (_i, _f, _k, c) => {
    const out = alignExample(c.record, resolveDatasetAttr('d', c.entry), {mediaDir: '/nonexistent-media', fileExists: () => false, columns: new Set(Object.keys(c.record)), messageKeys: new Set()})
    expect(out.kind).toBe(c.expected.kind)
    if (out.kind === 'crash') expect(out.detail.startsWith('KeyError') ? out.detail.split(' (')[0] : out.detail.split(':')[0]).toBe(errorHead(c.expected.error!))
    else expect(out.example).toEqual(c.expected.example)
    if (out.kind === 'skip') expect(out.reason).toBe(c.expected.reason)
  })
})
