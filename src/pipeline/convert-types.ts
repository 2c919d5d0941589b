import type {InputFormat} from '../io/types.js'
import type {DropFn, NearField} from '../transforms/example.js'
import type {FilterOptions} from '../transforms/filters.js'
import type {RepairCounts} from '../transforms/fix-roles.js'
import type {Field, Mapping} from '../transforms/mapping.js'
import type {NormalizeOptions} from '../transforms/normalize.js'
import type {OutputLayout, Target} from '../transforms/to-output.js'
import type {ShardSpec} from '../shard/spec.js'

// The convert use case's options and result, apart from convert.ts so that convert-jobs.ts and merge.ts can
// name them without an import cycle.

export interface ConvertOptions {
  inputs: string[]
  output: string
  to?: Target
  map: Partial<Record<Field, string>>
  system?: string
  inputFormat?: InputFormat
  delimiter?: string
  encoding?: string
  normalize: NormalizeOptions
  filters: FilterOptions
  fixRoles: boolean
  dedup: 'exact' | 'near' | 'none'
  nearThreshold: number
  nearFields: readonly NearField[]
  dedupReport?: string
  rejects?: string
  limit?: number
  /** What a line or row that does not parse does: stop the run (default) or become a `parse_error` reject. */
  onError?: 'fail' | 'skip'
  /** Sees every dropped record (convert --report collects examples and duplicate clusters through it). */
  onDrop?: DropFn
  /** convert --report's path: written by the command afterwards, guarded here with the other outputs. */
  report?: string
  /** Convert only this shard of the inputs into OUTPUT/part-I-of-N.jsonl, leaving dedup to `lfdata merge` (src/shard/). */
  shard?: ShardSpec
  /** Set by convert --jobs on its shards: their files are its own scratch (not fsynced; src/io/atomic.ts). */
  scratch?: boolean
  /** Cores to convert with: worker threads for the plain-row lane, else shard processes (src/pipeline/convert-jobs.ts, jobsFor). */
  jobs?: number
}

export interface ConvertResult {
  output: string
  manifest: string | null
  rejects: string | null
  format: 'jsonl' | 'json' | 'arrow'
  formatting: OutputLayout['formatting']
  ranking: boolean
  stage: OutputLayout['stage']
  columns: OutputLayout['columns']
  tags: NonNullable<OutputLayout['tags']> | null
  mapping: Mapping['columns']
  mapping_auto: Field[]
  records_in: number
  records_out: number
  dropped: Record<string, number>
  repaired: RepairCounts | null
  bytes: number
  sha256: string
  seconds: number
  /** With --shard: the shard's log and summary for `lfdata merge` (the output is the part, before dedup). */
  shard?: {index: number; count: number; meta: string}
}
