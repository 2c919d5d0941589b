// SIGKILL convert and register at random moments: what they write must always be the old complete file or
// the new complete one (same sha256 as an uninterrupted run), never torn.
import {spawn} from 'node:child_process'
import {createHash} from 'node:crypto'
import {existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {basename, dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {afterAll, describe, expect, it} from 'vitest'

import {lfdata} from '../e2e.js'
import {tempDir} from '../io/helpers.js'
import {seededRandom, TEST_SEED} from '../seed.js'

const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url))
const KILLS = 50
const sha = (p: string) => (existsSync(p) ? createHash('sha256').update(readFileSync(p)).digest('hex') : 'absent')
interface Tally {
  old: number
  new: number
  /** Kills that landed while the temp file was partly written. */
  midWrite: number
}
const outcomes: Record<'convert' | 'register', Tally> = {convert: {old: 0, new: 0, midWrite: 0}, register: {old: 0, new: 0, midWrite: 0}}
afterAll(() => {
  const say = (o: Tally) => `${o.old + o.new} killed (${o.midWrite} mid-write; ${o.old} left the old file, ${o.new} the new one)`
  console.log(`crash safety: SIGKILL at random moments; convert ${say(outcomes.convert)}, register ${say(outcomes.register)}; none torn`)
})

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Size of the biggest temp file being written for `target` (atomic writes go to `.lfdata-tmp-NAME.*`), or -1. */
function tempSize(target: string): number {
  const dir = dirname(target)
  const prefix = `.lfdata-tmp-${basename(target)}.`
  let size = -1
  for (const f of readdirSync(dir)) {
    if (!f.startsWith(prefix)) continue
    try {
      size = Math.max(size, statSync(join(dir, f)).size)
    } catch {
      // renamed or removed between readdir and stat
    }
  }
  return size
}

/** Starts the CLI and SIGKILLs it once `due()` holds (polled every 2 ms); returns whether it was still running. */
async function killWhen(args: string[], cwd: string, due: () => boolean): Promise<boolean> {
  const child = spawn(process.execPath, [BIN, ...args], {cwd, stdio: 'ignore'})
  let exited = false
  const closed = new Promise((resolve) => child.on('close', () => resolve((exited = true))))
  while (!exited && !due()) await sleep(2)
  const running = !exited
  child.kill('SIGKILL')
  await closed
  return running
}

interface Slot {
  cwd: string
  args: string[]
  target: string
}

/**
 * Two slots run side by side (one per core), each prepared by `reset(slot)` with the old file in place. First
 * both run to completion: the new file (its sha256 and size) and the duration D of a run. Then KILLS runs,
 * killed at moments chosen three ways, so that machine load cannot push them all into start-up: at a random
 * time in [0, 1.2 D] (start-up, reading, writing, after the end); once the temp file has reached a random
 * fraction of the new file's size (mid-write, or written but not yet renamed); or as soon as the target
 * changes (just after the rename, while the process is still running).
 */
async function killLoop(reset: (slot: number) => Slot, tally: Tally) {
  const old = sha(reset(0).target)
  const reference = await Promise.all([0, 1].map(async (slot) => {
    const {cwd, args, target} = reset(slot)
    const started = Date.now()
    const r = await lfdata(args, {cwd})
    expect(r.code, r.stderr).toBe(0)
    return {ms: Date.now() - started, sha: sha(target), size: statSync(target).size}
  }))
  const fresh = reference[0]!.sha
  expect(reference[1]!.sha).toBe(fresh)
  expect(fresh).not.toBe(old)
  const duration = Math.max(...reference.map((r) => r.ms))
  const random = seededRandom()
  for (let k = 0; k < KILLS; k += 2) {
    await Promise.all([0, 1].map(async (slot) => {
      const {cwd, args, target} = reset(slot)
      const started = Date.now()
      const oldSize = statSync(target).size
      const at = random() * 1.2 * duration
      const fraction = random()
      const mode = (['time', 'write', 'renamed'] as const)[Math.floor(random() * 3)]
      let seen = -1
      const running = await killWhen(args, cwd, () => {
        if (mode === 'time') return Date.now() - started >= at
        if (mode === 'renamed') return statSync(target).size !== oldSize
        seen = tempSize(target)
        return seen >= fraction * reference[0]!.size
      })
      const got = sha(target)
      expect([old, fresh], `torn ${target} after a kill (${mode} at ${Math.round(at)} ms / ${fraction.toFixed(3)}; LFDATA_TEST_SEED=${TEST_SEED})`).toContain(got)
      tally[got === fresh ? 'new' : 'old']++
      if (running && mode === 'write' && seen >= 0 && seen < reference[0]!.size) tally.midWrite++
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
    expect(outcomes.convert.midWrite, 'no kill landed while the output was being written').toBeGreaterThan(0)
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

  // An empty lock (left by an older lfdata, or made by hand) names no owner to test: taken over after 2 s.
  it('an empty lock is taken over promptly', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'data'))
    writeFileSync(join(dir, 'data', 'a.jsonl'), '{"instruction":"q","output":"a"}\n')
    writeFileSync(join(dir, 'data', 'dataset_info.json.lock'), '')
    // Promptly: an empty lock names no process, so it is taken after 2 s, not the 30 s of a live-looking one;
    // the test's timeout is the bound (no wall-clock assertion).
    const r = await lfdata(['register', 'data/a.jsonl', '--name', 'a'], {cwd: dir})
    expect(r.code, r.stderr).toBe(0)
  }, 20_000)
})
