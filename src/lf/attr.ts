import type {DatasetInfoEntry} from './dataset-info.js'
import {pyTruthy} from './py.js'
import {COLUMN_KEYS, FORMATTINGS, TAG_KEYS, type ColumnKey, type DatasetAttr, type Formatting, type Stage, type TagKey} from './types.js'

/** DatasetAttr's class defaults in LF (parser.py): the same whatever the formatting, openai included. */
export const DEFAULT_COLUMNS: Readonly<Record<ColumnKey, string | null>> = {
  prompt: 'instruction', query: 'input', response: 'output', history: null, messages: 'conversations',
  system: null, tools: null, images: null, videos: null, audios: null, chosen: null, rejected: null, kto_tag: null,
}
/** LF's default ShareGPT tags (from/value, human/gpt/…): what a sharegpt entry without `tags` reads. */
export const SHAREGPT_TAGS: Readonly<Record<TagKey, string>> = {
  role_tag: 'from', content_tag: 'value', user_tag: 'human', assistant_tag: 'gpt',
  observation_tag: 'observation', function_tag: 'function_call', system_tag: 'system',
}
export const DEFAULT_TAGS: Readonly<Record<TagKey, string | null>> = SHAREGPT_TAGS

/** The stage LF loads data for: DPO (and ORPO/SimPO, which run as dpo) load it as "rm". */
export const DATA_STAGE = {pt: 'pt', sft: 'sft', rm: 'rm', dpo: 'rm', ppo: 'ppo', kto: 'kto'} as const

/**
 * The stage a dataset is meant for, read off its entry (raw or resolved): `ranking` → dpo, a kto_tag column →
 * kto, Alpaca with a prompt and no response column → pt (LF's c4_demo), otherwise sft. LF itself takes the
 * stage from the train YAML; this is lfdata's default when neither the YAML nor --stage says.
 */
export function datasetStage(d: {ranking?: unknown; formatting?: string; columns?: Partial<Record<ColumnKey, string | null>>}): Stage {
  if (d.ranking === true) return 'dpo'
  if (d.columns?.kto_tag) return 'kto'
  if ((d.formatting ?? 'alpaca') === 'alpaca' && d.columns?.prompt && !d.columns.response) return 'pt'
  return 'sft'
}

/** LF's USE_MODELSCOPE_HUB / USE_OPENMIND_HUB switches, which change which hub url wins. */
export interface HubEnv {
  useModelscope?: boolean
  useOpenmind?: boolean
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)
/** Python's str() of a JSON value, for messages that quote LF. */
const pyStr = (v: unknown): string => (v === null || v === undefined ? 'None' : typeof v === 'string' ? v : JSON.stringify(v))

function source(e: Record<string, unknown>, env: HubEnv): Pick<DatasetAttr, 'loadFrom' | 'datasetName' | 'loadError'> {
  const has = (k: string) => Object.hasOwn(e, k)
  const named = (loadFrom: DatasetAttr['loadFrom'], key: string) => ({loadFrom, datasetName: str(e[key]) ?? ''})
  if (has('hf_hub_url') || has('ms_hub_url') || has('om_hub_url')) {
    if (has('ms_hub_url') && (env.useModelscope || !has('hf_hub_url'))) return named('ms_hub', 'ms_hub_url')
    if (has('om_hub_url') && (env.useOpenmind || !has('hf_hub_url'))) return named('om_hub', 'om_hub_url')
    return named('hf_hub', 'hf_hub_url')
  }
  if (has('script_url')) return named('script', 'script_url')
  if (has('cloud_file_name')) return named('cloud_file', 'cloud_file_name')
  if (has('file_name')) return named('file', 'file_name')
  return {loadFrom: 'file', datasetName: '', loadError: {key: 'source', message: "KeyError: 'file_name' (the entry names no file_name, hub url, script_url or cloud_file_name)"}}
}

/** LF's `set_attr` over a columns/tags block: a present block sets EVERY key, unlisted ones to None. */
function block<K extends string>(keys: readonly K[], defaults: Readonly<Record<K, string | null>>, present: boolean, value: unknown): Record<K, string | null> {
  if (!present) return {...defaults}
  const given = isObject(value) ? value : {}
  return Object.fromEntries(keys.map((k) => [k, str(given[k]) ?? null])) as Record<K, string | null>
}

/**
 * LF's get_dataset_list + DatasetAttr.join for one entry. Source precedence: hub urls (hf unless the env
 * prefers ModelScope/OpenMind or hf is absent) > script_url > cloud_file_name > file_name. Defaults:
 * formatting alpaca, ranking false, split train. The rule that bites: a `columns` (or `tags`) block that is
 * present replaces EVERY key of its kind, so keys it does not list become null, not their defaults.
 */
export function resolveDatasetAttr(name: string, entry: DatasetInfoEntry | Record<string, unknown>, env: HubEnv = {}): DatasetAttr {
  const e: Record<string, unknown> = isObject(entry) ? entry : {}
  const has = (k: string) => Object.hasOwn(e, k)
  const src = source(e, env)
  const rawFormatting = has('formatting') ? e.formatting : 'alpaca'
  const known = (FORMATTINGS as readonly unknown[]).includes(rawFormatting)
  const rawRanking = has('ranking') ? e.ranking : false
  const attr: DatasetAttr = {
    name,
    loadFrom: src.loadFrom,
    datasetName: src.datasetName,
    formatting: known ? (rawFormatting as Formatting) : 'alpaca',
    ranking: pyTruthy(rawRanking),
    subset: str(e.subset),
    split: str(e.split) ?? 'train',
    folder: str(e.folder),
    numSamples: typeof e.num_samples === 'number' ? e.num_samples : undefined,
    columns: block(COLUMN_KEYS, DEFAULT_COLUMNS, has('columns'), e.columns),
    tags: block(TAG_KEYS, DEFAULT_TAGS, has('tags'), e.tags),
  }
  if (typeof rawRanking !== 'boolean') attr.rankingValue = rawRanking
  if (src.loadError) attr.loadError = src.loadError
  else if (!known) attr.loadError = {key: 'formatting', message: `Dataset converter ${pyStr(rawFormatting)} not found.`}
  return attr
}

/**
 * LF's stage check in _get_merged_dataset, identity semantics included: rm-stage data (rm, dpo) needs
 * `ranking: true`, every other stage `ranking: false`; a non-boolean ranking passes both tests.
 */
export function stageError(attr: DatasetAttr, stage: Stage): string | null {
  const ranking = attr.rankingValue === undefined ? attr.ranking : attr.rankingValue
  const rm = DATA_STAGE[stage] === 'rm'
  return (rm && ranking === false) || (!rm && ranking === true) ? 'The dataset is not applicable in the current training stage.' : null
}

/**
 * A `columns` block to write: every column the data uses, named explicitly. A block that is present nulls
 * every key it leaves out, so nothing may rely on LF's defaults — and keys the data lacks must stay out
 * (LF reads e.g. a default `input` column whenever `query` is set, and a file without it is a KeyError).
 */
export function completeColumns(formatting: Formatting, given: Partial<Record<ColumnKey, string>>): Partial<Record<ColumnKey, string>> {
  const out: Partial<Record<ColumnKey, string>> = {}
  const main: ColumnKey = formatting === 'alpaca' ? 'prompt' : 'messages'
  out[main] = given[main] ?? (DEFAULT_COLUMNS[main] as string)
  for (const k of COLUMN_KEYS) if (k !== main && given[k]) out[k] = given[k]
  return out
}

/** A complete `tags` block (all seven tags, system_tag, observation_tag and function_tag included), defaults filled in. */
export function completeTags(given: Partial<Record<TagKey, string>> = {}): Record<TagKey, string> {
  const out = {} as Record<TagKey, string>
  for (const k of TAG_KEYS) out[k] = given[k] ?? (DEFAULT_TAGS[k] as string)
  return out
}
