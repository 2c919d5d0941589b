#!/usr/bin/env node
// Seeded generator of benchmark inputs: mixed English/Chinese instruction data with log-normal (long-tailed)
// text lengths and ~3% exact duplicates, as CSV, JSONL, a JSON array and OpenAI-style chat JSONL.
// Usage: node bench/generate.js [--size MB] [--out DIR] [--formats csv,jsonl,json,chat] [--seed N]
// (size also from BENCH_MB; default 32). Every format holds the same records; `--size` is the CSV's size.
import {createWriteStream, mkdirSync} from 'node:fs'
import {once} from 'node:events'
import {fileURLToPath} from 'node:url'

const EN = 'the model data train token answer question learning language fine tune example prompt response dataset quality length format because which would could should about after before system user assistant'.split(' ')
const ZH = '数据 模型 训练 问题 回答 语言 学习 微调 示例 提示 格式 长度 质量 系统 用户 助手 因为 所以 可以 应该'.split(' ')
export const FORMATS = ['csv', 'jsonl', 'json', 'chat']

function rng(seed) {
  let s = seed >>> 0 || 1
  return () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32)
}

/** Log-normal word counts around `median`: most texts short, a long tail of long ones; a third are Chinese. */
function text(rand, median) {
  const z = Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand())
  const n = Math.max(3, Math.round(median * Math.exp(0.9 * z)))
  const zh = rand() < 0.35
  const words = zh ? ZH : EN
  const out = []
  for (let i = 0; i < n; i++) out.push(words[Math.floor(rand() * words.length)])
  let t = out.join(zh ? '' : ' ')
  // Some texts need CSV quoting: embedded quotes, commas and newlines.
  if (rand() < 0.1) t += zh ? '，"引用"，\n第二行。' : ', "quoted", and\na second line.'
  return t
}

const csvCell = (s) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s)
const csvLine = (r) => `${csvCell(r.instruction)},${csvCell(r.input)},${csvCell(r.output)}\n`

/** Records until their CSV lines reach `bytes`; ~3% repeat one of the last 1000 records exactly. */
export function* records(bytes, seed = 42) {
  const rand = rng(seed)
  const recent = []
  let total = 0
  while (total < bytes) {
    let r
    if (recent.length > 10 && rand() < 0.03) r = recent[Math.floor(rand() * recent.length)]
    else {
      r = {instruction: text(rand, 18), input: rand() < 0.2 ? text(rand, 12) : '', output: text(rand, 60)}
      recent.push(r)
      if (recent.length > 1000) recent.shift()
    }
    total += Buffer.byteLength(csvLine(r))
    yield r
  }
}

async function write(path, lines) {
  const out = createWriteStream(path)
  for (const line of lines) if (!out.write(line)) await once(out, 'drain')
  out.end()
  await once(out, 'close')
}

const LINES = {
  *csv(rs) {
    yield 'instruction,input,output\n'
    for (const r of rs) yield csvLine(r)
  },
  *jsonl(rs) {
    for (const r of rs) yield JSON.stringify(r) + '\n'
  },
  *json(rs) {
    let sep = '[\n'
    for (const r of rs) {
      yield sep + JSON.stringify(r)
      sep = ',\n'
    }
    yield sep === '[\n' ? '[]\n' : '\n]\n'
  },
  *chat(rs) {
    for (const r of rs) {
      const user = [r.instruction, r.input].filter(Boolean).join('\n')
      yield JSON.stringify({messages: [{role: 'user', content: user}, {role: 'assistant', content: r.output}]}) + '\n'
    }
  },
}
const FILE = {csv: 'data.csv', jsonl: 'data.jsonl', json: 'data.json', chat: 'chat.jsonl'}

/** Writes `formats` for `mb` megabytes of records into `dir`; returns {format: path}. */
export async function generate(dir, mb, {seed = 42, formats = FORMATS} = {}) {
  mkdirSync(dir, {recursive: true})
  const paths = {}
  for (const f of formats) {
    if (!LINES[f]) throw new Error(`unknown format ${f}; choose from ${FORMATS.join(', ')}`)
    paths[f] = `${dir}/${FILE[f]}`
    await write(paths[f], LINES[f](records(mb * 1024 * 1024, seed)))
  }
  return paths
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2)
  const opt = (name, def) => (args.includes(name) ? args[args.indexOf(name) + 1] : def)
  const mb = Number(opt('--size', process.env.BENCH_MB ?? 32))
  const out = opt('--out', fileURLToPath(new URL('work', import.meta.url)))
  const paths = await generate(out, mb, {seed: Number(opt('--seed', 42)), formats: opt('--formats', FORMATS.join(',')).split(',')})
  console.log(JSON.stringify(paths, null, 2))
}
