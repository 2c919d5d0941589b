#!/usr/bin/env -S node --import tsx
// Runs the TypeScript sources directly (no build step): `node --import tsx bin/dev.js convert ...`
import {runCli} from '../src/cli.ts'

await runCli(process.argv.slice(2), import.meta.url)
