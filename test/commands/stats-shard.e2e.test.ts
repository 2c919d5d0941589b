import {writeFileSync} from 'node:fs'
import {join, resolve} from 'node:path'

import {describe, expect, it} from 'vitest'

import {lfdata} from '../e2e.js'
import {tempDir} from '../io/helpers.js'

const QA = resolve('fixtures/demo/qa.csv')
const withoutTime = (r: {seconds?: number}) => ({...r, seconds: 0})

/** stats over N shards then `stats merge`, as --json. */
async function sharded(args: string[], n: number, dir: string) {
  const parts: string[] = []
  for (let i = 0; i < n; i++) {
    const p = join(dir, `p${n}-${i}.json`)
    const r = await lfdata(['stats', ...args, '--shard', `${i}/${n}`, '--partial', p, '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.json).toMatchObject({partial: p, shard: {index: i, count: n}})
    parts.push(p)
  }
  const merged = await lfdata(['stats', 'merge', ...parts.reverse(), '--json'])
  expect(merged.code, merged.stderr).toBe(0)
  return merged.json
}

describe('lfdata stats --shard / stats merge (spawned)', () => {
  it('gives exactly the single-run result for N = 1..4 on a CSV with quoted newlines (sniffed, no manifest)', async () => {
    const dir = tempDir()
    const one = await lfdata(['stats', QA, '--tokenizer', 'qwen', '--json'])
    expect(one.code, one.stderr).toBe(0)
    for (let n = 1; n <= 4; n++) expect(withoutTime(await sharded([QA, '--tokenizer', 'qwen'], n, dir))).toEqual(withoutTime(one.json))
  })

  it('is exact on chats with LF drops and another percentile, and refuses partials that do not make one run', async () => {
    const dir = tempDir()
    const data = join(dir, 'chats.jsonl')
    const rows = Array.from({length: 120}, (_, i) => i % 9 === 4
      ? {messages: [{role: 'user', content: `only a question ${i}`}]}
      : {messages: [{role: 'user', content: `问题 ${i} `.repeat(1 + (i % 13))}, {role: 'assistant', content: 'answer '.repeat(1 + ((i * 7) % 31))}]})
    writeFileSync(data, rows.map((r) => JSON.stringify(r)).join('\n') + '\n')
    const args = [data, '--tokenizer', 'llama3', '--percentile', '95', '--round', '64']
    const one = await lfdata(['stats', ...args, '--json'])
    expect(one.code, one.stderr).toBe(0)
    expect(one.json.dropped).not.toEqual({})
    expect(withoutTime(await sharded(args, 3, dir))).toEqual(withoutTime(one.json))

    const missing = await lfdata(['stats', 'merge', join(dir, 'p3-0.json'), join(dir, 'p3-2.json')])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('missing shard 1/3')
    const other = join(dir, 'other.json')
    expect((await lfdata(['stats', data, '--tokenizer', 'qwen', '--shard', '1/3', '--partial', other])).code).toBe(0)
    const mixed = await lfdata(['stats', 'merge', join(dir, 'p3-0.json'), other, join(dir, 'p3-2.json')])
    expect(mixed.code).toBe(3)
    expect(mixed.stderr).toContain('different run')
    const packing = await lfdata(['stats', data, '--tokenizer', 'qwen', '--packing', '--shard', '0/2', '--partial', other])
    expect(packing.code).toBe(2)
  })
})
