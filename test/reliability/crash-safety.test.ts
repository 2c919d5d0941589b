// SIGKILL convert and register at random moments: what they write must always be the old complete file or
// the new complete one (same sha256 as an uninterrupted run), never torn.
import {spawn} from 'node:child_process'
import {createHash} from 'node:crypto'
import {existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {afterAll, describe, expect, it} from 'vitest'

import {lfdata} from '../e2e.js'
import {tempDir} from '../io/helpers.js'

const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url))
const KILLS = 50
const sha = (p: string) => (existsSync(p) ? createHash('sha256').update(readFileSync(p)).digest('hex') : 'absent')
const outcomes = {convert: {old: 0, new: 0}, register: {old: 0, new: 0}}
afterAll(() => {
  const say = (o: {old: number; new: number}) => `${o.old + o.new} killed (${o.old} left the old file, ${o.new} the new one)`
  console.log(`crash safety: SIGKILL at random moments; convert ${say(outcomes.convert)}, register ${say(outcomes.register)}; none torn`)
})

/** Starts the CLI and SIGKILLs it after `ms` (it may have finished by then). */
async function killAfter(args: string[], cwd: string, ms: number): Promise<void> {
  const child = spawn(process.execPath, [BIN, ...args], {cwd, stdio: 'ignore'})
  const closed = new Promise((resolve) => child.on('close', resolve))
  await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, ms))])
  child.kill('SIGKILL')
  await closed
}

interface Slot {
  cwd: string
  args: string[]
  target: string
}

/**
 * Two slots run side by side (one per core), each prepared by `reset(slot)` with the old file in place. First
 * both run to completion: the new file's sha256 and the duration D of a run under these conditions. Then
 * KILLS runs, each killed at a random moment between 30% and 120% of D, so kills land while reading, while
 * writing the temp file, around the rename, and after the end.
 */
async function killLoop(reset: (slot: number) => Slot, tally: {old: number; new: number}) {
  const old = sha(reset(0).target)
  const durations = await Promise.all([0, 1].map(async (slot) => {
    const {cwd, args, target} = reset(slot)
    const started = Date.now()
    const r = await lfdata(args, {cwd})
    expect(r.code, r.stderr).toBe(0)
    return {ms: Date.now() - started, sha: sha(target)}
  }))
  const fresh = durations[0]!.sha
  expect(durations[1]!.sha).toBe(fresh)
  expect(fresh).not.toBe(old)
  const duration = Math.max(...durations.map((d) => d.ms))
  for (let k = 0; k < KILLS; k += 2) {
    await Promise.all([0, 1].map(async (slot) => {
      const {cwd, args, target} = reset(slot)
      await killAfter(args, cwd, duration * (0.3 + 0.9 * Math.random()))
      const got = sha(target)
      expect([old, fresh], `torn ${target} after a kill`).toContain(got)
      tally[got === fresh ? 'new' : 'old']++
    }))
  }
}

describe('SIGKILL at random moments', () => {
  it(`convert: the output is the old file or the complete new one (${KILLS} kills)`, async () => {
    const dir = tempDir()
    // ~5 MB: about a second on an idle core (half of it start-up), the rest streaming into the temp file.
    writeFileSync(join(dir, 'in.jsonl'), Array.from({length: 25_000}, (_, i) => JSON.stringify({instruction: `question ${i} ${'词'.repeat(i % 97)}`, output: `answer ${i} ${'x'.repeat(i % 41)}`})).join('\n') + '\n')
    await killLoop((slot) => {
      writeFileSync(join(dir, `out${slot}.jsonl`), 'OLD CONTENT\n')
      return {cwd: dir, args: ['convert', 'in.jsonl', '-o', `out${slot}.jsonl`], target: join(dir, `out${slot}.jsonl`)}
    }, outcomes.convert)
    // Killed runs may leave their temp files (git-ignored `.lfdata-tmp-*`), never anything that looks like output.
    for (const f of readdirSync(dir)) expect(f).toMatch(/^(in\.jsonl|out[01]\.jsonl(\.lfdata\.json)?|\.lfdata-tmp-.*)$/)
  }, 300_000)

  it(`register: dataset_info.json is the old file or the complete new one (${KILLS} kills)`, async () => {
    const dir = tempDir()
    // A large dataset_info.json (2,000 entries) widens the write window.
    const original = JSON.stringify(Object.fromEntries(Array.from({length: 2000}, (_, i) => [`ds_${i}`, {file_name: `f${i}.json`, columns: {prompt: 'instruction', response: 'output'}}])), null, 2) + '\n'
    const prepare = (sub: string) => {
      mkdirSync(join(sub, 'data'), {recursive: true})
      writeFileSync(join(sub, 'data', 'a.jsonl'), '{"instruction":"q","output":"a"}\n')
      writeFileSync(join(sub, 'data', 'dataset_info.json'), original)
      // A lock left by the previous killed run would be taken over; that is tested on its own below.
      rmSync(join(sub, 'data', 'dataset_info.json.lock'), {force: true})
      return join(sub, 'data', 'dataset_info.json')
    }
    await killLoop((slot) => ({cwd: join(dir, `run${slot}`), args: ['register', 'data/a.jsonl', '--name', 'new_one'], target: prepare(join(dir, `run${slot}`))}), outcomes.register)
  }, 300_000)

  it('a lock left by a killed register is taken over', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'data'))
    writeFileSync(join(dir, 'data', 'a.jsonl'), '{"instruction":"q","output":"a"}\n')
    writeFileSync(join(dir, 'data', 'dataset_info.json.lock'), '999999999 0\n')
    const r = await lfdata(['register', 'data/a.jsonl', '--name', 'a'], {cwd: dir})
    expect(r.code, r.stderr).toBe(0)
  })

  // Known bug (src/registry/lock.ts): a register killed between creating the lock (O_EXCL) and writing its pid
  // leaves an empty lock, which has no owner to test, so the next register waits out the 20 s timeout and fails
  // with E_LOCKED until the lock is 30 s old. Skipped, not it.fails: it would cost 20 s of every test run.
  it.skip('an empty lock left by a register killed mid-creation is taken over promptly', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'data'))
    writeFileSync(join(dir, 'data', 'a.jsonl'), '{"instruction":"q","output":"a"}\n')
    writeFileSync(join(dir, 'data', 'dataset_info.json.lock'), '')
    const started = Date.now()
    const r = await lfdata(['register', 'data/a.jsonl', '--name', 'a'], {cwd: dir})
    expect(r.code, r.stderr).toBe(0)
    expect(Date.now() - started).toBeLessThan(10_000)
  })
})
