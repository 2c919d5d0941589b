import {SHAREGPT_TAGS} from './attr.js'
import type {DatasetInfoEntry} from './dataset-info.js'
import type {RawRecord} from './types.js'

/**
 * A dataset_info.json entry for a file nobody registered, guessed from its first record: conversations
 * (ShareGPT with the role/content keys and role names the data uses) or flat Alpaca columns. `keys`, when
 * known, are the columns of the whole file (a later record may have a system prompt the first lacks).
 */
export function sniffEntry(file: string, record: RawRecord, keys?: Iterable<string>): DatasetInfoEntry {
  const all = keys ? new Set(keys) : undefined
  const has = (k: string) => all?.has(k) || Object.hasOwn(record, k)
  const listKey = ['conversations', 'messages'].find((k) => Array.isArray(record[k]))
  if (!listKey) {
    const columns: Record<string, string> = {}
    for (const [col, names] of [['prompt', ['instruction', 'prompt', 'question']], ['query', ['input']], ['response', ['output', 'response', 'answer']], ['system', ['system']], ['history', ['history']], ['chosen', ['chosen']], ['rejected', ['rejected']], ['kto_tag', ['kto_tag']], ['images', ['images']], ['videos', ['videos']], ['audios', ['audios']]] as const) {
      const hit = names.find(has)
      if (hit) columns[col] = hit
    }
    if (has('text') && !columns.prompt) columns.prompt = 'text'
    return {file_name: file, formatting: 'alpaca', ranking: Boolean(columns.chosen && columns.rejected), columns}
  }
  const first = (record[listKey] as Record<string, unknown>[]).find((m) => m && typeof m === 'object') ?? {}
  const openai = Object.hasOwn(first, 'role')
  const columns: Record<string, string> = {messages: listKey}
  for (const k of ['system', 'tools', 'chosen', 'rejected', 'kto_tag', 'images', 'videos', 'audios']) if (has(k)) columns[k] = k
  return {
    file_name: file,
    formatting: 'sharegpt',
    ranking: Boolean(columns.chosen && columns.rejected),
    columns,
    tags: openai
      ? {role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant', observation_tag: 'tool', function_tag: 'function_call', system_tag: 'system'}
      : {...SHAREGPT_TAGS},
  }
}
