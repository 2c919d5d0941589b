import type {Hook} from '@oclif/core'
import {toConfiguredId} from '@oclif/core'
import pluginNotFound from '@oclif/plugin-not-found'
import levenshtein from 'fast-levenshtein'

import {UsageError} from '../errors.js'

/** A person at a terminal can answer a prompt; a pipe, a script or CI cannot. */
function interactive(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY) && !process.env.CI
}

/**
 * `lfdata conver`: at a terminal, @oclif/plugin-not-found asks "Did you mean convert?" and runs it on yes.
 * Elsewhere that plugin prints no suggestion at all, so the suggestion is part of a one-line usage error
 * (exit 2) instead, and nothing ever waits for an answer.
 */
const hook: Hook.CommandNotFound = async function (opts) {
  if (interactive()) {
    try {
      return await pluginNotFound.call(this, opts)
    } catch (error) {
      throw new UsageError(`${opts.id.split(':')[0]} is not a ${opts.config.bin} command`, {suggestion: `${opts.config.bin} help lists the commands`, cause: error})
    }
  }
  // With a space as topic separator, `conver x.csv` arrives as id "conver:x.csv"; lfdata has no topics.
  const typed = opts.id.split(':')[0]!
  if (typed.startsWith('-')) throw new UsageError(`${typed} is not a flag of lfdata itself; command flags go after the command`, {suggestion: `${opts.config.bin} -h lists the commands, ${opts.config.bin} COMMAND -h their flags`})
  const visible = opts.config.commands.filter((c) => !c.hidden).map((c) => c.id)
  const closest = visible
    .map((id) => ({id, distance: levenshtein.get(typed, id)}))
    .sort((a, b) => a.distance - b.distance)[0]
  throw new UsageError(`${typed} is not a ${opts.config.bin} command`, {
    suggestion: closest ? `did you mean ${toConfiguredId(closest.id, opts.config)}? (${opts.config.bin} help lists the commands)` : `${opts.config.bin} help lists the commands`,
  })
}

export default hook
