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

/** The output-path guard for --plot / --report (run before anything is read): not an input, no link out of its folder, no device. */
export function guardPlot(path: string, inputs: string[], what = '--plot'): void {
  guardOutputs({inputs, outputs: [{path, what}]})
}
