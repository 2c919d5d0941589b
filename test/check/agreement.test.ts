import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {REASON_CODE} from '../../src/check/codes.js'
import {runCheck} from '../../src/pipeline/check.js'
import {readRows} from '../../src/io/read.js'
import {resolveDatasetAttr} from '../../src/lf/attr.js'
import type {DatasetInfoEntry} from '../../src/lf/dataset-info.js'
import {LF_REASONS, type LfReason} from '../../src/lf/drop-reasons.js'
import {lfVerdict} from '../../src/lf/processor.js'
import type {Stage} from '../../src/lf/types.js'
import {silentReporter} from '../../src/reporter.js'
import {jsonl, tree} from './helpers.js'

/** A seeded generator of records, each broken in one of the ways LF cares about (or not at all). */
function rng(seed: number) {
  let s = seed
  return () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 0x100000000)
}

function sharegptRecord(r: () => number): object {
  const t = (from: string, value: unknown = `text ${Math.floor(r() * 1000)}`) => ({from, value})
  const shapes: (() => object)[] = [
    () => ({conversations: [t('human'), t('gpt')]}),
    () => ({conversations: [t('system'), t('human'), t('gpt'), t('human'), t('gpt')]}),
    () => ({conversations: [t('gpt'), t('human')]}),
    () => ({conversations: [t('human'), t('gpt'), t('human')]}),
    () => ({conversations: [t('human'), t('system'), t('human'), t('gpt')]}),
    () => ({conversations: [t('human'), t('gpt', 7)]}),
    () => ({conversations: [t('human'), t('bot')]}),
    () => ({conversations: [{role: 'user', content: 'x'}, t('gpt')]}),
    () => ({conversations: 'not a list'}),
    () => ({conversations: [t('human'), t('function_call', 'not json'), t('observation'), t('gpt')]}),
    () => ({conversations: [t('human'), t('function_call', '{"name": "f", "arguments": {}}'), t('observation'), t('gpt')], tools: '[{"name": "f"}]'}),
    () => ({conversations: [t('human'), t('gpt')], tools: 'free text'}),
    () => ({conversations: []}),
    () => ({}),
  ]
  return shapes[Math.floor(r() * shapes.length)]!()
}

function alpacaRecord(r: () => number): object {
  const shapes: (() => object)[] = [
    () => ({instruction: 'q', input: '', output: 'a'}),
    () => ({instruction: 'q', input: 'more', output: 'a', history: [['h1', 'a1']]}),
    () => ({instruction: 'q', input: '', output: null}),
    () => ({instruction: 'q', input: '', output: ['a', 'b']}),
    () => ({instruction: 3, input: '', output: 'a'}),
    () => ({instruction: 'q', input: {x: 1}, output: 'a'}),
    () => ({instruction: 'q', input: '', output: 'a', history: [['only one']]}),
    () => ({instruction: '', input: '', output: 'a'}),
    () => ({instruction: 'q', input: '', output: 'a', history: 'not a list'}),
  ]
  return shapes[Math.floor(r() * shapes.length)]!()
}

const ENTRIES: Record<string, {entry: DatasetInfoEntry; stage: Stage; make: (r: () => number) => object}> = {
  chats: {entry: {file_name: 'chats.jsonl', formatting: 'sharegpt', columns: {messages: 'conversations', tools: 'tools'}}, stage: 'sft', make: sharegptRecord},
  qa: {entry: {file_name: 'qa.jsonl', columns: {prompt: 'instruction', query: 'input', response: 'output', history: 'history'}}, stage: 'sft', make: alpacaRecord},
  prefs: {
    entry: {file_name: 'prefs.jsonl', ranking: true, columns: {prompt: 'instruction', chosen: 'chosen', rejected: 'rejected'}},
    stage: 'dpo',
    make: (r) => [{instruction: 'q', chosen: 'a', rejected: 'b'}, {instruction: 'q', chosen: ['a'], rejected: 'b'}, {instruction: 'q', chosen: 'a'}, {instruction: 7, chosen: 'a', rejected: 'b'}][Math.floor(r() * 4)]!,
  },
  feedback: {
    entry: {file_name: 'feedback.jsonl', columns: {prompt: 'instruction', response: 'output', kto_tag: 'label'}},
    stage: 'kto',
    make: (r) => [{instruction: 'q', output: 'a', label: true}, {instruction: 'q', output: 'a', label: false}, {instruction: 'q', output: 'a', label: 'true'}, {instruction: 'q', output: 5, label: true}][Math.floor(r() * 4)]!,
  },
}

describe('drop decisions agree with LF\'s converter and processor', () => {
  it.each(Object.keys(ENTRIES))('%s: the same records are dropped, for the same reason', async (name) => {
    const {entry, stage, make} = ENTRIES[name]!
    const r = rng(name.length * 7919)
    const rows = Array.from({length: 400}, () => make(r))
    const dir = tree({'dataset_info.json': {[name]: entry}, [entry.file_name!]: jsonl(rows)})
    const result = await runCheck({datasetDir: dir, datasets: [name], stage, locations: 1e9}, silentReporter)

    // Expected: LF's verdict on every record of the file, read back the way check reads it.
    const attr = resolveDatasetAttr(name, entry)
    const expected = new Map<LfReason, number[]>()
    let kept = 0
    for await (const row of readRows(join(dir, entry.file_name!))) {
      const v = lfVerdict(row.record, attr, stage)
      if (v.kept) kept++
      else expected.set(v.reason, [...(expected.get(v.reason) ?? []), row.line])
    }
    expect(expected.size, 'the generator covers several drop reasons').toBeGreaterThanOrEqual(2)

    const reported = new Map<LfReason, number[]>()
    for (const d of result.diagnostics) {
      const reason = (Object.keys(LF_REASONS) as LfReason[]).find((k) => REASON_CODE[k] === d.code && LF_REASONS[k].text === d.message)
      if (!reason) continue
      reported.set(reason, [d.line!, ...(d.more ?? []).map((m) => m.line!)])
    }
    expect(reported).toEqual(expected)
    const summary = result.datasets[0]!
    expect(summary.kept).toBe(kept)
    expect(summary.dropped).toEqual(Object.fromEntries([...expected].map(([k, v]) => [k, v.length])))
    expect(summary.records).toBe(rows.length)
  })
})
