import type {StatsResult} from './stats.js'
import {terminalHistogram} from '../stats/render.js'

const n = (x: number) => x.toLocaleString('en-US')
const pct = (x: number) => `${(x * 100).toFixed(2)}%`

/** The human report of `lfdata stats` (stdout). */
export function renderStats(r: StatsResult): string {
  const L = r.lengths
  const drops = Object.entries(r.dropped)
  const sw = r.switches
  const switches = [
    sw.enable_thinking !== true ? `enable_thinking ${sw.enable_thinking === null ? 'none' : sw.enable_thinking}` : '',
    sw.default_system !== null ? `default_system ${JSON.stringify(sw.default_system.length > 40 ? sw.default_system.slice(0, 40) + '…' : sw.default_system)}` : '',
    sw.tool_format !== null ? `tool_format ${sw.tool_format}` : '',
    sw.mask_history ? 'mask_history' : '',
    sw.train_on_prompt ? 'train_on_prompt' : '',
  ].filter(Boolean)
  const out = [
    `tokenizer ${r.tokenizer}${r.vocabulary ? ` (${r.vocabulary})` : ''} · template ${r.template} · stage ${r.stage}${switches.length ? ` · ${switches.join(' · ')}` : ''}`,
    ...(r.template_source ? [`template ${r.template}: ${r.template_source}`] : []),
    ...(r.media_examples ? [`${n(r.media_examples)} examples with images/videos/audios not measured: their length depends on the model's image processor`] : []),
    `${n(r.examples)} examples measured${drops.length ? `, ${n(drops.reduce((a, [, c]) => a + c, 0))} dropped by LF's rules (${drops.map(([k, c]) => `${k}: ${n(c)}`).join(', ')})` : ''}`,
    `tokens: ${n(L.total)} total = ${n(r.prompt_tokens)} prompt + ${n(r.response_tokens)} response${r.trained_tokens !== r.response_tokens ? ` (${n(r.trained_tokens)} trained on)` : ''}`,
    '',
    `length   min ${n(L.min)}  mean ${L.mean}  p50 ${n(L.p50)}  p90 ${n(L.p90)}  p95 ${n(L.p95)}  p99 ${n(L.p99)}  p99.9 ${n(L.p999)}  max ${n(L.max)}`,
    '',
    ...terminalHistogram(r.histogram.counts, r.histogram.bucket_width),
    '',
    'length_cdf.py:',
    ...r.cdf.map((l) => `  ${l}`),
    '',
    `suggested cutoff_len: ${r.cutoff_len.suggested} (P${r.cutoff_len.percentile} rounded up to a multiple of ${r.cutoff_len.round}) — truncates ${n(r.cutoff_len.truncated_examples)} examples (${pct(r.cutoff_len.truncated_fraction)}), ${n(r.cutoff_len.tokens_lost)} tokens lost`,
    ...r.at.map((a) => `  cutoff_len ${String(a.cutoff_len).padStart(5)}: ${n(a.truncated_examples).padStart(7)} truncated (${pct(a.truncated_fraction).padStart(7)}), ${n(a.tokens_lost)} tokens lost`),
  ]
  if (r.packing) out.push(`packing at cutoff_len ${r.packing.cutoff_len}: ${n(r.packing.sequences)} packed sequences, ${n(r.packing.truncated)} examples truncated to ${r.packing.cutoff_len - 1} tokens first`)
  if (r.datasets.length > 1) {
    out.push('', 'per dataset:')
    for (const d of r.datasets) out.push(`  ${d.name}: ${n(d.examples)} examples, p50 ${d.lengths.p50}, p99 ${d.lengths.p99}, max ${d.lengths.max}`)
  }
  return out.join('\n')
}
