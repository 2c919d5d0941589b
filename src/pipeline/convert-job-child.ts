/**
 * Entry point of one convert --jobs worker process: converts the shard it is sent (reading its own byte
 * range, so no data passes through the parent) and reports the result or the error back over IPC.
 */
import {LfdataError} from '../errors.js'
import {convert, type ConvertOptions} from './convert.js'
import type {Reporter} from '../reporter.js'

process.once('message', (opts: ConvertOptions) => void run(opts))

async function run(opts: ConvertOptions): Promise<void> {
  const infos: string[] = []
  const warnings: string[] = []
  const reporter: Reporter = {warn: (m) => warnings.push(m), info: (m) => infos.push(m), progress() {}, finish() {}}
  try {
    const result = await convert(opts, reporter)
    process.send!({result, infos, warnings}, () => process.exit(0))
  } catch (error) {
    const e = error instanceof LfdataError ? {...error.toJSON(), message: error.message} : {code: 'E_INTERNAL', exit: 1, message: String((error as Error)?.stack ?? error)}
    process.send!({error: e}, () => process.exit(0))
  }
}
