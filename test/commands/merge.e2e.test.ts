import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {join, resolve} from 'node:path'

import {describe, expect, it} from 'vitest'

import {lfdata} from '../e2e.js'
import {tempDir} from '../io/helpers.js'

const QA = resolve('fixtures/demo/qa.csv')
const FLAGS = ['--map', 'instruction=question', '--map', 'input=context', '--map', 'output=answer', '--dedup', 'near']

describe('lfdata convert --shard / merge (spawned)', () => {
  it('partitions, merges, and leaves a folder that equals one run and that register and stats accept', async () => {
    const dir = tempDir()
    const one = await lfdata(['convert', QA, QA, '-o', join(dir, 'one.jsonl'), ...FLAGS, '--rejects', join(dir, 'one.rej.jsonl'), '--json'])
    expect(one.code, one.stderr).toBe(0)
    const out = join(dir, 'data', 'qa')
    for (let i = 0; i < 3; i++) {
      const r = await lfdata(['convert', QA, QA, '-o', out, ...FLAGS, '--rejects', join(dir, 'sh.rej.jsonl'), '--shard', `${i}/3`, '--json'])
      expect(r.code, r.stderr).toBe(0)
      expect(r.json.output).toBe(out)
      expect(r.json.shard).toMatchObject({index: i, count: 3})
    }
    const early = await lfdata(['stats', 'merge', join(out, 'nothing.json')])
    expect(early.code).toBe(2)
    for (let p = 0; p < 2; p++) expect((await lfdata(['merge', out, '--shard', `${p}/2`])).code).toBe(0)
    const merged = await lfdata(['merge', out, '--json'])
    expect(merged.code, merged.stderr).toBe(0)
    expect(merged.json).toMatchObject({records_in: one.json.records_in, records_out: one.json.records_out, dropped: one.json.dropped, sha256: one.json.sha256, manifest: `${out}.lfdata.json`})
    const parts = readdirSync(out).sort()
    expect(parts).toEqual(['part-0-of-3.jsonl', 'part-1-of-3.jsonl']) // shard 2 read only duplicates: its part is gone
    expect(Buffer.concat(parts.map((p) => readFileSync(join(out, p)))).equals(readFileSync(join(dir, 'one.jsonl')))).toBe(true)
    expect(readFileSync(join(dir, 'sh.rej.jsonl'), 'utf8')).toBe(readFileSync(join(dir, 'one.rej.jsonl'), 'utf8'))

    const reg = await lfdata(['register', out, '--name', 'qa', '--dataset-dir', join(dir, 'data'), '--json'])
    expect(reg.code, reg.stderr).toBe(0)
    expect((JSON.parse(readFileSync(join(dir, 'data', 'dataset_info.json'), 'utf8')) as Record<string, unknown>).qa).toMatchObject({file_name: 'qa', columns: {prompt: 'instruction', query: 'input', response: 'output'}})
    const folder = await lfdata(['stats', out, '--tokenizer', 'qwen', '--json'])
    const file = await lfdata(['stats', join(dir, 'one.jsonl'), '--tokenizer', 'qwen', '--json'])
    expect(folder.json.lengths).toEqual(file.json.lengths)
  })

  it('refuses a merge with a shard missing, and --shard with a file output', async () => {
    const dir = tempDir()
    const out = join(dir, 'out')
    expect((await lfdata(['convert', QA, '-o', out, ...FLAGS, '--shard', '1/3'])).code).toBe(0)
    const r = await lfdata(['merge', out])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('missing shards 0/3, 2/3')
    expect(existsSync(join(out, 'part-1-of-3.jsonl'))).toBe(true) // nothing was changed
    const bad = await lfdata(['convert', QA, '-o', join(dir, 'x.jsonl'), '--shard', '0/2'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('-o names a folder')
    expect((await lfdata(['convert', QA, '-o', out, '--shard', '2/2'])).code).toBe(2)
  })
})
