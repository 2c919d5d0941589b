import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {createNearDedupReport, nearDedup, type NearMatch} from '../../src/transforms/near-dedup.js'
import {lshParams} from '../../src/transforms/near-dedup/minhash.js'
import {shingleHashes} from '../../src/transforms/near-dedup/shingles.js'

interface Doc {
  id: string
  text: string
}

async function run(docs: Doc[], threshold = 0.8) {
  const dropped: [string, NearMatch][] = []
  // In-process hashing: worker threads run the built code, which the spawned convert tests cover.
  const stage = nearDedup<Doc>({threshold, workers: 0}, (d) => d.text, (d) => ({source: d.id, line: 1}), (d, m) => dropped.push([d.id, m]))
  const kept: string[] = []
  const source = (async function* () {
    for (const d of docs) {
      await new Promise((r) => setImmediate(r))
      yield d
    }
  })()
  for await (const d of stage(source)) kept.push(d.id)
  return {kept, dropped}
}

const lorem = 'the committee reviewed the annual budget and approved new funding for public libraries schools parks and community health programs across the region after a long debate'
const zh = '委员会审议了年度预算并批准了为本地区公共图书馆学校公园和社区卫生项目提供新的资金经过长时间的辩论最终达成一致意见'

describe('near-duplicate removal (MinHash + LSH)', () => {
  it('always collapses identical texts, whatever the case, punctuation and spacing', async () => {
    const {kept, dropped} = await run([{id: 'a', text: lorem}, {id: 'b', text: lorem.toUpperCase().replace(/ /g, '  ') + '!!!'}, {id: 'c', text: lorem}])
    expect(kept).toEqual(['a'])
    expect(dropped.map(([id, m]) => [id, m.source, m.similarity])).toEqual([['b', 'a', 1], ['c', 'a', 1]])
  })

  it('never collapses clearly different texts', async () => {
    const other = 'a quick recipe for tomato soup needs onions garlic olive oil salt pepper and fresh basil from the garden simmered slowly'
    const {kept} = await run([{id: 'a', text: lorem}, {id: 'b', text: other}, {id: 'c', text: zh}, {id: 'd', text: '完全不同的一句话讲的是天气很好我们去公园散步吧顺便买点水果回家'}])
    expect(kept).toEqual(['a', 'b', 'c', 'd'])
  })

  it('drops a lightly edited copy, keeps the first, and names it with the similarity', async () => {
    const edited = lorem.replace('annual', 'yearly')
    const {kept, dropped} = await run([{id: 'first', text: lorem}, {id: 'second', text: edited}])
    expect(kept).toEqual(['first'])
    expect(dropped[0]![1].source).toBe('first')
    expect(dropped[0]![1].similarity).toBeGreaterThan(0.8)
  })

  it('collapses Chinese near-copies (character shingles, no word boundaries)', async () => {
    const {kept} = await run([{id: 'a', text: zh}, {id: 'b', text: zh.replace('年度', '全年')}])
    expect(kept).toEqual(['a'])
  })

  it('is deterministic and first-wins across runs and orders', async () => {
    const docs = Array.from({length: 40}, (_, i) => ({id: `d${i}`, text: i % 4 === 0 ? lorem : `${lorem} variant ${i} ${'x'.repeat(i)}`}))
    const one = await run(docs)
    const two = await run(docs)
    expect(one).toEqual(two)
    const reversed = await run([...docs].reverse())
    expect(reversed.kept[0]).toBe('d39')
  })

  it('collapses every exact repeat, whatever the texts (any script, empty, symbols only)', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.string({unit: 'grapheme', maxLength: 60}), {minLength: 1, maxLength: 12}), fc.nat(), async (texts, pick) => {
      const repeat = texts[pick % texts.length]!
      const docs = [...texts.map((text, i) => ({id: `t${i}`, text})), {id: 'repeat', text: repeat}]
      const {kept, dropped} = await run(docs)
      expect(kept).not.toContain('repeat')
      expect(dropped.find(([id]) => id === 'repeat')![1].similarity).toBe(1)
    }), {numRuns: 150, seed: 6})
  })

  it('never collapses texts below the threshold (exact Jaccard ≤ 0.65, four standard errors of the estimate under 0.8)', async () => {
    const word = fc.stringMatching(/^[a-z]{5,9}$/)
    const han = fc.integer({min: 0x4e00, max: 0x9fff}).map((c) => String.fromCharCode(c))
    const pair = (unit: fc.Arbitrary<string>, join: string) => fc.tuple(fc.uniqueArray(unit, {minLength: 30, maxLength: 120}), fc.double({min: 0.1, max: 0.75, noNaN: true}))
      .map(([units, share]) => {
        // Both texts draw from `units`; they share about `share` of what each holds.
        const half = Math.floor(units.length / 2)
        const common = Math.floor(half * share)
        return [units.slice(0, half).join(join), [...units.slice(0, common), ...units.slice(half, 2 * half - common)].join(join)] as const
      })
    let checked = 0
    await fc.assert(fc.asyncProperty(fc.oneof(pair(word, ' '), pair(han, '')), async ([a, b]) => {
      const A = new Set(shingleHashes(a))
      const shared = [...new Set(shingleHashes(b))].filter((h) => A.has(h)).length
      if (shared / (A.size + new Set(shingleHashes(b)).size - shared) > 0.65) return
      checked++
      expect((await run([{id: 'a', text: a}, {id: 'b', text: b}])).kept).toEqual(['a', 'b'])
    }), {numRuns: 300, seed: 7})
    expect(checked).toBeGreaterThan(150)
  })

  it('validates options at wiring time', () => {
    expect(() => nearDedup({threshold: 1.5}, String, () => ({source: '', line: 0}), () => {})).toThrow(/threshold/)
    expect(() => nearDedup({numPerm: 3}, String, () => ({source: '', line: 0}), () => {})).toThrow(/numPerm/)
  })

  it('derives bands × rows from the threshold: texts at the threshold share a band 95% of the time', () => {
    const hi = lshParams(0.9, 128)
    const lo = lshParams(0.5, 128)
    expect(hi.rows).toBeGreaterThan(lo.rows)
    for (const t of [0.5, 0.8, 0.9, 0.95]) {
      const {bands, rows} = lshParams(t, 128)
      expect(bands * rows).toBeLessThanOrEqual(128)
      expect(1 - (1 - t ** rows) ** bands).toBeGreaterThanOrEqual(0.95)
      // One row more per band would need more bins than there are.
      expect((rows + 1) * Math.ceil(Math.log(0.05) / Math.log1p(-(t ** (rows + 1))))).toBeGreaterThan(128)
    }
  })

  it('reports the largest clusters with the kept text beside removed ones', () => {
    const report = createNearDedupReport()
    report.add({source: 'a.jsonl', line: 1, similarity: 0.9, preview: 'kept'}, {text: 'dup1', source: 'a.jsonl', line: 5})
    report.add({source: 'a.jsonl', line: 1, similarity: 0.85, preview: 'kept'}, {text: 'dup2', source: 'a.jsonl', line: 9})
    report.add({source: 'a.jsonl', line: 2, similarity: 0.95, preview: 'other'}, {text: 'dup3', source: 'b.jsonl', line: 3})
    const [top] = report.clusters()
    expect(top).toMatchObject({size: 2, kept: {line: 1, text: 'kept'}, removed: [{line: 5}, {line: 9}]})
  })
})
