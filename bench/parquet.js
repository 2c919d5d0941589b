#!/usr/bin/env node
// Parquet reading benchmark: lfdata's reader (a full pass writing JSONL lines) and `lfdata convert` beside
// DuckDB's `COPY (SELECT * FROM 'x.parquet') TO 'y.json'`, on the same DuckDB-written file, in the same run.
// Each side runs in its own child under /usr/bin/time, so peak RSS is the child's alone.
// Usage: node bench/parquet.js [--size MB] [--row-group ROWS] [--codec zstd|snappy|gzip] [--no-convert]
// (size also from BENCH_MB, default 64; files in BENCH_WORK, default bench/work/), or
// `import {runParquetBench} from './parquet.js'`. The Parquet file is generated once per size, codec and row
// group size (DuckDB's default: 122,880 rows, one ~100 MB page per text column) and kept for reruns.
import {spawnSync} from 'node:child_process'
import {once} from 'node:events'
import {createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const self = fileURLToPath(import.meta.url)
const node = process.execPath
const MB = 1024 * 1024

// Chat records like the Hub's: a `messages` list of {role, content} structs (a system turn in one of five),
// mixed English-like and Chinese words from a 20,000-word vocabulary, long-tailed lengths. `$ROWS` rows.
const RECORDS_SQL = `
WITH vocab AS (
  SELECT list(CASE WHEN i % 4 = 0 THEN chr(19968 + (hash(i) % 3000)::INT) || chr(19968 + (hash(i + 7) % 3000)::INT)
                   ELSE substr(md5(i::VARCHAR), 1, 2 + i % 7) END ORDER BY i) AS w
  FROM range(20000) t(i)
),
words AS (
  SELECT i,
    greatest(3, exp(1 + random() * 3.5)::INT) AS nq,
    greatest(5, exp(2 + random() * 4)::INT) AS na
  FROM range($ROWS) t(i)
)
SELECT i AS id,
  CASE WHEN i % 5 = 0 THEN [{'role': 'system', 'content': 'You are a helpful assistant.'}] ELSE [] END || [
    {'role': 'user', 'content': array_to_string(list_transform(range(nq), x -> w[1 + (random() * 19999)::INT]), ' ')},
    {'role': 'assistant', 'content': array_to_string(list_transform(range(na), x -> w[1 + (random() * 19999)::INT]), ' ')}
  ] AS messages,
  ['alpaca', 'sharegpt', 'oasst'][1 + i % 3] AS source
FROM words, vocab`

/** Runs argv under /usr/bin/time; returns wall seconds, peak RSS (MB) and stdout. */
function timed(argv) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', ...argv], {encoding: 'utf8', maxBuffer: 1 << 26})
  const [secs, kb] = (r.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number)
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (${r.status}): ${r.stderr.slice(-800)}`)
  return {seconds: secs, rssMB: Math.round(kb / 1024), stdout: r.stdout}
}

async function duckdb() {
  const {DuckDBInstance} = await import('@duckdb/node-api')
  return (await DuckDBInstance.create(':memory:')).connect()
}

/** Writes a Parquet file of about `sizeMB` (rows calibrated on a small sample first); returns its row count. */
async function generate(path, sizeMB, rowGroup, codec) {
  const c = await duckdb()
  const sample = `${path}.sample`
  const write = (rows, to) => c.run(`COPY (${RECORDS_SQL.replace('$ROWS', String(rows))}) TO '${to}' (FORMAT parquet, COMPRESSION ${codec}${rowGroup ? `, ROW_GROUP_SIZE ${rowGroup}` : ''})`)
  await write(20000, sample)
  const rows = Math.ceil((sizeMB * MB) / (statSync(sample).size / 20000))
  rmSync(sample)
  await write(rows, `${path}.tmp`)
  renameSync(`${path}.tmp`, path)
  c.closeSync()
  return rows
}

async function rowGroups(path) {
  const c = await duckdb()
  const r = await c.runAndReadAll(`SELECT count(DISTINCT row_group_id)::INT AS groups, max(row_group_num_rows)::INT AS largest FROM parquet_metadata('${path}')`)
  c.closeSync()
  return r.getRowObjectsJson()[0]
}

/** The child side: readParquet over IN, one JSON line per record into OUT, with backpressure. */
async function readPass(input, output) {
  const {readParquet} = await import(`${root}/dist/io/parquet.js`)
  const out = createWriteStream(output)
  let rows = 0
  let chunk = ''
  for await (const row of readParquet(input, {})) {
    chunk += JSON.stringify(row.record) + '\n'
    rows++
    if (chunk.length >= MB) {
      if (!out.write(chunk)) await once(out, 'drain')
      chunk = ''
    }
  }
  out.end(chunk)
  await once(out, 'close')
  console.log(JSON.stringify({rows}))
}

const rate = (bytes, t) => ({...t, mbPerSec: +(bytes / MB / t.seconds).toFixed(1), stdout: undefined})

/**
 * Generates (or reuses) a Parquet file of `sizeMB`, then times the three passes. Returns sizes, throughput
 * (MB of Parquet per second), peak RSS per pass and the ratio of our reader's throughput to DuckDB's.
 */
export async function runParquetBench({sizeMB = 64, rowGroup = 0, codec = 'zstd', convert = true, dir = process.env.BENCH_WORK ?? `${root}/bench/work`} = {}) {
  if (!existsSync(`${root}/dist/io/parquet.js`)) spawnSync('npm', ['run', 'build'], {cwd: root, stdio: 'inherit'})
  mkdirSync(dir, {recursive: true})
  const pq = `${dir}/bench-${sizeMB}mb-${codec}-${rowGroup || 'default'}.parquet`
  if (!existsSync(pq)) await generate(pq, sizeMB, rowGroup, codec)
  const bytes = statSync(pq).size
  const ours = timed([node, self, '--read', pq, `${dir}/pq-ours.jsonl`])
  const {rows} = JSON.parse(ours.stdout)
  const jsonlBytes = statSync(`${dir}/pq-ours.jsonl`).size
  const duck = timed([node, `${root}/bench/peers/duckdb-copy.js`, pq, `${dir}/pq-duckdb.json`])
  const result = {
    name: 'Parquet → JSONL',
    inputMB: +(bytes / MB).toFixed(1),
    codec,
    ...(await rowGroups(pq)),
    rows,
    jsonlMB: +(jsonlBytes / MB).toFixed(1),
    lfdata: rate(bytes, ours),
    peer: {name: "DuckDB COPY (SELECT * FROM 'x.parquet') TO 'y.json'", ...rate(bytes, duck)},
  }
  result.ratio = +(duck.seconds / ours.seconds).toFixed(2)
  if (convert) result.convert = rate(bytes, timed([node, `${root}/bin/run.js`, 'convert', pq, '-o', `${dir}/pq-convert.jsonl`, '--dedup', 'none']))
  for (const f of ['pq-ours.jsonl', 'pq-duckdb.json', 'pq-convert.jsonl', 'pq-convert.jsonl.lfdata.json']) rmSync(`${dir}/${f}`, {force: true})
  return result
}

if (process.argv[1] === self) {
  const args = process.argv.slice(2)
  if (args[0] === '--read') {
    await readPass(args[1], args[2])
  } else {
    const opt = (name, def) => (args.includes(name) ? args[args.indexOf(name) + 1] : def)
    const result = await runParquetBench({
      sizeMB: Number(opt('--size', process.env.BENCH_MB ?? 64)),
      rowGroup: Number(opt('--row-group', 0)),
      codec: opt('--codec', 'zstd'),
      convert: !args.includes('--no-convert'),
    })
    // One line: bench/run.js keeps the last JSON line a helper's benchmark prints.
    console.log(JSON.stringify(result))
  }
}
