/**
 * LLaMA-Factory's data model, as lfdata mirrors it. Every command that needs LF semantics (convert's
 * filters, stats' counting, register, check) goes through src/lf/, so LF behaviour is written once.
 */

/** One input record as LF's converters see it (a row of the HF dataset). Readers in src/io produce it. */
export type RawRecord = Record<string, unknown>

/** LF's Role enum values (data_utils.Role). */
export type LfRole = 'user' | 'assistant' | 'system' | 'function' | 'observation'

export interface LfMessage {
  role: LfRole
  /** LF passes content through untouched; non-strings are what make examples drop or crash later. */
  content: unknown
}

export type Formatting = 'alpaca' | 'sharegpt' | 'openai'

/** LF training stages (hparams/finetuning_args.py). */
export type Stage = 'pt' | 'sft' | 'rm' | 'ppo' | 'dpo' | 'kto'

/** The formattings a dataset_info.json entry may name. */
export const FORMATTINGS = ['alpaca', 'sharegpt', 'openai'] as const

/** The column keys a dataset_info.json `columns` block may hold. */
export const COLUMN_KEYS = [
  'prompt', 'query', 'response', 'history', 'messages', 'system', 'tools',
  'images', 'videos', 'audios', 'chosen', 'rejected', 'kto_tag',
] as const
export type ColumnKey = (typeof COLUMN_KEYS)[number]

/** The tag keys a dataset_info.json `tags` block may hold (sharegpt/openai only). */
export const TAG_KEYS = [
  'role_tag', 'content_tag', 'user_tag', 'assistant_tag', 'observation_tag', 'function_tag', 'system_tag',
] as const
export type TagKey = (typeof TAG_KEYS)[number]

/**
 * A dataset_info.json entry after LF's DatasetAttr.join: every column/tag resolved to a name or null
 * (null = LF will not read it). Partial blocks in the JSON leave the unlisted keys null, exactly like LF.
 */
export interface DatasetAttr {
  name: string
  loadFrom: 'file' | 'hf_hub' | 'ms_hub' | 'om_hub' | 'script' | 'cloud_file'
  /** file_name (or hub id / script path / cloud path, depending on loadFrom). */
  datasetName: string
  formatting: Formatting
  ranking: boolean
  subset?: string
  split: string
  folder?: string
  numSamples?: number
  columns: Record<ColumnKey, string | null>
  tags: Record<TagKey, string | null>
  /** The raw `ranking` value when it is not a boolean: LF's stage check (`ranking is True`) then passes either way. */
  rankingValue?: unknown
  /**
   * Set when LF raises on this entry before reading any record: no source key (KeyError: 'file_name') or a
   * formatting no converter has ("Dataset converter X not found.").
   */
  loadError?: {key: 'source' | 'formatting'; message: string}
}

/** The output of LF's converter (the `_prompt`, `_response`, ... columns). */
export interface AlignedExample {
  prompt: LfMessage[]
  response: LfMessage[]
  system: unknown
  tools: unknown
  images: unknown[] | null
  videos: unknown[] | null
  audios: unknown[] | null
}
