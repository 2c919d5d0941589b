import {writeFileAtomic} from '../io/atomic.js'
import {readRows} from '../io/read.js'
import type {InputFormat, Row} from '../io/types.js'
import type {ConvertResult} from '../pipeline/convert.js'
import {LF_REASONS} from '../lf/drop-reasons.js'
import {FILTER_REASONS} from '../transforms/reasons.js'
import {h, num, page, recordBlock} from './html.js'

const EXAMPLES_PER_REASON = 2
/** Clusters tracked while converting (later ones only grow existing clusters) and shown in the report. */
const TRACKED_CLUSTERS = 1000
const SHOWN_CLUSTERS = 20
const REMOVED_PER_CLUSTER = 5

interface Removed {
  source: string
  line: number
  record: unknown
  similarity?: number
}

interface Cluster {
  /** How the first copy was found (later copies may be either: see each one's similarity). */
  kind: 'exact' | 'near'
  source: string
  line: number
  size: number
  removed: Removed[]
  kept?: unknown
}

/** "dir/a.csv:12" → its source and line (a path may itself hold colons). */
function location(of: string): {source: string; line: number} {
  const i = of.lastIndexOf(':')
  return {source: of.slice(0, i), line: Number(of.slice(i + 1))}
}

/**
 * Collects, while convert runs, the first records dropped for each reason and the duplicate clusters (the
 * kept record's location with the records removed as its copies). Bounded whatever the input size; the kept
 * records themselves are read back from the inputs afterwards (dedup keeps fingerprints, not text).
 */
export class ConvertReportCollector {
  readonly drops = new Map<string, {source: string; line: number; detail: string; record: unknown}[]>()
  readonly clusters = new Map<string, Cluster>()

  readonly onDrop = (row: Row, reason: string, detail: string, extra?: Record<string, unknown>): void => {
    let list = this.drops.get(reason)
    if (!list) this.drops.set(reason, (list = []))
    if (list.length < EXAMPLES_PER_REASON) list.push({source: row.source, line: row.line, detail, record: row.record})
    const of = extra?.duplicate_of ?? extra?.near_duplicate_of
    if (typeof of !== 'string') return
    let cluster = this.clusters.get(of)
    if (!cluster) {
      if (this.clusters.size >= TRACKED_CLUSTERS) return
      this.clusters.set(of, (cluster = {kind: reason === 'duplicate' ? 'exact' : 'near', ...location(of), size: 0, removed: []}))
    }
    cluster.size++
    if (cluster.removed.length < REMOVED_PER_CLUSTER) {
      cluster.removed.push({source: row.source, line: row.line, record: row.record, ...(typeof extra?.similarity === 'number' ? {similarity: extra.similarity} : {})})
    }
  }

  /** The largest clusters, with their kept records read back from the inputs (stdin cannot be read twice). */
  async largest(read: {format?: InputFormat; delimiter?: string; encoding?: string}): Promise<Cluster[]> {
    const top = [...this.clusters.values()].sort((a, b) => b.size - a.size).slice(0, SHOWN_CLUSTERS)
    const wanted = new Map<string, Map<number, Cluster>>()
    for (const c of top) {
      if (c.source === '-') continue
      if (!wanted.has(c.source)) wanted.set(c.source, new Map())
      wanted.get(c.source)!.set(c.line, c)
    }
    for (const [source, lines] of wanted) {
      const last = Math.max(...lines.keys())
      for await (const row of readRows(source, read)) {
        const c = lines.get(row.line)
        if (c) c.kept = row.record
        if (row.line >= last) break
      }
    }
    return top
  }
}

const reasonText = (reason: string) => (FILTER_REASONS as Record<string, string>)[reason] ?? (LF_REASONS as Record<string, {text: string}>)[reason]?.text ?? ''

function clusterBlock(c: Cluster): string {
  const kept = c.kept === undefined ? '<p class="muted">(read from stdin: not shown)</p>' : recordBlock(c.kept)
  const removed = c.removed
    .map((r) => `<div class="removed"><code>${h(r.source)}:${r.line}</code>${r.similarity === undefined ? ' · exact copy' : ` · near copy, similarity ${r.similarity.toFixed(2)}`}${recordBlock(r.record, 800)}</div>`)
    .join('')
  const more = c.size > c.removed.length ? `<p class="muted">… and ${num(c.size - c.removed.length)} more</p>` : ''
  return `<div class="cluster" data-kind="${c.kind}" data-size="${c.size}"><div class="kept"><b>kept</b> <code>${h(c.source)}:${c.line}</code> · copies removed: ${num(c.size)}${kept}</div>${removed}${more}</div>`
}

/** The report page of `lfdata convert --report FILE.html`. */
export function convertReportHtml(r: ConvertResult, c: ConvertReportCollector, clusters: Cluster[]): string {
  const dropped = Object.entries(r.dropped).sort((a, b) => b[1] - a[1])
  const droppedTotal = dropped.reduce((a, [, n]) => a + n, 0)
  const mapping = Object.entries(r.mapping)
    .map(([field, column]) => `<tr><td class="l"><code>${h(field)}</code></td><td class="l"><code>${h(String(column))}</code></td><td class="l">${r.mapping_auto.includes(field as never) ? 'recognised' : '--map'}</td></tr>`)
    .join('')
  const drops = dropped.length === 0 ? '<p>Nothing was dropped.</p>' : dropped
    .map(([reason, count]) => `<h3 class="reason" data-reason="${h(reason)}" data-count="${count}">${h(reason)} — ${num(count)} <span class="muted">${h(reasonText(reason))}</span></h3>${(c.drops.get(reason) ?? [])
      .map((d) => `<div class="drop"><div><code>${h(d.source)}:${d.line}</code> — ${h(d.detail)}</div>${recordBlock(d.record)}</div>`)
      .join('')}`)
    .join('')
  const body = `<h1>lfdata convert</h1>
<p class="muted">→ <code>${h(r.output)}</code> · ${h(r.formatting)}${r.ranking ? ' (ranking)' : ''} · stage ${h(r.stage)}</p>
<div class="kpis">
<div class="kpi"><b id="records-in">${num(r.records_in)}</b>records in</div>
<div class="kpi"><b id="records-out">${num(r.records_out)}</b>written</div>
<div class="kpi"><b id="dropped">${num(droppedTotal)}</b>dropped</div>
</div>
<h2>Mapping used</h2>
<table id="mapping"><tr><th class="l">field</th><th class="l">input column</th><th class="l">how</th></tr>${mapping}</table>
<p>columns for dataset_info.json: <code>${h(JSON.stringify(r.columns))}</code></p>
<h2>Dropped, by reason</h2>
${drops}
<h2>Duplicate clusters</h2>
${clusters.length === 0 ? '<p>No duplicates were removed.</p>' : `<p class="muted">The ${clusters.length} largest, each kept record above the copies removed.</p>${clusters.map(clusterBlock).join('')}`}
<p class="muted">Made by lfdata offline; this file loads nothing from the network.</p>`
  return page(`lfdata convert: ${r.records_in} in, ${r.records_out} out`, body)
}

export async function writeConvertReport(path: string, r: ConvertResult, c: ConvertReportCollector, read: {format?: InputFormat; delimiter?: string; encoding?: string}): Promise<void> {
  await writeFileAtomic(path, convertReportHtml(r, c, await c.largest(read)))
}
