import {sep} from 'node:path'

import {CODES, type Code, type Severity} from './codes.js'

/** Where a diagnostic points: file:line and/or dataset and record (1-based index within the dataset). */
export interface Location {
  file?: string
  line?: number
  dataset?: string
  record?: number
}

/** One more place a grouped diagnostic occurred, with what was wrong there. */
export interface Occurrence {
  file?: string
  line?: number
  record?: number
  detail?: string
}

export interface Diagnostic extends Location {
  code: Code
  severity: Severity
  /** The same for every occurrence of the group; specifics go in `detail`. */
  message: string
  fix: string
  /** What was wrong at the first location. */
  detail?: string
  /** How many times it occurred. */
  count: number
  /** The next occurrences, up to the configured number of locations. */
  more?: Occurrence[]
}

const ORDER: Record<Severity, number> = {error: 0, warning: 1, info: 2}

/**
 * Collects diagnostics, grouping identical ones (same code, dataset and message) into one with a count and its
 * first few locations. Messages are generic per group, so memory stays bounded whatever the number of records.
 */
export class Diagnostics {
  private readonly groups = new Map<string, Diagnostic>()

  /** @param locations how many locations to keep per group (the first included). */
  constructor(private readonly locations = 5) {}

  /** Files (or folders) outside the dataset dir: diagnostics about them name the path, never a detail quoting their content. */
  private readonly redacted: string[] = []

  redact(path: string): void {
    this.redacted.push(path)
  }

  /** `detail` may be a function, called only for an occurrence that is kept (a "did you mean" costs ~1 ms). */
  add(code: Code, message: string, at: Location = {}, lazyDetail?: string | (() => string | undefined)): void {
    const key = `${code}\u0000${at.dataset ?? ''}\u0000${message}`
    const seen = this.groups.get(key)
    const file = at.file
    const hidden = file !== undefined && this.redacted.some((p) => file === p || file.startsWith(`${p}${sep}`))
    const detail = () => (hidden ? undefined : typeof lazyDetail === 'function' ? lazyDetail() : lazyDetail)
    if (!seen) {
      const {severity, fix} = CODES[code]
      const text = detail()
      this.groups.set(key, {code, severity, message, fix, ...at, ...(text === undefined ? {} : {detail: text}), count: 1})
      return
    }
    seen.count++
    if (1 + (seen.more?.length ?? 0) < this.locations) {
      const more: Occurrence = {file: at.file, line: at.line, record: at.record, detail: detail()}
      for (const k of Object.keys(more) as (keyof Occurrence)[]) if (more[k] === undefined) delete more[k]
      ;(seen.more ??= []).push(more)
    }
  }

  has(code: Code, dataset?: string): boolean {
    for (const d of this.groups.values()) if (d.code === code && (dataset === undefined || d.dataset === dataset)) return true
    return false
  }

  /** Errors first, then warnings, then infos; by code within a severity, in order of discovery within a code. */
  list(): Diagnostic[] {
    return [...this.groups.values()].sort((a, b) => ORDER[a.severity] - ORDER[b.severity] || a.code.localeCompare(b.code))
  }

  count(severity: Severity): number {
    let n = 0
    for (const d of this.groups.values()) if (d.severity === severity) n++
    return n
  }
}

/** Levenshtein distance, for "did you mean". */
export function distance(a: string, b: string): number {
  const prev = Array.from({length: b.length + 1}, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!
    prev[0] = i
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1))
      diag = up
    }
  }
  return prev[b.length]!
}

/** The candidate closest to `word`, when it is close enough to be a typo. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined
  let bestD = Infinity
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase())
    if (d < bestD) [best, bestD] = [c, d]
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined
}

/** " — did you mean "x"?" or "". */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const guess = closest(word, candidates)
  return guess === undefined ? '' : ` — did you mean "${guess}"?`
}
