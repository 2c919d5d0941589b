// Seeded generator of benchmark inputs: mixed English/Chinese instruction data with a long-tailed length
// distribution and ~3% exact duplicates, as CSV, JSONL, a JSON array and OpenAI-style chat JSONL.
import {createWriteStream} from 'node:fs'
import {once} from 'node:events'

const EN = 'the model data train token answer question learning language fine tune example prompt response dataset quality length format because which would could should about after before system user assistant'.split(' ')
const ZH = '数据 模型 训练 问题 回答 语言 学习 微调 示例 提示 格式 长度 质量 系统 用户 助手 因为 所以 可以 应该'.split(' ')

function rng(seed) {
  let s = seed >>> 0 || 1
  return () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32)
}

/** Log-normal word counts: most texts short, a long tail of long ones. */
function text(rand, median) {
  const z = Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand())
  const n = Math.max(3, Math.round(median * Math.exp(0.9 * z)))
  const zh = rand() < 0.35
  const words = zh ? ZH : EN
  const out = []
  for (let i = 0; i < n; i++) out.push(words[Math.floor(rand() * words.length)])
  let t = out.join(zh ? '' : ' ')
  if (rand() < 0.1) t += zh ? '，"引用"，\n第二行。' : ', "quoted", and\na second line.'
  return t
}

/** Records until `bytes` of text; ~3% repeat an earlier record exactly. */
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
    total += r.instruction.length + r.input.length + r.output.length + 20
    yield r
  }
}

async function write(path, lines) {
  const out = createWriteStream(path)
  for (const line of lines) if (!out.write(line)) await once(out, 'drain')
  out.end()
  await once(out, 'close')
}

const csvCell = (s) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s)

/** Writes every input format for `mb` megabytes of records into `dir`; returns their paths. */
export async function generate(dir, mb, seed = 42) {
  const bytes = mb * 1024 * 1024
  const p = {csv: `${dir}/data.csv`, jsonl: `${dir}/data.jsonl`, json: `${dir}/data.json`, chat: `${dir}/chat.jsonl`}
  await write(p.csv, (function* () {
    yield 'instruction,input,output\n'
    for (const r of records(bytes, seed)) yield `${csvCell(r.instruction)},${csvCell(r.input)},${csvCell(r.output)}\n`
  })())
  await write(p.jsonl, (function* () {
    for (const r of records(bytes, seed)) yield JSON.stringify(r) + '\n'
  })())
  await write(p.json, (function* () {
    let first = true
    yield '['
    for (const r of records(bytes, seed)) {
      yield (first ? '\n' : ',\n') + JSON.stringify(r)
      first = false
    }
    yield '\n]\n'
  })())
  await write(p.chat, (function* () {
    for (const r of records(bytes, seed)) yield JSON.stringify({messages: [{role: 'user', content: [r.instruction, r.input].filter(Boolean).join('\n')}, {role: 'assistant', content: r.output}]}) + '\n'
  })())
  return p
}
