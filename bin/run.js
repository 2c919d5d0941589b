#!/usr/bin/env node
import {warmStart} from '../dist/warm-start.js'

// Workers the command will want start now, on other cores, while this thread loads oclif and the command.
warmStart(process.argv.slice(2))
const {runCli} = await import('../dist/cli.js')

await runCli(process.argv.slice(2), import.meta.url)
