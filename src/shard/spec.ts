import {UsageError} from '../errors.js'

/** One task of a sharded run: shard `index` (0-based) of `count`. */
export interface ShardSpec {
  index: number
  count: number
  /**
   * The fraction of the inputs' bytes this shard reads, [from, to), when not an equal 1/count: convert --jobs
   * gives the process that starts first a bigger share (src/pipeline/convert-jobs.ts). Shards that tile [0, 1)
   * read every record once, whatever the cut.
   */
  share?: {from: number; to: number}
}

/** Parses `--shard I/N` (I 0-based, N ≥ 1). The scheduler's index is passed by the recipe, never read from the environment. */
export function parseShard(text: string): ShardSpec {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim())
  const index = m ? Number(m[1]) : NaN
  const count = m ? Number(m[2]) : NaN
  if (!m || count < 1 || index >= count) {
    throw new UsageError(`--shard must be I/N with 0 ≤ I < N, got "${text}"`, {suggestion: 'e.g. --shard 0/4 … --shard 3/4 (with Slurm: --shard $SLURM_ARRAY_TASK_ID/N)'})
  }
  return {index, count}
}

/** `part-I-of-N` with both numbers zero-padded to N's width, so a sorted listing is shard order. */
export function partName(shard: ShardSpec): string {
  const width = String(shard.count).length
  return `part-${String(shard.index).padStart(width, '0')}-of-${shard.count}`
}
