import {Command, Flags} from '@oclif/core'

import {describeError, envErrorFrom, LfdataError, parserErrorFrom} from './errors.js'
import {consoleReporter, type Reporter} from './reporter.js'

/**
 * What every lfdata command shares: `--json`, a Reporter for the core (progress and warnings on stderr),
 * and error output that stays one line on stderr even in --json mode (where stdout gets the error object).
 */
export abstract class BaseCommand extends Command {
  static override enableJsonFlag = true
  /** Read by runCli before oclif parses (errors outside a command need it too); declared so help shows it. */
  static override baseFlags = {
    debug: Flags.boolean({summary: 'Print the stack trace with an error (also LFDATA_DEBUG=1)', helpGroup: 'GLOBAL'}),
  }

  protected reporter(): Reporter {
    return consoleReporter({json: this.jsonEnabled()})
  }

  override catch(err: Error & {exitCode?: number}): Promise<unknown> {
    if (!this.jsonEnabled()) return Promise.reject(err)
    const debug = process.argv.includes('--debug') || process.env.LFDATA_DEBUG === '1'
    const {exit, text} = describeError(err, debug, this.id)
    if (text) process.stderr.write(text + '\n')
    process.exitCode = exit
    const known = err instanceof LfdataError ? err : envErrorFrom(err) ?? parserErrorFrom(err, this.id)
    const error = known ? known.toJSON() : {code: 'E_INTERNAL', exit, message: err.message}
    this.logJson({error})
    return Promise.resolve(undefined)
  }
}
