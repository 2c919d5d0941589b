#!/usr/bin/env -S node --import tsx
// Runs src/cli.ts through tsx: `node --import tsx bin/dev.js convert ...`. oclif still loads the command
// modules from dist/ (its own tsx registration fails under an already-registered tsx), so `npm run build` first.
import {runCli} from '../src/cli.ts'

await runCli(process.argv.slice(2), import.meta.url)
