import {existsSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {UsageError} from '../errors.js'
import {writeFileAtomic} from '../io/atomic.js'
import type {StatsResult} from '../pipeline/stats.js'
import {CHART_FONT, histogramSvg, type Marker} from './histogram-svg.js'
import {escapeXml} from './escape.js'

export type PlotKind = 'svg' | 'png' | 'html'

/** The picture `--plot PATH` asks for, from its extension (checked before any work is done). */
export function plotKind(path: string): PlotKind {
  const ext = path.toLowerCase().split('.').pop()
  if (ext === 'svg' || ext === 'png' || ext === 'html') return ext
  throw new UsageError(`--plot ${path}: unknown picture type`, {suggestion: 'end the path in .svg, .png or .html'})
}

/** The stats histogram with its P50/P90/P99 and suggested cutoff_len lines. */
export function statsChartSvg(r: StatsResult): string {
  const markers: Marker[] = [
    {label: `P50 ${r.lengths.p50}`, at: r.lengths.p50, kind: 'percentile'},
    {label: `P90 ${r.lengths.p90}`, at: r.lengths.p90, kind: 'percentile'},
    {label: `P99 ${r.lengths.p99}`, at: r.lengths.p99, kind: 'percentile'},
    {label: `cutoff_len ${r.cutoff_len.suggested} (suggested: P${r.cutoff_len.percentile} rounded up to ×${r.cutoff_len.round})`, at: r.cutoff_len.suggested, kind: 'cutoff'},
  ]
  const title = `Token lengths of ${r.examples.toLocaleString('en-US')} examples · tokenizer ${r.tokenizer} · template ${r.template}`
  return histogramSvg({title, counts: r.histogram.counts, bucketWidth: r.histogram.bucket_width, markers})
}

const here = dirname(fileURLToPath(import.meta.url))
/** DejaVu Sans: copied into dist/fonts by the build; a source checkout reads the dev dependency. */
const FONT_FILES = [join(here, '..', 'fonts', 'DejaVuSans.ttf'), join(here, '..', '..', 'node_modules', 'dejavu-fonts-ttf', 'ttf', 'DejaVuSans.ttf')]

/**
 * Rasterises an SVG with resvg and the bundled font only: system fonts are never consulted, so the PNG
 * looks the same on a machine (or CI image) that has none.
 */
export async function renderSvg(svg: string, zoom = 1): Promise<{png: Buffer; width: number; height: number; pixels: Buffer}> {
  const font = FONT_FILES.find((f) => existsSync(f))
  if (!font) throw new Error('the bundled font DejaVuSans.ttf is missing (run npm run build)')
  const {Resvg} = await import('@resvg/resvg-js')
  const resvg = new Resvg(svg, {
    fitTo: {mode: 'zoom', value: zoom},
    font: {loadSystemFonts: false, fontFiles: [font], defaultFontFamily: CHART_FONT, sansSerifFamily: CHART_FONT},
  })
  const image = resvg.render()
  return {png: image.asPng(), width: image.width, height: image.height, pixels: image.pixels}
}

/** Writes `svg` as the picture PATH's extension asks for (atomically). */
export async function writePicture(path: string, svg: string, title: string): Promise<void> {
  const kind = plotKind(path)
  if (kind === 'png') await writeFileAtomic(path, (await renderSvg(svg, 2)).png)
  else if (kind === 'html') await writeFileAtomic(path, `<!doctype html>\n<html lang="en"><meta charset="utf-8"><title>${escapeXml(title)}</title>\n<body style="margin:16px">${svg}</body></html>\n`)
  else await writeFileAtomic(path, `<?xml version="1.0" encoding="UTF-8"?>\n${svg}\n`)
}

/** `lfdata stats --plot PATH`. */
export async function writeStatsPlot(path: string, r: StatsResult): Promise<void> {
  await writePicture(path, statsChartSvg(r), 'lfdata stats: token lengths')
}

