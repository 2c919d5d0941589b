import {readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {convert, type ConvertOptions} from '../../src/pipeline/convert.js'
import {mergePartition, mergeShards} from '../../src/pipeline/merge.js'
import {silentReporter} from '../../src/reporter.js'
import {tempDir} from '../io/helpers.js'

const SEED = Number(process.env.LFDATA_SEED ?? 1919)

// Small vocabularies make exact and near duplicates common, also across shard boundaries.
const text = fc.oneof(
  fc.constantFrom('', 'What is 2+2?', 'what is 2 + 2 ?', '四加四等于几？', '四加四 等于几', 'line one\nline two', 'a "quoted"\nanswer, with comma', '  spaced  '),
  fc.array(fc.constantFrom('alpha', 'beta', 'gamma', 'delta', '中文', '数据', 'epsilon'), {minLength: 1, maxLength: 9}).map((w) => w.join(' ')),
)
const row = fc.record({q: text, a: text})
const quote = (s: string) => (/[",\n]/.test(s) || s === '' ? `"${s.replace(/"/g, '""')}"` : s)

function base(inputs: string[], output: string, dedup: 'exact' | 'near' | 'none', rejects: string): ConvertOptions {
  return {
    inputs, output, map: {instruction: 'q', output: 'a'}, normalize: {nfc: true, newlines: true, trim: true, controlChars: true},
    filters: {dropEmpty: true}, fixRoles: false, dedup, nearThreshold: 0.8, nearFields: ['prompt', 'response'], rejects,
  }
}

describe('sharded convert + merge = one process (property)', () => {
  it('concatenated parts, rejects and counts equal the single run for random inputs, N in 1..8, exact and near dedup', async () => {
    console.log(`sharded identity property seed ${SEED} (LFDATA_SEED to replay)`)
    await fc.assert(fc.asyncProperty(
      fc.array(row, {minLength: 1, maxLength: 40}), fc.array(row, {maxLength: 20}), fc.integer({min: 1, max: 8}),
      fc.constantFrom('exact' as const, 'near' as const, 'none' as const), fc.integer({min: 0, max: 3}), fc.boolean(),
      async (csvRows, jsonlRows, n, dedup, partitions, crlf) => {
        const dir = tempDir()
        const eol = crlf ? '\r\n' : '\n'
        const inputs = [join(dir, 'a.csv')]
        writeFileSync(inputs[0]!, 'q,a' + eol + csvRows.map((r) => `${quote(r.q)},${quote(r.a)}`).join(eol) + eol)
        if (jsonlRows.length > 0) {
          inputs.push(join(dir, 'b.jsonl'))
          writeFileSync(inputs[1]!, jsonlRows.map((r) => JSON.stringify(r)).join('\n') + '\n')
        }
        let one
        try {
          one = await convert(base(inputs, join(dir, 'one.jsonl'), dedup, join(dir, 'one.rejects.jsonl')), silentReporter)
        } catch (error) {
          // Everything dropped: the merge must fail the same way.
          for (let i = 0; i < n; i++) await convert({...base(inputs, join(dir, 'out'), dedup, join(dir, 'sh.rejects.jsonl')), shard: {index: i, count: n}}, silentReporter)
          await expect(mergeShards(join(dir, 'out'), silentReporter)).rejects.toMatchObject({code: (error as {code: string}).code})
          return
        }
        const out = join(dir, 'out')
        for (let i = 0; i < n; i++) await convert({...base(inputs, out, dedup, join(dir, 'sh.rejects.jsonl')), shard: {index: i, count: n}}, silentReporter)
        if (dedup !== 'none' && partitions > 0) for (let p = 0; p < partitions; p++) await mergePartition(out, {index: p, count: partitions})
        const merged = await mergeShards(out, silentReporter)
        const parts = readdirSync(out).sort()
        expect(parts.every((p) => /^part-\d+-of-\d+\.jsonl$/.test(p))).toBe(true)
        expect(Buffer.concat(parts.map((p) => readFileSync(join(out, p)))).equals(readFileSync(join(dir, 'one.jsonl')))).toBe(true)
        expect(readFileSync(join(dir, 'sh.rejects.jsonl'), 'utf8')).toBe(readFileSync(join(dir, 'one.rejects.jsonl'), 'utf8'))
        expect({in: merged.records_in, out: merged.records_out, dropped: merged.dropped, sha: merged.sha256})
          .toEqual({in: one.records_in, out: one.records_out, dropped: one.dropped, sha: one.sha256})
      }), {numRuns: 60, seed: SEED})
  }, 240_000)
})
