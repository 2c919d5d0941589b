import v8 from 'node:v8'

import {UsageError} from '../errors.js'
import {loneSurrogate} from '../io/record.js'
import {contentStrings, type DropFn, type Example, type Item} from './example.js'

export interface FilterOptions {
  /** Drop examples whose prompt or response is empty (default on). */
  dropEmpty: boolean
  minChars?: number
  maxChars?: number
  dropRegex?: string
}

// V8's linear-time regexp engine (the /l flag): a user pattern can never backtrack exponentially and hang a run.
// It supports neither /u nor /i: match case with classes ([Aa]s an [Aa][Ii]); astral characters match as surrogate pairs.
v8.setFlagsFromString('--enable-experimental-regexp-engine')

/** Compiles --drop-regex with the linear-time engine; patterns that need backtracking are refused. */
export function compileDropRegex(pattern: string): RegExp {
  try {
    return new RegExp(pattern, 'l')
  } catch (error) {
    const message = (error as Error).message
    const why = message.includes('linear time')
      ? 'it uses backreferences or lookaround, which can take exponential time'
      : message
    throw new UsageError(`--drop-regex ${JSON.stringify(pattern)} is not usable: ${why}`, {
      suggestion: 'write the pattern without backreferences and lookaround (e.g. match the phrase itself)',
    })
  }
}

const chars = (ex: Example) => contentStrings(ex).reduce((n, s) => n + s.length, 0)

/** Why an example is empty, or undefined. The response is the last turn (or chosen/rejected). */
function emptiness(ex: Example): [string, string] | undefined {
  if (ex.kind === 'text') return ex.text === '' ? ['empty_text', 'text is empty'] : undefined
  const {turns} = ex
  if (ex.kind === 'preference') {
    if (ex.chosen === '' || ex.rejected === '') return ['empty_response', `${ex.chosen === '' ? 'chosen' : 'rejected'} is empty`]
    if (turns.at(-1)?.content === '') return ['empty_prompt', 'the last user turn is empty']
  } else {
    if (turns.at(-1)?.content === '') return ['empty_response', 'the response is empty']
    if (turns.at(-2)?.content === '') return ['empty_prompt', 'the prompt is empty']
  }
  const i = turns.findIndex((t) => t.content === '' && t.role !== 'function')
  return i === -1 ? undefined : ['empty_turn', `turn ${i + 1} (${turns[i]!.role}) is empty`]
}

/** A lone surrogate has no UTF-8 form: LF's loader fails on it, so such examples never reach the output. */
function surrogateProblem(ex: Example): string | undefined {
  for (const s of contentStrings(ex)) {
    const at = loneSurrogate(s)
    if (at !== -1) return `lone surrogate \\u${s.charCodeAt(at).toString(16)} at character ${at + 1} of "${s.slice(Math.max(0, at - 20), at)}…"`
  }
  return undefined
}

/** Step: lfdata's own content filters, each with its reason code. Options are checked here, at wiring time. */
export function contentFilters(opts: FilterOptions, onDrop: DropFn): (item: Item) => Item | undefined {
  for (const [name, v] of [['--min-chars', opts.minChars], ['--max-chars', opts.maxChars]] as const) {
    if (v !== undefined && (!Number.isInteger(v) || v < 0)) throw new UsageError(`${name} must be a whole number ≥ 0`)
  }
  if (opts.minChars !== undefined && opts.maxChars !== undefined && opts.minChars > opts.maxChars) {
    throw new UsageError('--min-chars is larger than --max-chars')
  }
  const regex = opts.dropRegex === undefined ? undefined : compileDropRegex(opts.dropRegex)
  return (item) => {
    const why = verdict(item.example)
    if (why === undefined) return item
    onDrop(item.row, why[0], why[1])
    return undefined
  }

  function verdict(ex: Example): [reason: string, detail: string] | undefined {
    const broken = surrogateProblem(ex)
    if (broken) return ['lone_surrogate', broken]
    const empty = opts.dropEmpty ? emptiness(ex) : undefined
    if (empty) return empty
    if (opts.minChars !== undefined || opts.maxChars !== undefined) {
      const n = chars(ex)
      if (opts.minChars !== undefined && n < opts.minChars) return ['too_short', `${n} characters < --min-chars ${opts.minChars}`]
      if (opts.maxChars !== undefined && n > opts.maxChars) return ['too_long', `${n} characters > --max-chars ${opts.maxChars}`]
    }
    if (regex) {
      const hit = contentStrings(ex).find((s) => regex.test(s))
      if (hit !== undefined) return ['regex_match', `matched ${regex.source}: ${hit.match(regex)?.[0]?.slice(0, 60) ?? ''}`]
    }
    return undefined
  }
}
