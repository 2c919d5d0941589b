import type {RawRecord} from '../io/types.js'
import {DEFAULT_COLUMNS, DEFAULT_TAGS} from '../lf/attr.js'
import type {DatasetInfoEntry} from '../lf/dataset-info.js'
import {pyTruthy} from '../lf/py.js'
import {TAG_KEYS, type ColumnKey, type DatasetAttr, type TagKey} from '../lf/types.js'
import type {Diagnostics, Location} from './diagnostics.js'

/**
 * Partial columns/tags blocks: LF nulls every key a present block leaves out, so a default column or role the
 * data relies on is silently ignored. Watches the records for the first place that happens.
 */
export class PartialBlocks {
  private readonly columns = new Map<string, ColumnKey>()
  private readonly roles = new Map<string, TagKey>()

  constructor(private readonly attr: DatasetAttr, entry: DatasetInfoEntry, private readonly diags: Diagnostics) {
    const mapped = new Set(Object.values(attr.columns))
    if (entry.columns) {
      const relevant: ColumnKey[] = attr.formatting === 'alpaca' ? ['prompt', 'query', 'response'] : ['messages']
      for (const k of relevant) {
        const def = DEFAULT_COLUMNS[k]
        if (attr.columns[k] === null && def && !mapped.has(def)) this.columns.set(def, k)
      }
    }
    if (entry.tags && attr.formatting !== 'alpaca') {
      const effective = new Set(Object.values(attr.tags))
      for (const k of TAG_KEYS) {
        const def = DEFAULT_TAGS[k]
        if (attr.tags[k] === null && k !== 'role_tag' && k !== 'content_tag' && def && !effective.has(def)) this.roles.set(def, k)
      }
    }
  }

  visit(record: RawRecord, at: Location): void {
    for (const [column, key] of this.columns) {
      if (!pyTruthy(record[column])) continue
      this.diags.add('LF205', 'partial columns block: a column the data uses is ignored', at, `columns omits "${key}", so LF nulls it and ignores the "${column}" column`)
      this.columns.delete(column)
    }
    const {messages} = this.attr.columns
    const roleTag = this.attr.tags.role_tag
    if (this.roles.size === 0 || !messages || !roleTag || !Array.isArray(record[messages])) return
    for (const m of record[messages] as unknown[]) {
      const role = (m as RawRecord | null)?.[roleTag]
      const key = typeof role === 'string' ? this.roles.get(role) : undefined
      if (!key) continue
      this.diags.add('LF206', 'partial tags block: a role the data uses is not recognised', at, `tags omits ${key}, so LF nulls it and "${String(role)}" turns break the example`)
      this.roles.delete(role as string)
    }
  }
}
