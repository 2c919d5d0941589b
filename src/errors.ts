// The errors entry point alone: the whole of @oclif/core costs ~0.1 s of start-up, paid again by every
// convert --jobs worker process, which needs only these two classes.
import {CLIError, ExitError} from '@oclif/core/errors'

/** Fixed, documented exit codes (README "Exit codes"). */
export const ExitCode = {
  ok: 0,
  /** A bug in lfdata: any error that is not an LfdataError. */
  internal: 1,
  usage: 2,
  badInput: 3,
  checkFailed: 4,
  /** The environment failed us: disk full, read-only filesystem, permissions, a missing folder, a lock timeout. */
  environment: 5,
} as const
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

/** What each exit code means: the README's "Exit codes" table is tested against this (test/reliability/errors.test.ts). */
export const EXIT_MEANING: Record<ExitCode, string> = {
  0: 'ok',
  1: 'internal error — a bug in lfdata (rerun with `--debug` for the stack trace)',
  2: 'usage error: bad flags, a path that does not exist, an output that would overwrite an input or another output, a symlink out of its folder, a device/FIFO/folder as output, an output extension convert cannot write',
  3: 'bad input data: malformed CSV/JSON, invalid UTF-8, truncated gzip, a broken `dataset_info.json`, a manifest whose sha256 does not match its files …',
  4: '`lfdata check` found at least one error',
  5: 'environment / I-O error: disk full, read-only filesystem, permission denied, the output\'s folder missing, too many open files, a lock that timed out',
}

/**
 * The error table: every stable code lfdata raises on purpose → its exit code. The table decides: an
 * LfdataError with a code listed here always exits with the table's code, whatever the call site passed, so
 * one code never means two exit codes. A test checks that every code used in src/ is listed.
 */
export const ERROR_TABLE: Record<string, ExitCode> = {
  // usage (2)
  E_USAGE: 2, E_NOT_FOUND: 2, E_FILE_NOT_FOUND: 2, E_EXISTS: 2, E_OUTSIDE: 2, E_DATA_ARGS: 2, E_UNDEFINED_DATASET: 2, E_NO_DINFO: 2,
  E_FORMAT: 2, E_MAPPING: 2, E_EMPTY_FOLDER: 2, E_HF_DATASET_DICT: 2,
  E_OUTPUT_ALIAS: 2, E_OUTPUT_SYMLINK: 2, E_OUTPUT_NOT_FILE: 2, E_OUTPUT_FORMAT: 2,
  E_MIXED_INPUTS: 2,
  // bad input data (3)
  E_NO_RECORDS: 3, E_NOTHING_KEPT: 3, E_JSON_NOT_ARRAY: 3, E_JSONL_PARSE: 3, E_JSONL_NOT_OBJECT: 3, E_JSON_PARSE: 3, E_JSON_TRUNCATED: 3,
  E_JSON_TRAILING: 3, E_JSON_NOT_OBJECT: 3, E_HF_STATE: 3, E_FOLDER: 3, E_ENCODING: 3, E_EMPTY_FILE: 3, E_TOKENIZER: 3,
  E_ARROW_SCHEMA: 3, E_ARROW_CORRUPT: 3, E_ARROW_UNSUPPORTED: 3, E_PARQUET_CORRUPT: 3, E_PARQUET_UNSUPPORTED: 3, E_GZIP: 3,
  E_YAML: 3, E_CSV_QUOTE: 3, E_CSV_FIELDS: 3, E_DINFO_JSON: 3, E_DINFO_SHAPE: 3, E_DINFO_SCHEMA: 3, E_MANIFEST_MISMATCH: 3,
  E_LATE_COLUMN: 3, E_JSON_DEPTH: 3, E_CSV_DUPLICATE_HEADER: 3, E_LF_RAISES: 3, E_ONLY_MEDIA: 3,
  E_SHARD_MISMATCH: 3, E_SHARD_PART: 3, E_PARTIAL: 3, E_PARTIAL_MISMATCH: 3,
  // check (4)
  E_CHECK_FAILED: 4,
  // environment (5)
  E_LOCKED: 5, E_NO_SPACE: 5, E_READ_ONLY: 5, E_PERMISSION: 5, E_IS_DIR: 5, E_NO_DIR: 5, E_TOO_MANY_FILES: 5, E_IO: 5,
  // bugs (1)
  E_INTERNAL: 1, E_WORKER: 1, E_ARROW_INTERNAL: 1,
}

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
export class LfdataError extends CLIError {
  override readonly code: string
  readonly exit: ExitCode
  readonly suggestion?: string
  readonly location?: Location

  constructor(code: string, exit: ExitCode, message: string, opts: ErrorOptions = {}) {
    exit = ERROR_TABLE[code] ?? exit
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

/**
 * Environment failures by errno: code, and the one-line message template ({path} is the file involved).
 * Used for every errno error that reaches the top, so a full disk is never "a bug in lfdata".
 */
const ERRNO_TABLE: Record<string, {code: string; text: string; hint: string}> = {
  ENOSPC: {code: 'E_NO_SPACE', text: 'no space left on the device while writing {path}', hint: 'free some space or write to another disk; the previous file (if any) is untouched'},
  EDQUOT: {code: 'E_NO_SPACE', text: 'disk quota exceeded while writing {path}', hint: 'free some space or write to another disk; the previous file (if any) is untouched'},
  EFBIG: {code: 'E_NO_SPACE', text: 'file too large for the filesystem: {path}', hint: 'write to another filesystem'},
  EROFS: {code: 'E_READ_ONLY', text: 'read-only filesystem: cannot write {path}', hint: 'write to a writable folder'},
  EACCES: {code: 'E_PERMISSION', text: 'permission denied: {path}', hint: 'check the file and folder permissions'},
  EPERM: {code: 'E_PERMISSION', text: 'operation not permitted: {path}', hint: 'check the file and folder permissions'},
  EISDIR: {code: 'E_IS_DIR', text: '{path} is a directory', hint: 'name a file'},
  ENOTDIR: {code: 'E_NO_DIR', text: 'a part of {path} is not a folder', hint: 'check the path'},
  ENOENT: {code: 'E_NO_DIR', text: 'no such file or folder: {path}', hint: 'create the folder first, or check the path'},
  EMFILE: {code: 'E_TOO_MANY_FILES', text: 'too many open files (at {path})', hint: 'raise the limit (ulimit -n) or pass fewer inputs at once'},
  ENFILE: {code: 'E_TOO_MANY_FILES', text: 'too many open files in the system (at {path})', hint: 'raise the limit or pass fewer inputs at once'},
  EIO: {code: 'E_IO', text: 'I/O error on {path}', hint: 'check the disk'},
  EXDEV: {code: 'E_IO', text: 'cannot move a file across filesystems: {path}', hint: 'check the path'},
}

/** An environment failure (exit 5): one line naming the path. */
export class EnvError extends LfdataError {
  constructor(code: string, message: string, opts: ErrorOptions = {}) {
    super(code, ExitCode.environment, message, opts)
  }
}

/** The EnvError for an errno error (`path` overrides the error's own, e.g. the target instead of its temp file), or undefined. */
export function envErrorFrom(err: unknown, path?: string): EnvError | undefined {
  if (err instanceof LfdataError) return undefined
  const e = err as NodeJS.ErrnoException | undefined
  const spec = e && typeof e.code === 'string' ? ERRNO_TABLE[e.code] : undefined
  if (!spec) return undefined
  const where = path ?? e!.path ?? (e as {dest?: string}).dest ?? '(unknown path)'
  return new EnvError(spec.code, spec.text.replace('{path}', where), {suggestion: spec.hint, cause: err})
}

/** A write to a pipe whose reader has gone (`lfdata convert … -o - | head`). */
export const isBrokenPipe = (err: unknown): boolean => (err as NodeJS.ErrnoException | undefined)?.code === 'EPIPE'

/** Exit status after a broken pipe: 128 + SIGPIPE, what a Unix tool killed by SIGPIPE reports, with no message. */
export const BROKEN_PIPE_EXIT = 141

/**
 * oclif's parser message in one line: its framing lines ("The following error occurred:", "See more help
 * with --help") dropped, the rest joined, and "flag output" written as the user types it ("--output").
 */
export function oneLineUsage(message: string): string {
  const lines = message.split('\n').map((l) => l.trim()).filter((l) => l && !/^the following errors? occurred:?$/i.test(l) && !/^see more help with/i.test(l))
  return lines.join('; ').replace(/\b(missing required flag) ([a-z][\w-]*)/gi, '$1 --$2')
}

/**
 * oclif's own parser errors (unknown flag, missing argument, a value not among a flag's options) as our usage
 * error (exit 2), pointing at the command's help; `command` is its id when known. Anything else: undefined.
 */
export function parserErrorFrom(err: unknown, command?: string): UsageError | undefined {
  if (!(err instanceof CLIError) || err instanceof ExitError || err instanceof LfdataError) return undefined
  return new UsageError(oneLineUsage(err.message), {suggestion: `${command ? `lfdata ${command} --help` : 'lfdata --help'} lists the flags, with examples`})
}

/** Turns anything thrown at the top level into a one-line message and an exit code. */
export function describeError(err: unknown, debug: boolean, command?: string): {exit: number; text: string} {
  const stack = debug && err instanceof Error && err.stack ? `\n${err.stack}` : ''
  if (isBrokenPipe(err)) return {exit: BROKEN_PIPE_EXIT, text: ''}
  err = envErrorFrom(err) ?? parserErrorFrom(err, command) ?? err
  if (err instanceof LfdataError) {
    const hint = err.suggestion ? `\n  hint: ${err.suggestion}` : ''
    return {exit: err.exit, text: `Error: ${err.message}${hint}${stack}`}
  }
  const oclif = (err as {oclif?: {exit?: number}} | undefined)?.oclif
  if (err instanceof ExitError) return {exit: oclif?.exit ?? 0, text: ''}
  if (err instanceof CLIError) return {exit: oclif?.exit ?? ExitCode.usage, text: `Error: ${err.message}${stack}`}
  const message = err instanceof Error ? err.message : String(err)
  return {
    exit: ExitCode.internal,
    text: `Error: internal error: ${message}${stack || '\n  this is a bug in lfdata; rerun with --debug for the stack trace'}`,
  }
}
