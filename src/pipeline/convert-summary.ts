import {LF_REASONS} from '../lf/drop-reasons.js'
import {FILTER_REASONS} from '../transforms/reasons.js'
import type {ConvertResult} from './convert.js'

const n = (x: number) => x.toLocaleString('en-US')

/** The human summary of a convert run (stdout). */
export function renderConvertSummary(r: ConvertResult): string {
  const lines = r.shard
    ? [`shard ${r.shard.index}/${r.shard.count}: ${n(r.records_in)} records in → ${n(r.records_out)} before cross-shard dedup (run \`lfdata merge ${r.output}\` after every shard)`]
    : [`${n(r.records_in)} records in → ${n(r.records_out)} written to ${r.output} (${r.formatting}${r.ranking ? ', ranking' : ''}, stage ${r.stage})`]
  const drops = Object.entries(r.dropped).sort((a, b) => b[1] - a[1])
  if (drops.length > 0) {
    lines.push(`dropped ${n(drops.reduce((s, [, c]) => s + c, 0))}:`)
    for (const [reason, count] of drops) {
      const why = (FILTER_REASONS as Record<string, string>)[reason] ?? (LF_REASONS as Record<string, {text: string}>)[reason]?.text
      lines.push(`  ${reason.padEnd(22)} ${n(count).padStart(9)}${why ? `  ${why}` : ''}`)
    }
  }
  if (r.repaired) {
    const fixed = Object.entries(r.repaired).filter(([, c]) => c > 0)
    if (fixed.length > 0) lines.push(`repaired: ${fixed.map(([k, c]) => `${k} ${n(c)}`).join(', ')}`)
  }
  if (r.rejects && !r.shard) lines.push(`rejects: ${r.rejects}`)
  if (r.manifest) lines.push(`manifest: ${r.manifest} (columns for dataset_info.json; \`lfdata register\` reads it)`)
  return lines.join('\n')
}
