import {CODES, type Code, type Severity} from './codes.js'

export interface Diagnostic {
  code: Code
  severity: Severity
  message: string
  fix: string
  file?: string
  line?: number
  dataset?: string
  record?: number
  /** How many times this diagnostic occurred (identical code + message), and where the first few were. */
  count: number
  more?: {file?: string; line?: number; record?: number}[]
}

export interface Location {
  file?: string
  line?: number
  dataset?: string
  record?: number
}

const KEEP = 5

/** Collects diagnostics, grouping identical ones (same code and message) with a count and their first locations. */
export class Diagnostics {
  private readonly byKey = new Map<string, Diagnostic>()

  add(code: Code, message: string, at: Location = {}, severity?: Severity): void {
    const key = `${code}\u0000${at.dataset ?? ''}\u0000${message}`
    const seen = this.byKey.get(key)
    if (seen) {
      seen.count++
      if ((seen.more?.length ?? 0) < KEEP - 1) (seen.more ??= []).push({file: at.file, line: at.line, record: at.record})
      return
    }
    this.byKey.set(key, {code, severity: severity ?? CODES[code].severity, message, fix: CODES[code].fix, ...at, count: 1})
  }

  list(): Diagnostic[] {
    const order = {error: 0, warning: 1, info: 2}
    return [...this.byKey.values()].sort((a, b) => order[a.severity] - order[b.severity] || a.code.localeCompare(b.code))
  }

  count(severity: Severity): number {
    return [...this.byKey.values()].filter((d) => d.severity === severity).length
  }
}

/** Levenshtein distance, for "did you mean". */
export function distance(a: string, b: string): number {
  const prev = Array.from({length: b.length + 1}, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!
    prev[0] = i
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1))
      diag = tmp
    }
  }
  return prev[b.length]!
}

export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined
  let bestD = Infinity
  for (const c of candidates) {
    const d = distance(word, c)
    if (d < bestD) [best, bestD] = [c, d]
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined
}
