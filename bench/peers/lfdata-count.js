// lfdata's side of the stats benchmark on exactly the peer's texts: the cached counter over the same strings.
// Usage: node lfdata-count.js PRESET DATA_JSONL → prints {"texts": n, "tokens": n}
import {createReadStream} from 'node:fs'
import {createInterface} from 'node:readline'

import {loadTokenizer} from '../../dist/tokenize/load.js'

const [preset, data] = process.argv.slice(2)
const {counter} = loadTokenizer(preset)
let texts = 0
let tokens = 0
for await (const line of createInterface({input: createReadStream(data)})) {
  if (!line) continue
  const r = JSON.parse(line)
  for (const t of [r.instruction, r.input, r.output]) {
    tokens += counter.count(t)
    texts++
  }
}
console.log(JSON.stringify({texts, tokens}))
