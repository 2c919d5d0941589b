import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {lfdata} from '../e2e.js'
import {tempDir} from '../io/helpers.js'

describe('lfdata convert --jobs (spawned)', () => {
  it('writes byte-identical output, rejects and counts with 1, 2 and 3 processes (exact and near dedup, CSV and JSON Lines)', async () => {
    const dir = tempDir()
    const csv = join(dir, 'in.csv')
    const rows = Array.from({length: 300}, (_, i) => [`问题 ${i % 70} about "topic"\nsecond line`, i % 11 === 0 ? '' : `answer ${i % 35}, with a comma`])
    writeFileSync(csv, 'question,answer\n' + rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\n') + '\n')
    const jsonl = join(dir, 'in.jsonl')
    writeFileSync(jsonl, rows.map(([question, answer]) => JSON.stringify({question, answer})).join('\n') + '\n')
    // A CSV with exact dedup takes the plain-row lane, whose --jobs are threads (convert-threads.e2e.test.ts):
    // JSON Lines keeps exact dedup on shard processes here.
    for (const [dedup, input] of [['exact', jsonl], ['near', csv], ['exact', csv]] as const) {
      const outs = []
      for (const jobs of [1, 2, 3]) {
        const out = join(dir, `${dedup}-${input.endsWith('.csv') ? 'csv' : 'jsonl'}-${jobs}.jsonl`)
        // Near dedup also writes its cluster report (the shards log sketches and report texts, the merge decides).
        const report = dedup === 'near' ? ['--dedup-report', `${out}.report.json`] : []
        const r = await lfdata(['convert', input, '-o', out, '--dedup', dedup, '--jobs', String(jobs), '--rejects', `${out}.rej`, ...report, '--json'])
        expect(r.code, r.stderr).toBe(0)
        outs.push({out: readFileSync(out), rej: readFileSync(`${out}.rej`, 'utf8'), report: report.length ? readFileSync(`${out}.report.json`, 'utf8') : '', json: r.json, manifest: JSON.parse(readFileSync(`${out}.lfdata.json`, 'utf8')) as {output: {sha256: string}}})
      }
      for (const o of outs.slice(1)) {
        expect(o.out.equals(outs[0]!.out)).toBe(true)
        expect(o.rej).toBe(outs[0]!.rej)
        expect(o.report).toBe(outs[0]!.report)
        expect({...o.json, seconds: 0, output: '', manifest: '', rejects: ''}).toEqual({...outs[0]!.json, seconds: 0, output: '', manifest: '', rejects: ''})
        expect(o.manifest.output.sha256).toBe(outs[0]!.manifest.output.sha256)
      }
      expect(outs[0]!.json.dropped.duplicate ?? outs[0]!.json.dropped.near_duplicate).toBeGreaterThan(0)
      if (dedup === 'near') expect((JSON.parse(outs[0]!.report) as {clusters: unknown[]}).clusters.length).toBeGreaterThan(0)
    }
    expect(readdirSync(dir).filter((n) => n.startsWith('.lfdata-jobs'))).toEqual([]) // no temp folder left
  })

  it('reports a bad line from a worker as one line with exit 3 and leaves no output', async () => {
    const dir = tempDir()
    const line = (i: number) => JSON.stringify({q: `q${i}`, a: `a${i}`})
    const bad = join(dir, 'bad.jsonl')
    writeFileSync(join(dir, 'in.jsonl'), Array.from({length: 50}, (_, i) => line(i)).join('\n') + '\n')
    writeFileSync(bad, Array.from({length: 200}, (_, i) => line(i)).join('\n') + '\n{"q": "broken\n')
    const r = await lfdata(['convert', bad, '-o', join(dir, 'o.jsonl'), '--jobs', '2', '--map', 'instruction=q', '--map', 'output=a'])
    expect(r.code).toBe(3)
    expect(r.stderr).toContain(`${bad}:201`)
    expect(r.stderr).not.toContain('    at ')
    // The same in shard 0, which this process converts itself while the workers run.
    const early = join(dir, 'early.jsonl')
    writeFileSync(early, line(0) + '\n{"q": "broken\n' + Array.from({length: 200}, (_, i) => line(i)).join('\n') + '\n')
    const r0 = await lfdata(['convert', early, '-o', join(dir, 'o.jsonl'), '--jobs', '2', '--map', 'instruction=q', '--map', 'output=a'])
    expect(r0.code).toBe(3)
    expect(r0.stderr).toContain(`${early}:2`)
    expect(r0.stderr.trimEnd().split('\n')).toHaveLength(2) // the error and its hint
    expect(readdirSync(dir).filter((n) => n.startsWith('.lfdata'))).toEqual([])
    const human = await lfdata(['convert', join(dir, 'in.jsonl'), '-o', join(dir, 'h.jsonl'), '--jobs', '2', '--map', 'instruction=q', '--map', 'output=a'])
    expect(human.code, human.stderr).toBe(0)
    expect(human.stderr.match(/mapping:/g)).toHaveLength(1) // printed once, not once per worker
    expect(existsSync(join(dir, 'o.jsonl'))).toBe(false)
  })
})
