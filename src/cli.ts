import {flush, run} from '@oclif/core'

import {describeError} from './errors.js'

/** Entry point of bin/run.js: runs oclif and turns every failure into one message plus a fixed exit code. */
export async function runCli(argv: string[], root: string): Promise<void> {
  const debug = argv.includes('--debug') || process.env.LFDATA_DEBUG === '1'
  const args = argv.filter((a) => a !== '--debug')
  try {
    await run(args, root)
    await flush()
  } catch (error) {
    const {exit, text} = describeError(error, debug)
    if (text) process.stderr.write(text + '\n')
    process.exitCode = exit
  }
}
