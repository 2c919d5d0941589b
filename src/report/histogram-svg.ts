import {escapeXml} from './escape.js'

/** A vertical line over the histogram: a percentile or a cutoff_len. */
export interface Marker {
  label: string
  at: number
  /** The cutoff line is drawn solid red, percentiles dashed grey. */
  kind: 'percentile' | 'cutoff'
}

export interface HistogramChart {
  title: string
  /** Examples per bucket; bucket i holds lengths [i·width, (i+1)·width). */
  counts: number[]
  bucketWidth: number
  markers: Marker[]
}

/** The font the chart names first: bundled for the PNG renderer, a browser falls back to its sans-serif. */
export const CHART_FONT = 'DejaVu Sans'

const W = 900
const H = 440
const FONT = 12
/** Widths of DejaVu Sans glyphs at 12 px are at most ~0.66 em for digits and letters; used to keep labels inside. */
const textWidth = (s: string, size = FONT) => s.length * size * 0.62

/** 1, 2 or 5 × 10^k steps giving about `target` ticks from 0 to the first tick at or above `max`. */
export function niceTicks(max: number, target = 6): number[] {
  if (!(max > 0)) return [0]
  const raw = max / target
  const pow = 10 ** Math.floor(Math.log10(raw))
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? raw)
  const ticks: number[] = []
  const last = Math.ceil(max / step) * step
  for (let v = 0; v <= last + 1e-9; v += step) ticks.push(Math.round(v))
  return ticks
}

const fmt = (v: number) => v.toLocaleString('en-US')

/**
 * The token-length histogram as a standalone SVG: title, both axes with ticks and titles, one bar per bucket
 * (every bucket, empty ones at height 0, each with data-count for tests and a tooltip), and labelled marker
 * lines. The x axis reaches past the last bucket when a marker (the cutoff) lies beyond it, so no line is
 * dropped, and labels are stacked in rows and flipped left near the right edge so none is clipped.
 */
export function histogramSvg(chart: HistogramChart): string {
  const {counts, bucketWidth: bw, markers} = chart
  const rows = Math.max(1, markers.length)
  const m = {l: 72, r: 28, t: 44 + rows * 16, b: 58}
  const maxX = Math.max(counts.length * bw, ...markers.map((k) => Math.ceil(k.at * 1.04)), 1)
  const xTicks = niceTicks(maxX, 8)
  const domainX = Math.max(maxX, xTicks.at(-1)!)
  const yTicks = niceTicks(Math.max(...counts, 1), 5)
  const domainY = Math.max(yTicks.at(-1)!, 1)
  const plotW = W - m.l - m.r
  const plotH = H - m.t - m.b
  const x = (v: number) => m.l + (v / domainX) * plotW
  const y = (v: number) => m.t + plotH - (v / domainY) * plotH
  const f = (v: number) => v.toFixed(1)
  const out: string[] = []
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="${CHART_FONT}, sans-serif" font-size="${FONT}" class="lfdata-histogram">`)
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`)
  out.push(`<text x="${W / 2}" y="24" font-size="16" font-weight="bold" text-anchor="middle" class="title">${escapeXml(chart.title)}</text>`)
  // Grid and y ticks.
  for (const t of yTicks) {
    out.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${f(y(t))}" y2="${f(y(t))}" stroke="#e3e3e3"/>`)
    out.push(`<text x="${m.l - 8}" y="${f(y(t) + 4)}" text-anchor="end" class="ytick">${fmt(t)}</text>`)
  }
  // Bars.
  const barW = Math.max(0.5, x(bw) - x(0) - (x(bw) - x(0) > 4 ? 1 : 0))
  counts.forEach((c, i) => {
    const lo = i * bw
    out.push(`<rect class="bar" data-bucket="${lo}" data-count="${c}" x="${f(x(lo))}" y="${f(y(c))}" width="${f(barW)}" height="${f(y(0) - y(c))}" fill="#4a7fb5"><title>${fmt(lo)}–${fmt(lo + bw - 1)} tokens: ${fmt(c)} example${c === 1 ? '' : 's'}</title></rect>`)
  })
  // Axes, x ticks, axis titles.
  out.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${f(y(0))}" y2="${f(y(0))}" stroke="#333"/>`)
  out.push(`<line x1="${m.l}" x2="${m.l}" y1="${m.t}" y2="${f(y(0))}" stroke="#333"/>`)
  for (const t of xTicks) {
    out.push(`<line x1="${f(x(t))}" x2="${f(x(t))}" y1="${f(y(0))}" y2="${f(y(0) + 5)}" stroke="#333"/>`)
    out.push(`<text x="${f(x(t))}" y="${f(y(0) + 19)}" text-anchor="middle" class="xtick">${fmt(t)}</text>`)
  }
  out.push(`<text x="${m.l + plotW / 2}" y="${H - 12}" text-anchor="middle" class="axis-title">tokens per example (len(input_ids)), ${fmt(bw)}-token buckets</text>`)
  out.push(`<text transform="translate(18 ${m.t + plotH / 2}) rotate(-90)" text-anchor="middle" class="axis-title">examples</text>`)
  // Markers: one label row each, so close lines never overprint each other's labels; labels are drawn after
  // every line, with a white halo, so a line passing through another marker's row does not cross its text.
  const labels: string[] = []
  markers.forEach((k, i) => {
    const px = x(k.at)
    const color = k.kind === 'cutoff' ? '#c0392b' : '#555'
    const labelY = 44 + i * 16
    const flip = px + 4 + textWidth(k.label) > W - m.r
    out.push(`<g class="marker" data-kind="${k.kind}" data-at="${k.at}">`)
    out.push(`<line x1="${f(px)}" x2="${f(px)}" y1="${labelY + 3}" y2="${f(y(0))}" stroke="${color}" stroke-width="${k.kind === 'cutoff' ? 2 : 1.5}"${k.kind === 'cutoff' ? '' : ' stroke-dasharray="5 4"'}/>`)
    out.push('</g>')
    labels.push(`<text x="${f(flip ? px - 4 : px + 4)}" y="${labelY}" text-anchor="${flip ? 'end' : 'start'}" fill="${color}" stroke="#ffffff" stroke-width="4" paint-order="stroke" class="marker-label">${escapeXml(k.label)}</text>`)
  })
  out.push(...labels)
  out.push('</svg>')
  return out.join('\n')
}
