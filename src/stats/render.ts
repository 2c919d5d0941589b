import {writeFileAtomic} from '../io/atomic.js'
import {guardOutputs} from '../io/output-guard.js'
import type {LengthHistogram} from '../measure/length-histogram.js'

/** The lines LF's scripts/stat_utils/length_cdf.py prints, for the same interval. */
export function cdfLines(h: LengthHistogram, interval = 1000): string[] {
  const buckets = new Map<number, number>()
  for (const [len, c] of h.entries()) {
    const b = Math.floor(len / interval) * interval
    buckets.set(b, (buckets.get(b) ?? 0) + c)
  }
  let count = 0
  let prob = 0
  return [...buckets.entries()].sort((a, b) => a[0] - b[0]).map(([len, c]) => {
    count += c
    prob += (c / h.n) * 100
    return `${count} (${prob.toFixed(2)}%) samples have length < ${len + interval}.`
  })
}

/** A bucket width giving ~20–40 bars. */
export function bucketWidth(max: number): number {
  const raw = Math.max(1, max / 30)
  const pow = 10 ** Math.floor(Math.log10(raw))
  return [1, 2, 5, 10].map((m) => m * pow).find((w) => w >= raw) ?? raw
}

/** Horizontal bars for the terminal. */
export function terminalHistogram(counts: number[], width: number, cols = 40): string[] {
  const top = Math.max(...counts, 1)
  const label = (i: number) => `${i * width}–${(i + 1) * width - 1}`
  const pad = Math.max(...counts.map((_, i) => label(i).length))
  const first = Math.max(0, counts.findIndex((c) => c > 0))
  return counts.slice(first).map((c, k) => `${label(first + k).padStart(pad)} │${'█'.repeat(Math.round((c / top) * cols))} ${c}`)
}

/** The output-path guard for --plot (run before anything is read): not an input, no link out of its folder, no device. */
export function guardPlot(path: string, inputs: string[]): void {
  guardOutputs({inputs, outputs: [{path, what: '--plot'}]})
}

/** A self-contained SVG (or HTML page holding it) of the histogram with percentile and cutoff lines. */
export async function writePlot(path: string, counts: number[], width: number, marks: {label: string; at: number}[]): Promise<void> {
  const W = 900
  const H = 360
  const m = {l: 60, r: 20, t: 30, b: 50}
  const maxX = counts.length * width
  const top = Math.max(...counts, 1)
  const x = (v: number) => m.l + (v / maxX) * (W - m.l - m.r)
  const y = (v: number) => H - m.b - (v / top) * (H - m.t - m.b)
  const bars = counts.map((c, i) => `<rect x="${x(i * width).toFixed(1)}" y="${y(c).toFixed(1)}" width="${Math.max(0.5, x(width) - x(0) - 1).toFixed(1)}" height="${(H - m.b - y(c)).toFixed(1)}" fill="#4a7fb5"><title>${i * width}–${(i + 1) * width - 1}: ${c}</title></rect>`)
  const lines = marks.filter((k) => k.at <= maxX).map((k, i) => `<line x1="${x(k.at)}" x2="${x(k.at)}" y1="${m.t}" y2="${H - m.b}" stroke="${i === marks.length - 1 ? '#c0392b' : '#888'}" stroke-dasharray="4 3"/><text x="${x(k.at) + 3}" y="${m.t + 12 + 14 * i}" font-size="12">${k.label}</text>`)
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif"><text x="${m.l}" y="18" font-size="14">Token lengths (examples per ${width}-token bucket)</text>${bars.join('')}${lines.join('')}<line x1="${m.l}" x2="${W - m.r}" y1="${H - m.b}" y2="${H - m.b}" stroke="#333"/><text x="${m.l}" y="${H - 20}" font-size="12">0</text><text x="${W - m.r - 60}" y="${H - 20}" font-size="12">${maxX} tokens</text><text x="8" y="${m.t + 10}" font-size="12">${top}</text></svg>`
  await writeFileAtomic(path, path.endsWith('.html') ? `<!doctype html><meta charset="utf-8"><title>lfdata stats</title>${svg}\n` : svg + '\n')
}
