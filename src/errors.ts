import {Errors} from '@oclif/core'

/** Fixed, documented exit codes (README "Exit codes"). */
export const ExitCode = {
  ok: 0,
  /** A bug in lfdata: any error that is not an LfdataError. */
  internal: 1,
  usage: 2,
  badInput: 3,
  checkFailed: 4,
  /** The environment, not the input: a lock held too long, a full disk, no permission. */
  environment: 5,
} as const
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

/** Where in the input a problem is. `line` is 1-based (a record number for binary formats), `offset` a byte offset. */
export interface Location {
  file?: string
  line?: number
  offset?: number
  record?: number
}

export interface ErrorOptions {
  suggestion?: string
  location?: Location
  cause?: unknown
}

export function formatLocation(loc: Location | undefined): string {
  if (!loc?.file) return ''
  if (loc.line !== undefined) return `${loc.file}:${loc.line}`
  if (loc.offset !== undefined) return `${loc.file} (byte ${loc.offset})`
  if (loc.record !== undefined) return `${loc.file} (record ${loc.record})`
  return loc.file
}

/**
 * Every error lfdata raises on purpose. The message reads "what went wrong — where", the suggestion says how
 * to fix it, `code` is stable (tests and --json consumers match on it), `exit` is one of ExitCode.
 */
export class LfdataError extends Errors.CLIError {
  override readonly code: string
  readonly exit: ExitCode
  readonly suggestion?: string
  readonly location?: Location

  constructor(code: string, exit: ExitCode, message: string, opts: ErrorOptions = {}) {
    const where = formatLocation(opts.location)
    super(where ? `${message} — ${where}` : message, {exit, code, suggestions: opts.suggestion ? [opts.suggestion] : undefined})
    this.name = 'LfdataError'
    this.code = code
    this.exit = exit
    this.suggestion = opts.suggestion
    this.location = opts.location
    if (opts.cause !== undefined) this.cause = opts.cause
  }

  /** oclif's Command.catch reads exitCode in --json mode. */
  get exitCode(): number {
    return this.exit
  }

  toJSON(): Record<string, unknown> {
    return {code: this.code, exit: this.exit, message: this.message, suggestion: this.suggestion, ...this.location}
  }
}

/** Wrong flags or arguments (exit 2). */
export class UsageError extends LfdataError {
  constructor(message: string, opts: ErrorOptions & {code?: string} = {}) {
    super(opts.code ?? 'E_USAGE', ExitCode.usage, message, opts)
  }
}

/** The input data is malformed or unreadable (exit 3). Always names the file and line/offset when known. */
export class InputError extends LfdataError {
  constructor(code: string, message: string, opts: ErrorOptions = {}) {
    super(code, ExitCode.badInput, message, opts)
  }
}

/** `lfdata check` found at least one error-severity diagnostic (exit 4). */
export class CheckFailedError extends LfdataError {
  constructor(errors: number) {
    super('E_CHECK_FAILED', ExitCode.checkFailed, `check found ${errors} error${errors === 1 ? '' : 's'}`)
  }
}

/** Turns anything thrown at the top level into a one-line message and an exit code. */
export function describeError(err: unknown, debug: boolean): {exit: number; text: string} {
  const stack = debug && err instanceof Error && err.stack ? `\n${err.stack}` : ''
  if (err instanceof LfdataError) {
    const hint = err.suggestion ? `\n  hint: ${err.suggestion}` : ''
    return {exit: err.exit, text: `Error: ${err.message}${hint}${stack}`}
  }
  const oclif = (err as {oclif?: {exit?: number}} | undefined)?.oclif
  if (err instanceof Errors.ExitError) return {exit: oclif?.exit ?? 0, text: ''}
  if (err instanceof Errors.CLIError) {
    // oclif's own parser errors (unknown flag, missing argument) are usage errors.
    return {exit: oclif?.exit ?? ExitCode.usage, text: `Error: ${err.message}${stack}`}
  }
  const message = err instanceof Error ? err.message : String(err)
  return {
    exit: ExitCode.internal,
    text: `Error: internal error: ${message}${stack || '\n  this is a bug in lfdata; rerun with --debug for the stack trace'}`,
  }
}
