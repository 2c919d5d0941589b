import {flush, run} from '@oclif/core'

import {BROKEN_PIPE_EXIT, describeError, isBrokenPipe} from './errors.js'
import {removeLiveTemps} from './io/atomic.js'
import {dropWarm} from './warm-workers.js'

/** Exit statuses on a signal, as a shell reports a process killed by it (128 + signal number). */
const SIGNAL_EXIT = {SIGHUP: 129, SIGINT: 130, SIGTERM: 143} as const

/**
 * On SIGINT/SIGTERM/SIGHUP: remove this run's temp files and exit 128+N (process.exit runs 'exit' listeners,
 * where the registry lock is released). A reader that closed our stdout (`… -o - | head`) ends the run
 * quietly with 141, what a Unix tool killed by SIGPIPE reports.
 */
function installExitHandlers(): void {
  for (const [signal, code] of Object.entries(SIGNAL_EXIT)) {
    process.on(signal, () => {
      removeLiveTemps()
      process.exit(code)
    })
  }
  process.stdout.on('error', (error) => {
    if (!isBrokenPipe(error)) return
    removeLiveTemps()
    process.exit(BROKEN_PIPE_EXIT)
  })
}

/** Entry point of bin/run.js: runs oclif and turns every failure into one message plus a fixed exit code. */
export async function runCli(argv: string[], root: string): Promise<void> {
  const debug = argv.includes('--debug') || process.env.LFDATA_DEBUG === '1'
  const args = argv.filter((a) => a !== '--debug')
  installExitHandlers()
  try {
    await run(args, root)
    await flush()
  } catch (error) {
    // The command's id for the help hint: the first word, when it names no flag.
    const command = args[0] && !args[0].startsWith('-') ? args[0] : undefined
    const {exit, text} = describeError(error, debug, command)
    if (text) process.stderr.write(text + '\n')
    process.exitCode = exit
  }
  await dropWarm()
}
