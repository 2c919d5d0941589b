// Issue 15 item 2: concurrent registers and a stale lock. `npm run torture` runs the same harnesses at volume.
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {withLock} from '../../src/registry/lock.js'
import {tempDir} from '../io/helpers.js'
import {lockStress} from './lock-stress.js'
import {registerRace} from './register-race.js'

describe('the dataset_info.json lock', () => {
  it('8 processes × 50 critical sections, a fifth of them abandoning the lock to a dead pid: never two inside', async () => {
    const seed = Date.now() % 100_000
    console.log(`lock stress seed ${seed}`)
    const r = await lockStress(8, 50, seed)
    expect(r).toEqual({expected: 400, counted: 400, overlaps: 0})
  }, 60_000)

  it('2 rounds of 20 spawned registers racing for a lock whose holder is SIGKILLed: every entry is there', async () => {
    const r = await registerRace({rounds: 2, concurrency: 20, holdMs: 2500})
    console.log(`register race: ${r.found}/${r.expected} entries`)
    expect(r.failures).toEqual([])
    expect(r.found).toBe(r.expected)
  }, 90_000)

  it('a lock held by a live process times out with E_LOCKED (an environment error, exit 5), naming the pid', async () => {
    const target = join(tempDir(), 'dataset_info.json')
    writeFileSync(`${target}.lock`, `${process.pid} ${Date.now()} someone\n`)
    const err = await withLock(target, () => Promise.resolve('entered'), 300).catch((e: unknown) => e)
    expect(err).toMatchObject({code: 'E_LOCKED', exit: 5, message: expect.stringContaining(`process ${process.pid}`)})
  })
})
