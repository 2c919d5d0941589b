import type {Stage} from '../lf/types.js'
import type {RecordCounts} from './records.js'
import type {TokenSummary} from './tokens.js'

/** One dataset in the --json result (schemas/check-result.schema.json). */
export interface DatasetSummary {
  name: string
  stage: Stage
  /** true when neither --stage nor a YAML gave the stage and it was read off the entry. */
  stage_inferred: boolean
  files: number
  records: number
  /** Records LF's converter and processor keep. */
  kept: number
  /** Examples LF would train on after num_samples / max_samples (an expectation for num_samples). */
  trained: number
  dropped: Record<string, number>
  crashes: number
  /** false when LF cannot load the dataset at all (see the diagnostics). */
  loads: boolean
  tokens?: TokenSummary
  /** "NAME: would train on N of M examples (K dropped: …)". */
  summary: string
}

export interface SummaryInput {
  name: string
  stage: Stage
  stageInferred: boolean
  files: number
  counts: RecordCounts
  numSamples?: number
  maxSamples?: number
  streaming: boolean
  tokens?: TokenSummary
}

/** What LF would do with the dataset, in figures and in one line. */
export function summarize(s: SummaryInput): DatasetSummary {
  const {counts} = s
  const dropped = Object.fromEntries(Object.entries(counts.dropped).filter((e): e is [string, number] => e[1] !== undefined))
  const nDropped = counts.records - counts.kept
  const reasons = Object.entries(dropped).map(([r, n]) => `${r} ${n}`).join(', ')
  // num_samples draws rows at random (with replacement beyond the row count), then max_samples keeps the first N.
  const sampled = s.numSamples !== undefined && !s.streaming
  const rows = sampled ? s.numSamples! : counts.records
  const capped = s.maxSamples !== undefined && s.maxSamples < rows
  let trained: number
  if (sampled) trained = counts.records === 0 ? 0 : Math.round((Math.min(rows, s.maxSamples ?? rows) * counts.kept) / counts.records)
  else trained = capped ? counts.keptInFirst : counts.kept
  const loads = counts.fatal.length === 0
  const parts = [
    `${s.name} (${s.stage}${s.stageInferred ? ', inferred' : ''}): `,
    !loads ? `LF cannot load it (${counts.fatal.join(', ')}); of the records read, ` : counts.crashes > 0 ? `LF stops with an error on ${counts.crashes} record(s); otherwise ` : '',
    `would train on ${sampled ? 'about ' : ''}${trained} of ${counts.records} examples`,
    nDropped > 0 ? ` (${nDropped} dropped: ${reasons})` : '',
    sampled ? `; num_samples draws ${s.numSamples} rows at random` : '',
    capped ? `; max_samples ${s.maxSamples} keeps the first ${s.maxSamples} rows` : '',
    s.tokens?.blocks !== undefined ? `; packed into ${s.tokens.blocks} blocks of ${s.tokens.cutoff_len} tokens` : '',
  ]
  return {
    name: s.name, stage: s.stage, stage_inferred: s.stageInferred, files: s.files, records: counts.records, kept: counts.kept, trained,
    dropped, crashes: counts.crashes, loads, ...(s.tokens ? {tokens: s.tokens} : {}), summary: parts.join(''),
  }
}
