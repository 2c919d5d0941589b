import {UsageError} from '../errors.js'

export interface NormalizeOptions {
  /** Unicode NFC, so the same text typed on two systems hashes the same. */
  nfc: boolean
  /** CRLF and lone CR → LF. */
  newlines: boolean
  trim: boolean
  /** Drop C0/C1 control characters except tab and newline (they break tokenizers and terminals). */
  controlChars: boolean
}

export const DEFAULT_NORMALIZE: NormalizeOptions = {nfc: true, newlines: true, trim: true, controlChars: true}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g
// eslint-disable-next-line no-control-regex
const NEEDS_WORK = /[\r\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/
// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\u0000-\u007F]/

/** A string normaliser with the chosen parts; the fast path leaves plain ASCII text untouched. */
export function makeNormalizer(opts: NormalizeOptions): (s: string) => string {
  for (const [k, v] of Object.entries(opts)) if (typeof v !== 'boolean') throw new UsageError(`normalize option ${k} must be true or false`)
  return (s) => {
    if (opts.nfc && NON_ASCII.test(s)) s = s.normalize('NFC')
    if (NEEDS_WORK.test(s)) {
      if (opts.newlines) s = s.replace(/\r\n?/g, '\n')
      if (opts.controlChars) s = s.replace(CONTROL, '')
    }
    return opts.trim ? s.trim() : s
  }
}
