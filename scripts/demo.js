#!/usr/bin/env node
// `npm run demo`: the whole lfdata path on the bundled sample data, into ./demo-out/; it also redraws the
// README's picture, docs/demo-lengths.png (committed; the same bytes on every run).
import {spawnSync} from 'node:child_process'
import {mkdirSync, rmSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const out = 'demo-out'
rmSync(`${root}/${out}`, {recursive: true, force: true})
mkdirSync(`${root}/${out}/data`, {recursive: true})
mkdirSync(`${root}/docs`, {recursive: true})

const steps = [
  ['Convert a messy CSV (BOM, quotes, newlines, duplicates, empty answers) to Alpaca',
    ['convert', 'fixtures/demo/qa.csv', '-o', `${out}/data/qa.jsonl`, '--map', 'instruction=question', '--map', 'input=context', '--map', 'output=answer', '--rejects', `${out}/qa.rejects.jsonl`, '--report', `${out}/convert-report.html`]],
  ['Convert OpenAI-style chats to ShareGPT, repairing what LLaMA-Factory would skip',
    ['convert', 'fixtures/demo/chats.jsonl', '-o', `${out}/data/chats.jsonl`, '--fix-roles', '--rejects', `${out}/chats.rejects.jsonl`]],
  ['Token lengths with the Qwen tokenizer and template, and a cutoff_len suggestion',
    ['stats', `${out}/data/qa.jsonl`, '--tokenizer', 'qwen', '--report', `${out}/stats-report.html`, '--plot', 'docs/demo-lengths.png']],
  ['Register both in dataset_info.json and write a train YAML that interleaves them',
    ['register', `${out}/data/qa.jsonl`, '--name', 'demo_qa', '--dataset-dir', `${out}/data`]],
  ['',
    ['register', `${out}/data/chats.jsonl`, '--name', 'demo_chats', '--dataset-dir', `${out}/data`, '--with', 'demo_qa',
      '--yaml', `${out}/train.yaml`, '--model', 'Qwen/Qwen2.5-0.5B-Instruct', '--template', 'qwen', '--mix', 'interleave_under', '--probs', 'auto']],
  ['Check everything LLaMA-Factory would reject or drop, before training',
    ['check', '--config', `${out}/train.yaml`]],
]

let failed = false
for (const [title, args] of steps) {
  if (title) console.log(`\n=== ${title}\n$ lfdata ${args.join(' ')}`)
  else console.log(`$ lfdata ${args.join(' ')}`)
  const r = spawnSync(process.execPath, ['bin/run.js', ...args], {cwd: root, stdio: 'inherit'})
  if (r.status !== 0) {
    console.log(`(exit code ${r.status})`)
    failed = true
  }
}
console.log(`\nEverything is in ./${out}/`)
process.exitCode = failed ? 1 : 0
