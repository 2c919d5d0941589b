import {existsSync} from 'node:fs'
import {dirname, isAbsolute, join, resolve} from 'node:path'

import jsonc from 'jsonc-parser'

import {LfdataError} from '../errors.js'
import {readDatasetInfoFile} from '../io/dataset-files.js'
import {validateDatasetInfo, type DatasetInfo} from '../lf/dataset-info.js'
import {COLUMN_KEYS, TAG_KEYS} from '../lf/types.js'
import {closest, type Diagnostics} from './diagnostics.js'

export interface LoadedInfo {
  path: string
  info: DatasetInfo
  /** 1-based line of each entry's name. */
  lines: Map<string, number>
}

/** Keys people put in columns/tags for the ones LF reads. */
const ALIASES: Record<string, string> = {
  instruction: 'prompt', question: 'prompt', input: 'query', output: 'response', answer: 'response', conversations: 'messages',
  label: 'kto_tag', image: 'images', video: 'videos', audio: 'audios',
  role: 'role_tag', from: 'role_tag', content: 'content_tag', value: 'content_tag', user: 'user_tag', human: 'user_tag',
  assistant: 'assistant_tag', gpt: 'assistant_tag', system: 'system_tag', observation: 'observation_tag', function: 'function_tag',
  function_call: 'function_tag', tool: 'observation_tag',
}

const ENTRY_HINTS: Record<string, string> = {
  max_samples: 'LF reads max_samples from the train YAML only; num_samples here samples at random',
  file_sha1: 'a legacy key LF no longer reads',
}

/**
 * dataset_info.json as LF's get_dataset_list reads it (Python open + json.load: strict JSON, locale encoding,
 * no BOM), plus the schema and the keys LF ignores. Undefined when there is nothing usable.
 */
export function loadDatasetInfo(datasetDir: string, diags: Diagnostics, configFile?: string): LoadedInfo | undefined {
  const path = join(datasetDir, 'dataset_info.json')
  if (!existsSync(path)) {
    const besideYaml = configFile && !isAbsolute(datasetDir) ? join(dirname(configFile), datasetDir) : undefined
    const hint = besideYaml && existsSync(join(besideYaml, 'dataset_info.json')) ? `; there is one at ${join(besideYaml, 'dataset_info.json')}: launch LF from ${resolve(dirname(configFile!))} or make dataset_dir absolute` : ''
    diags.add('LF201', 'dataset_info.json not found', {file: path}, `Cannot open ${path} (resolved from ${process.cwd()})${hint}`)
    return undefined
  }
  let file: {text: string; info: unknown}
  try {
    file = readDatasetInfoFile(path)
  } catch (error) {
    if (!(error instanceof LfdataError)) throw error
    diags.add('LF202', 'dataset_info.json is not valid JSON', {file: path, line: error.location?.line}, error.message.replace(/ — .*$/, '').replace(/^dataset_info.json is not valid JSON: /, ''))
    return undefined
  }
  const text = file.text
  const info = file.info as DatasetInfo
  const lines = new Map<string, number>()
  if (info !== null && typeof info === 'object' && !Array.isArray(info)) {
    const seen = new Set<string>()
    // Keys come in offset order: count lines from the previous key, not from the start (40k entries stay linear).
    let line = 1
    let from = 0
    for (const member of jsonc.parseTree(text)?.children ?? []) {
      const key = member.children![0]!
      const name = key.value as string
      for (let i = text.indexOf('\n', from); i !== -1 && i < key.offset; i = text.indexOf('\n', i + 1)) line++
      from = key.offset
      if (seen.has(name)) diags.add('LF213', 'dataset defined twice in dataset_info.json', {file: path, line, dataset: name})
      seen.add(name)
      lines.set(name, line)
    }
  }
  schemaProblems(info, path, lines, diags)
  return {path, info, lines}
}

function schemaProblems(info: DatasetInfo, file: string, lines: Map<string, number>, diags: Diagnostics): void {
  const names = Object.keys(info ?? {}).sort((a, b) => b.length - a.length)
  for (const p of validateDatasetInfo(info)) {
    const dataset = names.find((n) => p.path === n || p.path.startsWith(`${n}.`))
    const at = {file, line: dataset === undefined ? undefined : lines.get(dataset), dataset}
    const rest = dataset === undefined ? p.path : p.path.slice(dataset.length + 1)
    const [block, key] = rest.split('.')
    if (p.message.startsWith('unknown key') && key !== undefined && (block === 'columns' || block === 'tags')) {
      const valid = block === 'columns' ? COLUMN_KEYS : TAG_KEYS
      const meant = ALIASES[key] !== undefined && (valid as readonly string[]).includes(ALIASES[key]) ? ALIASES[key] : closest(key, valid)
      diags.add('LF211', `unknown key in "${block}": LF ignores it`, at, `${block}.${key}${meant ? ` — did you mean "${meant}"?` : ''} (LF reads ${valid.join(', ')})`)
    } else if (p.message.startsWith('unknown key') && block !== undefined && key === undefined) {
      diags.add('LF204', 'unknown key in a dataset_info.json entry: LF ignores it', at, `"${block}"${ENTRY_HINTS[block] ? `: ${ENTRY_HINTS[block]}` : ''}`)
    } else {
      const formatting = block === 'formatting' ? (info[dataset ?? '']?.formatting as unknown) : undefined
      const hint = typeof formatting === 'string' ? closest(formatting, ['alpaca', 'sharegpt', 'openai']) : undefined
      diags.add('LF203', 'entry does not match the dataset_info.json schema', at, `${rest || '(entry)'}: ${p.message}${hint ? ` — did you mean "${hint}"? ("Dataset converter ${String(formatting)} not found")` : ''}`)
    }
  }
}
