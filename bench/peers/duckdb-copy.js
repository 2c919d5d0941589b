// Peer for the CSV→JSON and Parquet benchmarks: DuckDB COPY … TO json.
// Usage: node duckdb-copy.js IN OUT [array|lines] (array: one JSON array like lfdata's .json; lines: JSONL)
import {DuckDBInstance} from '@duckdb/node-api'

const [input, output, shape = 'lines'] = process.argv.slice(2)
const db = await DuckDBInstance.create(':memory:')
const c = await db.connect()
const source = input.endsWith('.parquet') ? `read_parquet('${input}')` : `read_csv('${input}')`
await c.run(`COPY (SELECT * FROM ${source}) TO '${output}' (FORMAT json, ARRAY ${shape === 'array'})`)
