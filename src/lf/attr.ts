import {COLUMN_KEYS, TAG_KEYS, type ColumnKey, type DatasetAttr, type Formatting, type TagKey} from './types.js'
import type {DatasetInfoEntry} from './dataset-info.js'

/** DatasetAttr's class defaults in LF (parser.py): the same whatever the formatting. */
export const DEFAULT_COLUMNS: Record<ColumnKey, string | null> = {
  prompt: 'instruction', query: 'input', response: 'output', history: null, messages: 'conversations',
  system: null, tools: null, images: null, videos: null, audios: null, chosen: null, rejected: null, kto_tag: null,
}
export const DEFAULT_TAGS: Record<TagKey, string | null> = {
  role_tag: 'from', content_tag: 'value', user_tag: 'human', assistant_tag: 'gpt',
  observation_tag: 'observation', function_tag: 'function_call', system_tag: 'system',
}

/** The dataset stage LF checks `ranking` against: DPO/ORPO/SimPO load data as stage "rm". */
export const DATA_STAGE = {pt: 'pt', sft: 'sft', rm: 'rm', dpo: 'rm', ppo: 'ppo', kto: 'kto'} as const

/**
 * LF's get_dataset_list + DatasetAttr.join for one entry. The rule that bites: a `columns` (or `tags`) block
 * that is present replaces EVERY key of its kind — keys it does not list become null, not their defaults.
 */
export function resolveDatasetAttr(name: string, entry: DatasetInfoEntry): DatasetAttr {
  let loadFrom: DatasetAttr['loadFrom']
  let datasetName: string
  if (entry.hf_hub_url !== undefined || entry.ms_hub_url !== undefined || entry.om_hub_url !== undefined) {
    // Without USE_MODELSCOPE_HUB / USE_OPENMIND_HUB, LF prefers the HF url when there is one.
    if (entry.hf_hub_url !== undefined) [loadFrom, datasetName] = ['hf_hub', entry.hf_hub_url]
    else if (entry.ms_hub_url !== undefined) [loadFrom, datasetName] = ['ms_hub', entry.ms_hub_url]
    else [loadFrom, datasetName] = ['om_hub', entry.om_hub_url as string]
  } else if (entry.script_url !== undefined) [loadFrom, datasetName] = ['script', entry.script_url]
  else if (entry.cloud_file_name !== undefined) [loadFrom, datasetName] = ['cloud_file', entry.cloud_file_name]
  else [loadFrom, datasetName] = ['file', entry.file_name ?? '']

  const columns = {...DEFAULT_COLUMNS}
  if (entry.columns !== undefined) for (const k of COLUMN_KEYS) columns[k] = entry.columns[k] ?? null
  const tags = {...DEFAULT_TAGS}
  if (entry.tags !== undefined) for (const k of TAG_KEYS) tags[k] = entry.tags[k] ?? null
  return {
    name,
    loadFrom,
    datasetName,
    formatting: (entry.formatting ?? 'alpaca') as Formatting,
    ranking: entry.ranking ?? false,
    subset: entry.subset,
    split: entry.split ?? 'train',
    folder: entry.folder,
    numSamples: entry.num_samples,
    columns,
    tags,
  }
}

/**
 * A `columns` block to write: every column the data uses, named explicitly. A block that is present nulls
 * every key it leaves out, so nothing may rely on LF's defaults — and keys the data lacks must stay out
 * (LF would KeyError on e.g. a default `input` column that a text-only file does not have).
 */
export function completeColumns(formatting: Formatting, given: Partial<Record<ColumnKey, string>>): Partial<Record<ColumnKey, string>> {
  const out: Partial<Record<ColumnKey, string>> = {}
  const main: ColumnKey = formatting === 'alpaca' ? 'prompt' : 'messages'
  out[main] = given[main] ?? (DEFAULT_COLUMNS[main] as string)
  for (const k of COLUMN_KEYS) if (k !== main && given[k]) out[k] = given[k]
  return out
}

/** A complete `tags` block (all seven tags), defaults filled in. */
export function completeTags(given: Partial<Record<TagKey, string>> = {}): Record<TagKey, string> {
  const out = {} as Record<TagKey, string>
  for (const k of TAG_KEYS) out[k] = given[k] ?? (DEFAULT_TAGS[k] as string)
  return out
}
