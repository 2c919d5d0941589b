import {existsSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
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

  it('a shard leaves its own duplicates out of its part; the merge rewrites only parts that lose a record, and refuses an edited part', async () => {
    const dir = tempDir()
    const jsonl = (name: string, rows: string[]) => {
      writeFileSync(join(dir, name), rows.map((r) => JSON.stringify({instruction: r, output: r.toLowerCase()}) + '\n').join(''))
      return join(dir, name)
    }
    // One file a shard: A repeats inside shard 0, C inside shard 1, and shard 2 repeats shard 0's B.
    const inputs = [jsonl('a.jsonl', ['A', 'B', 'A']), jsonl('b.jsonl', ['C', 'C', 'D']), jsonl('c.jsonl', ['B', 'E'])]
    const one = await lfdata(['convert', ...inputs, '-o', join(dir, 'one.jsonl'), '--rejects', join(dir, 'one.rej.jsonl'), '--json'])
    expect(one.code, one.stderr).toBe(0)
    const shardInto = async (out: string) => {
      for (let i = 0; i < 3; i++) expect((await lfdata(['convert', ...inputs, '-o', out, '--rejects', join(dir, 'sh.rej.jsonl'), '--shard', `${i}/3`])).code).toBe(0)
    }
    const names = (out: string, i: number) => readFileSync(join(out, `part-${i}-of-3.jsonl`), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as {instruction: string}).instruction)
    const out = join(dir, 'out')
    await shardInto(out)
    expect([0, 1, 2].map((i) => names(out, i))).toEqual([['A', 'B'], ['C', 'D'], ['B', 'E']])
    const untouched = statSync(join(out, 'part-1-of-3.jsonl')).ino
    const merged = await lfdata(['merge', out, '--json'])
    expect(merged.code, merged.stderr).toBe(0)
    expect([0, 1, 2].map((i) => names(out, i))).toEqual([['A', 'B'], ['C', 'D'], ['E']])
    expect(statSync(join(out, 'part-1-of-3.jsonl')).ino).toBe(untouched) // lost nothing: not copied
    expect(merged.json).toMatchObject({records_out: one.json.records_out, dropped: one.json.dropped, sha256: one.json.sha256})
    expect(readFileSync(join(dir, 'sh.rej.jsonl'), 'utf8')).toBe(readFileSync(join(dir, 'one.rej.jsonl'), 'utf8'))

    // A part changed after its shard wrote it: exit 3 naming it, and nothing committed (shard 2 still has B).
    const edited = join(dir, 'edited')
    await shardInto(edited)
    const part1 = join(edited, 'part-1-of-3.jsonl')
    writeFileSync(part1, readFileSync(part1, 'utf8').replace('"D"', '"X"'))
    const r = await lfdata(['merge', edited])
    expect(r.code).toBe(3)
    expect(r.stderr).toContain(`part is not the one its shard wrote (edited, or a merge was interrupted while renaming) — ${part1}`)
    expect(r.stderr).toContain('--shard 1/3')
    expect(names(edited, 2)).toEqual(['B', 'E'])
    expect(existsSync(`${edited}.lfdata.json`)).toBe(false)
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
