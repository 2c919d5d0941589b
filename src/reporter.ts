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
      const secs = Math.max((now - started) / 1000, 0.001)
      let line = `${p.done.toLocaleString('en-US')} ${p.unit} (${Math.round(p.done / secs).toLocaleString('en-US')}/s)`
      if (p.bytesDone !== undefined) {
        line += `  ${(p.bytesDone / MiB).toFixed(1)} MiB`
        if (p.bytesTotal) {
          const pct = Math.min(1, p.bytesDone / p.bytesTotal)
          const width = 24
          const filled = Math.round(pct * width)
          line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(pct * 100).toFixed(0)}%  ` + line
          line += ` of ${(p.bytesTotal / MiB).toFixed(1)} MiB`
        }
        line += `  ${(p.bytesDone / MiB / secs).toFixed(1)} MiB/s`
      }
      out.write(`\r\x1b[2K${line}`)
      drawn = true
    },
    finish: clear,
  }
}
