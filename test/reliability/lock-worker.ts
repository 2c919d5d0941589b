// One contender of lock-stress.ts: ITER times, take the lock, check nobody else is inside, bump the counter;
// after a fifth of them (seeded), leave the lock behind as a killed holder would: owned by a dead pid.
import {closeSync, openSync, readFileSync, rmSync, writeFileSync} from 'node:fs'

import {withLock} from '../../src/registry/lock.js'

const [target, iterations, deadPid, seed] = process.argv.slice(2) as [string, string, string, string]
let state = Number(seed) >>> 0
const random = () => (state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0) / 2 ** 32
let overlaps = 0
for (let i = 0; i < Number(iterations); i++) {
  await withLock(target, async () => {
    try {
      closeSync(openSync(`${target}.inside`, 'wx'))
    } catch {
      overlaps++
    }
    const n = Number(readFileSync(target, 'utf8'))
    await new Promise((r) => setTimeout(r, random() * 3))
    writeFileSync(target, String(n + 1))
    rmSync(`${target}.inside`, {force: true})
    if (random() < 0.2) writeFileSync(`${target}.lock`, `${deadPid} ${Date.now()} abandoned-${seed}-${i}\n`)
  })
}
process.stdout.write(String(overlaps))
