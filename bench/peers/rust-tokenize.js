// Peer for the stats benchmark: the Rust `tokenizers` package counting the same texts with encodeBatch.
// Usage: node rust-tokenize.js TOKENIZER_JSON DATA_JSONL → prints {"texts": n, "tokens": n}
import {createReadStream} from 'node:fs'
import {createInterface} from 'node:readline'

import tokenizers from 'tokenizers'

const [tokenizerJson, data] = process.argv.slice(2)
const tok = tokenizers.Tokenizer.fromFile(tokenizerJson)
let batch = []
let texts = 0
let tokens = 0
const flush = async () => {
  const enc = await tok.encodeBatch(batch, {addSpecialTokens: false})
  for (const e of enc) tokens += e.getIds().length
  texts += batch.length
  batch = []
}
for await (const line of createInterface({input: createReadStream(data)})) {
  if (!line) continue
  const r = JSON.parse(line)
  batch.push(r.instruction, r.input, r.output)
  if (batch.length >= 3000) await flush()
}
if (batch.length) await flush()
console.log(JSON.stringify({texts, tokens}))
