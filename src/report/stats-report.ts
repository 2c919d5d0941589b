import {writeFileAtomic} from '../io/atomic.js'
import type {Row} from '../io/types.js'
import type {AlignedExample, Stage} from '../lf/types.js'
import type {StatsObserver, StatsResult} from '../pipeline/stats.js'
import {exampleTokens, type Length, type TokenSpan} from '../measure/encode.js'
import type {ChatTemplate} from '../templates/templates.js'
import type {TokenCounter} from '../tokenize/counter.js'
import {h, num, page, pct, recordBlock} from './html.js'
import {statsChartSvg} from './plot.js'

const EXAMPLES_PER_REASON = 2
const LONGEST = 5
const RENDERED = 3

interface Measured {
  source: string
  line: number
  example: AlignedExample
  length: Length
}

export interface RenderedExample {
  source: string
  line: number
  length: Length
  spans: TokenSpan[]
}

/**
 * Collects, while stats reads, what the report shows beyond the numbers: the first records dropped for each
 * reason, the longest examples and the first few kept ones. Bounded: a few records whatever the input size.
 */
export class StatsReportCollector implements StatsObserver {
  readonly drops = new Map<string, {source: string; line: number; detail: string; record: unknown}[]>()
  readonly longest: Measured[] = []
  readonly first: Measured[] = []
  rendered: RenderedExample[] = []
  /** Why no token view is shown, when there is none. */
  renderNote = ''

  dropped(row: Row, reason: string, detail: string): void {
    let list = this.drops.get(reason)
    if (!list) this.drops.set(reason, (list = []))
    if (list.length < EXAMPLES_PER_REASON) list.push({source: row.source, line: row.line, detail, record: row.record})
  }

  measured(row: Row, example: AlignedExample, length: Length): void {
    const m = {source: row.source, line: row.line, example, length}
    if (this.first.length < RENDERED) this.first.push(m)
    if (this.longest.length < LONGEST || length.total > this.longest.at(-1)!.length.total) {
      this.longest.push(m)
      this.longest.sort((a, b) => b.length.total - a.length.total)
      this.longest.length = Math.min(this.longest.length, LONGEST)
    }
  }

  done(used: {template: ChatTemplate; counter: TokenCounter; stage: Stage}): void {
    if (used.stage !== 'sft' && used.stage !== 'pt') {
      this.renderNote = `The token view covers the sft and pt stages; ${used.stage} examples are measured by their longer response.`
      return
    }
    const stage = used.stage
    this.rendered = this.first.map((m) => ({source: m.source, line: m.line, ...exampleTokens(m.example, used.template, used.counter, stage)}))
  }
}

function cutoffTable(r: StatsResult): string {
  const rows = [
    {...r.cutoff_len, cutoff_len: r.cutoff_len.suggested, suggested: true},
    ...r.at.filter((a) => a.cutoff_len !== r.cutoff_len.suggested).map((a) => ({...a, suggested: false})),
  ].sort((a, b) => a.cutoff_len - b.cutoff_len)
  return `<table id="cutoffs"><tr><th>cutoff_len</th><th>examples truncated</th><th>share</th><th>tokens lost</th></tr>${rows
    .map((a) => `<tr${a.suggested ? ' class="suggested"' : ''}><td>${num(a.cutoff_len)}${a.suggested ? ' (suggested)' : ''}</td><td>${num(a.truncated_examples)}</td><td>${pct(a.truncated_fraction)}</td><td>${num(a.tokens_lost)}</td></tr>`)
    .join('')}</table>`
}

function dropsSection(r: StatsResult, c: StatsReportCollector): string {
  const reasons = Object.entries(r.dropped).sort((a, b) => b[1] - a[1])
  if (reasons.length === 0) return '<p>No record is dropped: LLaMA-Factory trains on every one.</p>'
  return reasons
    .map(([reason, count]) => {
      const examples = (c.drops.get(reason) ?? [])
        .map((d) => `<div class="drop"><div><code>${h(d.source)}:${d.line}</code> — ${h(d.detail)}</div>${recordBlock(d.record)}</div>`)
        .join('')
      return `<h3 class="reason" data-reason="${h(reason)}" data-count="${count}">${h(reason)} — ${num(count)}</h3>${examples}`
    })
    .join('')
}

function preview(m: Measured, max = 600): string {
  const turns = [...m.example.prompt, ...m.example.response].map((t) => `${t.role}: ${typeof t.content === 'string' ? t.content : JSON.stringify(t.content)}`)
  const text = turns.join('\n')
  return text.length > max ? text.slice(0, max) + ` … (${num(text.length - max)} more characters)` : text
}

function tokenView(e: RenderedExample, i: number): string {
  const spans = e.spans
    .map((s, k) => `<span class="tok ${s.trained ? 't' : 'm'}${s.special ? ' s' : ''}${k % 2 ? ' alt' : ''}" data-n="${s.tokens}" title="${s.tokens} token${s.tokens === 1 ? '' : 's'}${s.trained ? ', trained' : ', masked'}">${h(s.text).replace(/\n/g, '↵\n')}</span>`)
    .join('')
  return `<section class="example" id="example-${i + 1}" data-source="${h(e.source)}" data-line="${e.line}" data-prompt-tokens="${e.length.prompt}" data-response-tokens="${e.length.response}" data-total-tokens="${e.length.total}">
<h3>Example ${i + 1} <span class="muted">· <code>${h(e.source)}:${e.line}</code> · ${num(e.length.total)} tokens = ${num(e.length.prompt)} masked + ${num(e.length.response)} trained</span></h3>
<div class="tokens">${spans}</div></section>`
}

/** The report page of `lfdata stats --report FILE.html`. */
export function statsReportHtml(r: StatsResult, c: StatsReportCollector): string {
  const L = r.lengths
  const droppedTotal = Object.values(r.dropped).reduce((a, b) => a + b, 0)
  const body = `<h1>lfdata stats</h1>
<p class="muted">tokenizer <b>${h(r.tokenizer)}</b> · template <b>${h(r.template)}</b> · stage <b>${h(r.stage)}</b> · ${r.datasets.map((d) => `<code>${h(d.name)}</code>`).join(', ')}</p>
<div class="kpis">
<div class="kpi"><b id="examples">${num(r.examples)}</b>examples measured</div>
<div class="kpi"><b>${num(droppedTotal)}</b>dropped by LF's rules</div>
<div class="kpi"><b>${num(L.total)}</b>tokens (${num(r.prompt_tokens)} prompt + ${num(r.response_tokens)} trained)</div>
<div class="kpi"><b id="suggested">${num(r.cutoff_len.suggested)}</b>suggested cutoff_len (P${r.cutoff_len.percentile} rounded up to a multiple of ${r.cutoff_len.round})</div>
</div>
<h2>Token lengths</h2>
<div class="chart" data-buckets="${r.histogram.counts.length}" data-bucket-width="${r.histogram.bucket_width}">${statsChartSvg(r)}</div>
<table id="percentiles"><tr><th>min</th><th>mean</th><th>P50</th><th>P90</th><th>P95</th><th>P99</th><th>P99.9</th><th>max</th></tr>
<tr><td>${num(L.min)}</td><td>${L.mean}</td><td>${num(L.p50)}</td><td>${num(L.p90)}</td><td>${num(L.p95)}</td><td>${num(L.p99)}</td><td>${num(L.p999)}</td><td>${num(L.max)}</td></tr></table>
<h2>What each cutoff_len truncates</h2>
${cutoffTable(r)}
<h2>Dropped, by reason</h2>
${dropsSection(r, c)}
<h2>Longest examples</h2>
${c.longest.map((m) => `<h3>${num(m.length.total)} tokens <span class="muted">· <code>${h(m.source)}:${m.line}</code> · ${num(m.length.prompt)} prompt + ${num(m.length.response)} response</span></h3><pre>${h(preview(m))}</pre>`).join('')}
<h2>What LLaMA-Factory learns from</h2>
<p class="legend"><span><span class="tok t">trained</span> response tokens (labels)</span><span><span class="tok m">masked</span> prompt tokens (IGNORE_INDEX)</span><span><span class="tok m s">special</span> one special token</span> Alternate shades mark token boundaries; hover a token for its count.</p>
${c.renderNote ? `<p>${h(c.renderNote)}</p>` : ''}
${c.rendered.map(tokenView).join('\n')}
<p class="muted">Made by lfdata offline; this file loads nothing from the network.</p>`
  return page(`lfdata stats: ${r.examples} examples, cutoff_len ${r.cutoff_len.suggested}`, body)
}

export async function writeStatsReport(path: string, r: StatsResult, c: StatsReportCollector): Promise<void> {
  await writeFileAtomic(path, statsReportHtml(r, c))
}
