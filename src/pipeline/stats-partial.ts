import {readFile, stat} from 'node:fs/promises'

import {InputError, UsageError} from '../errors.js'
import {writeFileAtomic} from '../io/atomic.js'
import type {Stage} from '../lf/types.js'
import type {Reporter} from '../reporter.js'
import type {ShardSpec} from '../shard/spec.js'
import {LengthHistogram} from '../measure/length-histogram.js'
import {VERSION} from '../version.js'
import {finishStats, measureStats, type StatsOptions, type StatsResult, type StatsTally} from './stats.js'

/**
 * What `stats --shard I/N --partial P.json` writes: exact length counts (length → count), never sketches, so
 * `stats merge` gives the single run's result to the token. `run` pins what every shard must agree on.
 */
export interface StatsPartial {
  lfdata_stats_partial: 1
  tool: {name: 'lfdata'; version: string}
  shard: ShardSpec
  run: {tokenizer: string; template: string; stage: string | null; percentile: number; round: number; switches: StatsResult['switches']; inputs: {path: string; bytes: number}[]}
  vocabulary: string | null
  template_source?: string
  stage: Stage
  dropped: Record<string, number>
  prompt_tokens: number
  response_tokens: number
  trained_tokens: number
  media_examples: number
  lengths: [number, number][]
  datasets: {name: string; files: string[]; dropped: Record<string, number>; lengths: [number, number][]}[]
  first_file?: string
}

export interface StatsPartialResult {
  partial: string
  shard: ShardSpec
  examples: number
  dropped: Record<string, number>
}

/** Measures one shard and writes its partial. */
export async function writeStatsPartial(opts: StatsOptions & {shard: ShardSpec}, path: string, reporter: Reporter): Promise<StatsPartialResult> {
  const tally = await measureStats(opts, reporter)
  const files = [...new Set(tally.datasets.flatMap((d) => d.files))]
  const inputs = await Promise.all(files.map(async (f) => ({path: f, bytes: (await stat(f)).size})))
  const partial: StatsPartial = {
    lfdata_stats_partial: 1,
    tool: {name: 'lfdata', version: VERSION},
    shard: opts.shard,
    run: {tokenizer: tally.tokenizer, template: tally.template, stage: opts.stage ?? null, percentile: opts.percentile, round: opts.round, switches: tally.switches, inputs},
    vocabulary: tally.vocabulary,
    ...(tally.templateSource ? {template_source: tally.templateSource} : {}),
    stage: tally.stage,
    dropped: tally.dropped,
    prompt_tokens: tally.prompt,
    response_tokens: tally.response,
    trained_tokens: tally.trained,
    media_examples: tally.media,
    lengths: tally.all.entries(),
    datasets: tally.datasets.map((d) => ({name: d.name, files: d.files, dropped: d.dropped, lengths: d.lengths.entries()})),
    ...(tally.firstFile ? {first_file: tally.firstFile} : {}),
  }
  await writeFileAtomic(path, JSON.stringify(partial) + '\n')
  return {partial: path, shard: opts.shard, examples: tally.all.n, dropped: tally.dropped}
}

const addCounts = (into: Record<string, number>, from: Record<string, number>) => {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v
}

async function readPartial(path: string): Promise<StatsPartial> {
  let parsed: Partial<StatsPartial>
  try {
    parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<StatsPartial>
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT'
    if (missing) throw new UsageError(`partial not found: ${path}`, {code: 'E_NOT_FOUND'})
    throw new InputError('E_PARTIAL', 'not a stats partial (invalid JSON)', {location: {file: path}, suggestion: 'pass the files `lfdata stats --shard I/N --partial P.json` wrote'})
  }
  if (parsed.lfdata_stats_partial !== 1) throw new InputError('E_PARTIAL', 'not an lfdata stats partial', {location: {file: path}, suggestion: 'pass the files `lfdata stats --shard I/N --partial P.json` wrote'})
  return parsed as StatsPartial
}

/**
 * `stats merge`: adds up the partials of every shard of one run. They must be shards 0..N-1 of the same N,
 * each exactly once, measured with the same tokenizer, template, stage, percentile and the same input files
 * (paths and sizes) — anything else would be a different run, and is refused.
 */
export async function mergeStatsPartials(paths: string[]): Promise<StatsResult> {
  const started = Date.now()
  if (paths.length === 0) throw new UsageError('no partials given', {suggestion: 'lfdata stats merge parts/*.json'})
  const partials = await Promise.all(paths.map(readPartial))
  const first = partials[0]!
  const count = first.shard.count
  const seen = new Map<number, string>()
  for (const [i, p] of partials.entries()) {
    if (JSON.stringify(p.run) !== JSON.stringify(first.run) || p.shard.count !== count) {
      throw new InputError('E_PARTIAL_MISMATCH', `partial is from a different run than ${paths[0]} (tokenizer, template, switches, stage, percentile, inputs or shard count differ)`, {
        location: {file: paths[i]}, suggestion: 'merge the partials of one run, all made with the same flags',
      })
    }
    const dup = seen.get(p.shard.index)
    if (dup) throw new UsageError(`shard ${p.shard.index}/${count} given twice: ${dup} and ${paths[i]}`)
    seen.set(p.shard.index, paths[i]!)
  }
  const missing = Array.from({length: count}, (_, i) => i).filter((i) => !seen.has(i))
  if (missing.length > 0) throw new UsageError(`missing shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${count}`).join(', ')}`, {suggestion: 'run stats --shard for every shard before merging'})

  partials.sort((a, b) => a.shard.index - b.shard.index)
  const tally: StatsTally = {
    tokenizer: first.run.tokenizer, vocabulary: first.vocabulary, template: first.run.template, templateSource: first.template_source, stage: partials.at(-1)!.stage,
    all: new LengthHistogram(), dropped: {}, prompt: 0, response: 0, trained: 0, media: 0, switches: first.run.switches, lengthsInOrder: [],
    datasets: first.datasets.map((d) => ({name: d.name, files: d.files, dropped: {}, lengths: new LengthHistogram()})),
    firstFile: first.first_file,
  }
  for (const p of partials) {
    tally.all.merge(LengthHistogram.from(p.lengths))
    addCounts(tally.dropped, p.dropped)
    tally.prompt += p.prompt_tokens
    tally.response += p.response_tokens
    tally.trained += p.trained_tokens
    tally.media += p.media_examples
    for (const [i, d] of p.datasets.entries()) {
      tally.datasets[i]!.lengths.merge(LengthHistogram.from(d.lengths))
      addCounts(tally.datasets[i]!.dropped, d.dropped)
    }
  }
  return finishStats(tally, {percentile: first.run.percentile, round: first.run.round, packing: false}, started)
}
