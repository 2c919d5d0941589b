/**
 * How core modules talk to the person running lfdata without printing themselves: warnings and progress go
 * to stderr through a Reporter the command hands in. Tests pass `silentReporter` or a collecting one.
 */
export interface Progress {
  /** What is being counted, e.g. "records". */
  unit: string
  done: number
  /** Bytes read so far and in all, when the source knows them. */
  bytesDone?: number
  bytesTotal?: number
}

export interface Reporter {
  warn(message: string): void
  info(message: string): void
  progress(p: Progress): void
  /** Clears the progress line; call once when the long part is over. */
  finish(): void
}

export const silentReporter: Reporter = {warn() {}, info() {}, progress() {}, finish() {}}

const MiB = 1024 * 1024

const clock = (secs: number) => {
  const s = Math.max(0, Math.round(secs))
  const h = Math.floor(s / 3600)
  const mm = String(Math.floor((s % 3600) / 60)).padStart(h ? 2 : 1, '0')
  return `${h ? `${h}:` : ''}${mm}:${String(s % 60).padStart(2, '0')}`
}

/**
 * One progress line: count and rate, and when the input's size is known a bar, the percent done and the time
 * left at the rate so far (ETA; shown once a second of data has been seen, when the rate means something).
 */
export function progressLine(p: Progress, elapsedSecs: number): string {
  const secs = Math.max(elapsedSecs, 0.001)
  let line = `${p.done.toLocaleString('en-US')} ${p.unit} (${Math.round(p.done / secs).toLocaleString('en-US')}/s)`
  if (p.bytesDone === undefined) return line
  line += `  ${(p.bytesDone / MiB).toFixed(1)} MiB`
  if (p.bytesTotal) {
    const frac = Math.min(1, p.bytesDone / p.bytesTotal)
    const width = 24
    const filled = Math.round(frac * width)
    const eta = elapsedSecs >= 1 && frac > 0 ? `  ETA ${clock((elapsedSecs * (1 - frac)) / frac)}` : ''
    line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(0)}%${eta}  ` + line
    line += ` of ${(p.bytesTotal / MiB).toFixed(1)} MiB`
  }
  return line + `  ${(p.bytesDone / MiB / secs).toFixed(1)} MiB/s`
}

/** stderr reporter: progress only on a TTY (redrawn at most every 100 ms), no colour codes at all. */
export function consoleReporter(opts: {json?: boolean; stream?: NodeJS.WriteStream} = {}): Reporter {
  const out = opts.stream ?? process.stderr
  const tty = Boolean(out.isTTY) && process.env.CI !== 'true'
  const started = Date.now()
  let last = 0
  let drawn = false
  const clear = () => {
    if (drawn) out.write('\r\x1b[2K')
    drawn = false
  }
  return {
    warn(message) {
      clear()
      out.write(`Warning: ${message}\n`)
    },
    info(message) {
      if (opts.json) return
      clear()
      out.write(`${message}\n`)
    },
    progress(p) {
      if (!tty) return
      const now = Date.now()
      if (now - last < 100) return
      last = now
      const line = progressLine(p, (now - started) / 1000)
      out.write(`\r\x1b[2K${line}`)
      drawn = true
    },
    finish: clear,
  }
}
