/* eslint-disable @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-return -- `--json` output is parsed JSON, and page callbacks run in the browser (no DOM lib in tsconfig) */
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {tempDir} from '../io/helpers.js'
import {lfdata} from '../e2e.js'
import {launch} from './browser.js'


/** Multi-turn, Chinese, emoji (split over byte-level tokens), a record that tries markup, and LF drops. */
function writeData(dir: string): string {
  const rows = [
    {messages: [{role: 'system', content: 'Answer briefly.'}, {role: 'user', content: '你好，世界！What is 2+2? 🤖'}, {role: 'assistant', content: '4 ✨'}, {role: 'user', content: 'And 3+3?'}, {role: 'assistant', content: '六 (6).'}]},
    {messages: [{role: 'user', content: '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">'}, {role: 'assistant', content: '</span></div><b>not bold</b> & done'}]},
    {messages: [{role: 'user', content: 'Tell me a long story.'}, {role: 'assistant', content: 'Once upon a time, '.repeat(40)}]},
    {messages: [{role: 'user', content: 'dangling'}]},
    {messages: [{role: 'assistant', content: 'I speak first'}, {role: 'user', content: 'ok'}]},
  ]
  const path = join(dir, 'chats.jsonl')
  writeFileSync(path, rows.map((r) => JSON.stringify(r)).join('\n') + '\n')
  return path
}

describe('HTML report and SVG plot in headless Chromium (reports made by the spawned CLI)', () => {
  let ctx: Awaited<ReturnType<typeof launch>>
  beforeAll(async () => {
    ctx = await launch()
  }, 60_000)
  afterAll(async () => {
    await ctx?.close()
  })

  /** Opens a file and returns the page plus every console error, page error and non-file request it made. */
  async function open(path: string) {
    const page = await ctx.browser.newPage()
    const problems: string[] = []
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`)
    })
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
    page.on('request', (r) => {
      if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) problems.push(`request: ${r.url()}`)
    })
    const response = await page.goto(pathToFileURL(path).href)
    expect(response?.ok()).toBe(true)
    await page.waitForLoadState('load')
    return {page, problems}
  }

  it('stats --report: renders cleanly, one bar per bucket, trained spans add up to each example\'s response tokens', async () => {
    const dir = tempDir()
    const data = writeData(dir)
    const report = join(dir, 'report.html')
    const r = await lfdata(['stats', data, '--tokenizer', 'qwen', '--template', 'qwen3', '--report', report, '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.json.report).toBe(report)
    const {page, problems} = await open(report)

    const bars = await page.locator('.chart svg rect.bar').count()
    expect(bars).toBe(r.json.histogram.counts.length)
    expect(Number(await page.locator('.chart').getAttribute('data-buckets'))).toBe(bars)
    const counts = await page.locator('.chart svg rect.bar').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count'))))
    expect(counts).toEqual(r.json.histogram.counts)
    expect(await page.locator('#suggested').textContent()).toBe(String(r.json.cutoff_len.suggested))
    for (const p of ['P50', 'P90', 'P99'] as const) expect(await page.locator('.chart svg').textContent()).toContain(`${p} ${r.json.lengths[p.toLowerCase() as 'p50' | 'p90' | 'p99']}`)
    // Drops by reason, each with its real records.
    const reasons = await page.locator('h3.reason').evaluateAll((els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-reason'), Number(e.getAttribute('data-count'))])))
    expect(reasons).toEqual(r.json.dropped)
    expect(await page.locator('.drop').count()).toBe(2)

    const examples = await page.locator('section.example').evaluateAll((els) =>
      els.map((e) => ({
        line: Number(e.getAttribute('data-line')),
        response: Number(e.getAttribute('data-response-tokens')),
        total: Number(e.getAttribute('data-total-tokens')),
        trained: [...e.querySelectorAll('.tok.t')].reduce((n, t) => n + Number(t.getAttribute('data-n')), 0),
        all: [...e.querySelectorAll('.tok')].reduce((n, t) => n + Number(t.getAttribute('data-n')), 0),
        text: e.querySelector('.tokens')!.textContent!,
      })),
    )
    expect(examples).toHaveLength(3)
    const lines = readFileSync(data, 'utf8').split('\n')
    for (const e of examples) {
      expect(e.trained).toBe(e.response)
      expect(e.all).toBe(e.total)
      // The CLI measures that one record on its own to the same numbers.
      const one = join(dir, `one-${e.line}.jsonl`)
      writeFileSync(one, lines[e.line - 1] + '\n')
      const alone = await lfdata(['stats', one, '--tokenizer', 'qwen', '--template', 'qwen3', '--json'])
      expect(alone.code, alone.stderr).toBe(0)
      expect([e.response, e.total]).toEqual([alone.json.response_tokens, alone.json.lengths.total])
    }
    // Untrusted text is shown, never run or parsed as markup.
    expect(examples[1]!.text).toContain('<script>window.__xss = 1</script>')
    expect(examples[1]!.text).toContain('</span></div><b>not bold</b>')
    expect(await page.evaluate(() => (globalThis as {__xss?: number}).__xss)).toBeUndefined()
    expect(await page.locator('section.example b').count()).toBe(0)
    expect(problems).toEqual([])
  }, 120_000)

  it('stats --plot: the SVG and the PNG open without errors', async () => {
    const dir = tempDir()
    const r = await lfdata(['stats', writeData(dir), '--tokenizer', 'qwen', '--plot', join(dir, 'p.svg'), '--json'])
    expect(r.code, r.stderr).toBe(0)
    const svg = await open(join(dir, 'p.svg'))
    expect(await svg.page.locator('rect.bar').count()).toBe(r.json.histogram.counts.length)
    const box = await svg.page.locator('svg').boundingBox()
    expect(box).toMatchObject({width: 900, height: 440})
    expect(svg.problems).toEqual([])
    expect((await lfdata(['stats', join(dir, 'chats.jsonl'), '--tokenizer', 'qwen', '--plot', join(dir, 'p.png')])).code).toBe(0)
    const png = await open(join(dir, 'p.png'))
    expect(await png.page.locator('img').evaluate((img) => [(img as unknown as {naturalWidth: number}).naturalWidth, (img as unknown as {naturalHeight: number}).naturalHeight])).toEqual([1800, 880])
    expect(png.problems).toEqual([])
  }, 120_000)

  it('convert --report: counts, drops with examples, duplicate clusters with the kept record, the mapping; markup stays text', async () => {
    const dir = tempDir()
    const csv = join(dir, 'qa.csv')
    writeFileSync(csv, [
      'Question,Answer',
      '"What is the capital of France?","Paris is the capital of France."',
      '"<img src=x onerror=""window.__xss=1"">","</td></tr></table><h1>owned</h1>"',
      '"What is the capital of France?","Paris is the capital of France."',
      '"What is the capital of france","Paris is the capital of France!"',
      '"Empty answer here",""',
      '"Name a prime number between ten and twenty, please.","Thirteen is one."',
      '"<img src=x onerror=""window.__xss=1"">","</td></tr></table><h1>owned</h1>"',
    ].join('\n') + '\n')
    const report = join(dir, 'convert.html')
    const r = await lfdata(['convert', csv, '-o', join(dir, 'out.jsonl'), '--dedup', 'near', '--report', report, '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.json.report).toBe(report)
    expect(r.json.dropped).toEqual({duplicate: 2, near_duplicate: 1, empty_response: 1})
    const {page, problems} = await open(report)
    expect(await page.locator('#records-in').textContent()).toBe(String(r.json.records_in))
    expect(await page.locator('#records-out').textContent()).toBe(String(r.json.records_out))
    const reasons = await page.locator('h3.reason').evaluateAll((els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-reason'), Number(e.getAttribute('data-count'))])))
    expect(reasons).toEqual(r.json.dropped)
    const mapping = await page.locator('#mapping tr').evaluateAll((rows) => rows.slice(1).map((row) => [...row.querySelectorAll('td')].slice(0, 2).map((td) => td.textContent)))
    expect(Object.fromEntries(mapping)).toEqual(r.json.mapping)
    const clusters = await page.locator('.cluster').evaluateAll((els) => els.map((e) => ({kind: e.getAttribute('data-kind'), kept: e.querySelector('.kept')!.textContent!, removed: e.querySelectorAll('.removed').length})))
    expect(clusters).toHaveLength(2)
    // Line 4 is an exact copy of line 2, line 5 a near one: one cluster, both removed under the kept line 2.
    expect(clusters[0]).toMatchObject({kind: 'exact', removed: 2})
    expect(await page.locator('.cluster').first().locator('.removed').allTextContents()).toEqual([expect.stringContaining(`${csv}:4 · exact copy`), expect.stringMatching(new RegExp(`${csv}:5 · near copy, similarity [01]\\.\\d\\d`))])
    expect(clusters[0]!.kept).toContain(`${csv}:2`)
    expect(clusters[0]!.kept).toContain('Paris is the capital of France.')
    expect(await page.locator('h1').count()).toBe(1)
    expect(clusters[1]!.kept).toContain('</td></tr></table><h1>owned</h1>')
    expect(clusters[1]!.kept).toContain('<img src=x onerror=\\"window.__xss=1\\">')
    expect(await page.evaluate(() => (globalThis as {__xss?: number}).__xss)).toBeUndefined()
    expect(problems).toEqual([])
  }, 120_000)
})
