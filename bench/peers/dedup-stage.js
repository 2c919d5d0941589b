// The near-dedup stage alone, in process, on the texts of a JSONL file (instruction + input + output), so its
// throughput compares with the stage's own target figure without reading or writing costs.
// Usage: node dedup-stage.js DATA_JSONL → prints {"mb": n, "seconds": n, "records": n, "dropped": n}
import {readFileSync} from 'node:fs'

import {nearDedup} from '../../dist/transforms/near-dedup.js'

const texts = readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean).map((line) => {
  const r = JSON.parse(line)
  return [r.instruction, r.input, r.output].filter(Boolean).join('\n')
})
const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0)
let dropped = 0
const stage = nearDedup({threshold: 0.8}, (t) => t, () => ({source: 'x', line: 0}), () => dropped++)
const started = performance.now()
for await (const _ of stage((async function* () { yield* texts })())) void _
const seconds = (performance.now() - started) / 1000
console.log(JSON.stringify({mb: +(bytes / 2 ** 20).toFixed(2), seconds: +seconds.toFixed(3), records: texts.length, dropped}))
