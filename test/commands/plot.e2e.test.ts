 
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'

import {tempDir} from '../io/helpers.js'
import {lfdata} from '../e2e.js'

const QA = fileURLToPath(new URL('../../fixtures/demo/qa.csv', import.meta.url))

describe('stats --plot and convert --dedup-report (spawned)', () => {
  it('writes a real SVG, PNG and HTML page and prints where', async () => {
    const dir = tempDir()
    for (const name of ['h.svg', 'h.png', 'h.html']) {
      const path = join(dir, name)
      const r = await lfdata(['stats', QA, '--tokenizer', 'qwen', '--plot', path])
      expect(r.code, r.stderr).toBe(0)
      expect(r.stdout.trim().split('\n').at(-1)).toBe(`plot: ${path}`)
    }
    const json = await lfdata(['stats', QA, '--tokenizer', 'qwen', '--plot', join(dir, 'j.svg'), '--json'])
    expect(json.json.plot).toBe(join(dir, 'j.svg'))
    const svg = readFileSync(join(dir, 'h.svg'), 'utf8')
    expect(svg).toMatch(/^<\?xml[^>]*>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/)
    expect(svg.match(/class="bar"/g)).toHaveLength(json.json.histogram.counts.length)
    for (const label of [`P50 ${json.json.lengths.p50}`, `P90 ${json.json.lengths.p90}`, `P99 ${json.json.lengths.p99}`, `cutoff_len ${json.json.cutoff_len.suggested}`]) expect(svg).toContain(label)
    expect(svg).toContain('class="xtick"')
    expect(svg).toContain('class="ytick"')
    expect(svg).toContain('Token lengths of 39 examples')
    expect([...readFileSync(join(dir, 'h.png')).subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG')
    expect(readFileSync(join(dir, 'h.html'), 'utf8')).toMatch(/<!doctype html>[\s\S]*<svg /)
  })

  it('refuses an unknown picture type before reading anything (exit 2)', async () => {
    const dir = tempDir()
    const r = await lfdata(['stats', QA, '--tokenizer', 'qwen', '--plot', join(dir, 'h.jpg')])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('unknown picture type')
    expect(r.stdout).toBe('')
  })

  it('--dedup-report needs --dedup near (exit 2, nothing written); with it the report path is printed', async () => {
    const dir = tempDir()
    const refused = await lfdata(['convert', QA, '-o', join(dir, 'o.jsonl'), '--dedup-report', join(dir, 'd.html')])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('--dedup-report lists near-duplicate clusters, but --dedup is exact')
    expect(existsSync(join(dir, 'o.jsonl'))).toBe(false)
    const ok = await lfdata(['convert', QA, '-o', join(dir, 'o.jsonl'), '--dedup', 'near', '--dedup-report', join(dir, 'd.html')])
    expect(ok.code, ok.stderr).toBe(0)
    expect(ok.stdout).toContain(`dedup report: ${join(dir, 'd.html')}`)
    expect(readFileSync(join(dir, 'd.html'), 'utf8')).toContain('near-duplicate clusters')
  })

  it('progress never reaches a pipe', async () => {
    const r = await lfdata(['stats', QA, '--tokenizer', 'qwen'], {env: {CI: ''}})
    expect(r.stderr).not.toMatch(/%|ETA|\r/)
  })

  it('--report must be .html (exit 2, nothing written); convert --report from stdin says the kept copy cannot be re-read', async () => {
    const dir = tempDir()
    const bad = await lfdata(['stats', QA, '--tokenizer', 'qwen', '--report', join(dir, 'r.pdf')])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('the report is an HTML page')
    const csv = 'question,answer\nhi,hello\nhi,hello\n'
    const r = await lfdata(['convert', '-', '--input-format', 'csv', '-o', join(dir, 'o.jsonl'), '--report', join(dir, 'r.html')], {stdin: csv})
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain(`report: ${join(dir, 'r.html')}`)
    const html = readFileSync(join(dir, 'r.html'), 'utf8')
    expect(html).toContain('(read from stdin: not shown)')
    expect(html).not.toMatch(/<script|https?:\/\//)
  })
})
