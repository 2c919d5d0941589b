import type {RawRecord} from '../io/types.js'

export type Kind = 'string' | 'number' | 'boolean' | 'object' | 'array'

export interface TypeConflict {
  /** Field path, e.g. `conversations[].value`. */
  path: string
  was: Kind
  now: Kind
  /** Line of the row that set the first type. */
  firstLine: number
  firstFile: string
}

const kindOf = (v: unknown): Kind | null => (v === null || v === undefined ? null : Array.isArray(v) ? 'array' : (typeof v as Kind))

/** Beyond this many distinct paths (records keyed by data, not schema) new paths are not tracked. */
const MAX_PATHS = 10_000

/**
 * What HF datasets' Arrow loader infers for JSON: one type per field path across all rows (and all files of
 * a dataset). null fits any type; any other change fails the load ("changed from string to array in row N").
 * Each path is reported once, at the first row that conflicts.
 */
export class TypeTracker {
  private readonly first = new Map<string, {kind: Kind; line: number; file: string}>()
  private readonly conflicted = new Set<string>()

  visit(record: RawRecord, file: string, line: number, report: (c: TypeConflict) => void): void {
    for (const key of Object.keys(record)) this.check(key, record[key], file, line, report)
  }

  private check(path: string, value: unknown, file: string, line: number, report: (c: TypeConflict) => void): void {
    const kind = kindOf(value)
    if (kind === null || this.conflicted.has(path)) return
    const seen = this.first.get(path)
    if (!seen) {
      if (this.first.size >= MAX_PATHS) return
      this.first.set(path, {kind, line, file})
    } else if (seen.kind !== kind) {
      this.conflicted.add(path)
      report({path, was: seen.kind, now: kind, firstLine: seen.line, firstFile: seen.file})
      return
    }
    if (kind === 'array') {
      for (const item of value as unknown[]) {
        if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
          for (const k of Object.keys(item)) this.check(`${path}[].${k}`, (item as RawRecord)[k], file, line, report)
        } else this.check(`${path}[]`, item, file, line, report)
      }
    } else if (kind === 'object') {
      for (const k of Object.keys(value as object)) this.check(`${path}.${k}`, (value as RawRecord)[k], file, line, report)
    }
  }
}
