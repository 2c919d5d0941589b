import {describe, expect, it} from 'vitest'

import {histogramSvg, niceTicks} from '../../src/report/histogram-svg.js'
import {plotKind, renderSvg} from '../../src/report/plot.js'
import {progressLine} from '../../src/reporter.js'

const chart = {
  title: 'lengths <script>alert(1)</script> & more',
  counts: [0, 3, 7, 2, 0, 1],
  bucketWidth: 10,
  markers: [
    {label: 'P50 22', at: 22, kind: 'percentile' as const},
    {label: 'P99 51', at: 51, kind: 'percentile' as const},
    {label: 'cutoff_len 128', at: 128, kind: 'cutoff' as const},
  ],
}

describe('histogram SVG', () => {
  it('ticks cover the maximum with 1/2/5 steps', () => {
    expect(niceTicks(13, 5)).toEqual([0, 5, 10, 15])
    expect(niceTicks(128, 8)).toEqual([0, 20, 40, 60, 80, 100, 120, 140])
    expect(niceTicks(0)).toEqual([0])
  })

  it('draws one bar per bucket, every marker (the axis reaches the cutoff), and escapes the title', () => {
    const svg = histogramSvg(chart)
    expect(svg.match(/class="bar"/g)).toHaveLength(chart.counts.length)
    expect([...svg.matchAll(/data-count="(\d+)"/g)].map((m) => Number(m[1]))).toEqual(chart.counts)
    expect(svg.match(/class="marker"/g)).toHaveLength(3)
    expect(svg).toContain('&lt;script&gt;')
    expect(svg).not.toContain('<script>')
    // Every text stays inside the 900-px canvas, so nothing is clipped.
    for (const m of svg.matchAll(/<text x="([\d.]+)"[^>]*text-anchor="(start|end|middle)"[^>]*>([^<]*)</g)) {
      const x = Number(m[1])
      const w = m[3]!.length * 12 * 0.62
      const [lo, hi] = m[2] === 'start' ? [x, x + w] : m[2] === 'end' ? [x - w, x] : [x - w / 2, x + w / 2]
      expect(lo, m[3]).toBeGreaterThanOrEqual(0)
      expect(hi, m[3]).toBeLessThanOrEqual(900)
    }
  })

  it('renders a PNG with text drawn by the bundled font (no system fonts are loaded)', async () => {
    const {png, width, height, pixels} = await renderSvg(histogramSvg(chart))
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    expect([width, height]).toEqual([900, 440])
    // The title row (y 8–30) is white except for the title's glyphs.
    let dark = 0
    for (let y = 8; y < 30; y++) for (let x = 0; x < width; x++) if (pixels[(y * width + x) * 4]! < 128) dark++
    expect(dark).toBeGreaterThan(500)
  })

  it('--plot picks the picture type from the extension and refuses others', () => {
    expect(plotKind('a/b.SVG')).toBe('svg')
    expect(plotKind('x.png')).toBe('png')
    expect(plotKind('x.html')).toBe('html')
    expect(() => plotKind('x.jpg')).toThrow(/unknown picture type/)
  })
})

describe('progress line', () => {
  it('shows percent and ETA when the input size is known, only the rate otherwise', () => {
    const line = progressLine({unit: 'examples', done: 5000, bytesDone: 25 * 2 ** 20, bytesTotal: 100 * 2 ** 20}, 10)
    expect(line).toContain('25%')
    expect(line).toContain('ETA 0:30')
    expect(line).toContain('of 100.0 MiB')
    expect(progressLine({unit: 'examples', done: 5000, bytesDone: 2 ** 20, bytesTotal: 100 * 2 ** 20}, 0.5)).not.toContain('ETA')
    expect(progressLine({unit: 'examples', done: 5000}, 10)).toBe('5,000 examples (500/s)')
    expect(progressLine({unit: 'examples', done: 1, bytesDone: 1, bytesTotal: 7200}, 1)).toContain('ETA 1:59:59')
  })
})
