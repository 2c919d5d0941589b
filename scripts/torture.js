#!/usr/bin/env node
// `npm run torture`: the destructive cases of issue 15 at volume, through the built CLI (run `npm run build`
// first). For each writing command (convert, register, stats --plot): SIGKILLs and SIGINTs at random moments,
// each followed by a check that the target is the old complete file or the new complete one (never torn), that
// a SIGINT left no temp file, and that after the next completed run no temp file is left at all. Then rounds of
// concurrent registers with a stale lock present (no entry may be lost), and every output/input aliasing pair
// (refused with exit 2, input bytes unchanged). Prints its counts; exits 1 on any failure.
//
// Seeded: TORTURE_SEED=N repeats a run's kill moments. TORTURE_KILLS / TORTURE_INTS / TORTURE_ROUNDS scale it.
// Lost register entries under a stale lock are a failure (the lock's takeover is a compare-and-swap since issue 15
// item 2; test/reliability/register-race.ts and lock-stress.ts race it harder, with the holder SIGKILLed mid-wait).
import {spawn} from 'node:child_process'
import {createHash} from 'node:crypto'
import {existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {basename, dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const BIN = fileURLToPath(new URL('../bin/run.js', import.meta.url))
const KILLS = Number(process.env.TORTURE_KILLS ?? 50)
const INTS = Number(process.env.TORTURE_INTS ?? 20)
const ROUNDS = Number(process.env.TORTURE_ROUNDS ?? 10)
const CONCURRENT = 20
const SEED = Number(process.env.TORTURE_SEED ?? Date.now() % 1_000_000)

// mulberry32: a small seeded PRNG, so a failing run can be repeated with its seed.
let state = SEED >>> 0
function random() {
  state = (state + 0x6d2b79f5) >>> 0
  let t = state
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

const root = mkdtempSync(join(tmpdir(), 'lfdata-torture-'))
const failures = []
const fail = (what) => {
  failures.push(what)
  console.log(`  FAIL ${what}`)
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const sha = (p) => (existsSync(p) ? createHash('sha256').update(readFileSync(p)).digest('hex') : 'absent')
const temps = (dir) => readdirSync(dir).filter((f) => f.startsWith('.lfdata-tmp-'))
const rows = (n, tag = '') => Array.from({length: n}, (_, i) => JSON.stringify({instruction: `question ${tag}${i} ${'词'.repeat(i % 37)}`, output: `answer ${i} ${'x'.repeat(i % 41)}`})).join('\n') + '\n'

/** Runs the CLI; `killAt(child, started)` may return a signal to send (polled every 2 ms). */
function run(args, cwd, killAt) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {cwd, stdio: ['ignore', 'ignore', 'pipe'], env: {...process.env, NO_COLOR: '1'}})
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d))
    let done = false
    let sent = null
    const started = Date.now()
    child.on('close', (code, signal) => {
      done = true
      resolve({code, signal, sent, stderr, pid: child.pid, ms: Date.now() - started})
    })
    if (!killAt) return
    ;(async () => {
      while (!done) {
        const sig = killAt(started)
        if (sig) {
          sent = sig
          child.kill(sig)
          return
        }
        await sleep(2)
      }
    })()
  })
}

/**
 * One writing command under SIGKILL and SIGINT. `setup(slot)` prepares slot's folder with the old target and
 * returns {cwd, args, target}. Kill moments: a random time in [0, 1.2 D] (D = an uninterrupted run), or once
 * a temp file for the target exists (mid-write) and then a random delay.
 */
async function tortureCommand(name, setup) {
  const t0 = Date.now()
  const reference = []
  for (const slot of [0, 1]) {
    const {cwd, args, target} = setup(slot)
    const old = sha(target)
    const r = await run(args, cwd)
    if (r.code !== 0) fail(`${name}: reference run exit ${r.code}: ${r.stderr.trim()}`)
    reference.push({old, fresh: sha(target), ms: r.ms})
  }
  const duration = Math.max(...reference.map((r) => r.ms))
  const tally = {kills: 0, ints: 0, old: 0, fresh: 0, torn: 0, intExit: 0, intTemps: 0, killTemps: 0, leftAfterNext: 0}
  const jobs = [...Array(KILLS).fill('SIGKILL'), ...Array(INTS).fill('SIGINT')].sort(() => random() - 0.5)
  const one = async (slot, signal) => {
    const {cwd, args, target} = setup(slot)
    const {old, fresh} = reference[slot]
    const at = random() * 1.2 * duration
    const afterTemp = random() < 0.5
    const delay = random() * duration * 0.3
    const dir = dirname(target)
    let seenTemp = 0
    const r = await run(args, cwd, (started) => {
      if (afterTemp) {
        if (!seenTemp && temps(dir).length > 0) seenTemp = Date.now()
        return seenTemp && Date.now() - seenTemp >= delay ? signal : null
      }
      return Date.now() - started >= at ? signal : null
    })
    const got = sha(target)
    if (got !== old && got !== fresh) {
      tally.torn++
      fail(`${name}: torn ${target} after ${signal}`)
    } else tally[got === fresh ? 'fresh' : 'old']++
    if (signal === 'SIGKILL') {
      tally.kills++
      tally.killTemps += temps(dir).length
    } else {
      tally.ints++
      // The signal arrived (130; or, during Node's own start-up before lfdata's handler exists, death by
      // SIGINT, which a shell also reports as 130), or the run had already finished (0).
      if (r.signal === 'SIGINT') r.code = 130
      if (r.sent && r.code !== 130 && r.code !== 0) fail(`${name}: SIGINT exit ${r.code} (${r.signal ?? ''}) ${r.stderr.trim()}`)
      if (r.code === 130) tally.intExit++
      // Only this run's temps (the pid is in the name): an earlier SIGKILL's stay until a run gets to write.
      const left = temps(dir).filter((f) => f.includes(`.${r.pid}.`)).length
      if (left > 0) {
        tally.intTemps += left
        fail(`${name}: SIGINT left ${left} temp file(s) in ${dir}`)
      }
    }
  }
  for (let i = 0; i < jobs.length; i += 2) await Promise.all([0, 1].filter((s) => i + s < jobs.length).map((s) => one(s, jobs[i + s])))
  // The next completed run in each folder removes what SIGKILL left.
  for (const slot of [0, 1]) {
    const {cwd, args, target} = setup(slot)
    const r = await run(args, cwd)
    if (r.code !== 0) fail(`${name}: run after the kills exit ${r.code}: ${r.stderr.trim()}`)
    tally.leftAfterNext += temps(dirname(target)).length
  }
  if (tally.leftAfterNext > 0) fail(`${name}: ${tally.leftAfterNext} temp file(s) left after the next run`)
  console.log(`${name}: ${tally.kills} SIGKILL + ${tally.ints} SIGINT (${tally.intExit} exited 130, the rest had finished); ` +
    `${tally.old} left the old file, ${tally.fresh} the new one, ${tally.torn} torn; SIGINT temp files left: ${tally.intTemps}; ` +
    `SIGKILL temp files left: ${tally.killTemps}, after the next run: ${tally.leftAfterNext} (${((Date.now() - t0) / 1000).toFixed(1)} s)`)
  return tally
}

// Each slot has its own folder, so one slot's SIGKILL litter is never counted against the other's SIGINT.
function convertSetup() {
  const input = rows(8000)
  return (slot) => {
    const dir = join(root, 'convert', `slot${slot}`)
    mkdirSync(dir, {recursive: true})
    if (!existsSync(join(dir, 'in.jsonl'))) writeFileSync(join(dir, 'in.jsonl'), input)
    const target = join(dir, 'out.jsonl')
    writeFileSync(target, 'OLD CONTENT\n')
    rmSync(`${target}.lfdata.json`, {force: true})
    rmSync(join(dir, 'rej.jsonl'), {force: true})
    return {cwd: dir, args: ['convert', 'in.jsonl', '-o', 'out.jsonl', '--rejects', 'rej.jsonl'], target}
  }
}

function registerSetup() {
  const original = JSON.stringify(Object.fromEntries(Array.from({length: 2000}, (_, i) => [`ds_${i}`, {file_name: `f${i}.json`, columns: {prompt: 'instruction', response: 'output'}}])), null, 2) + '\n'
  return (slot) => {
    const cwd = join(root, 'register', `slot${slot}`)
    mkdirSync(join(cwd, 'data'), {recursive: true})
    writeFileSync(join(cwd, 'data', 'a.jsonl'), rows(3))
    writeFileSync(join(cwd, 'data', 'dataset_info.json'), original)
    return {cwd, args: ['register', 'data/a.jsonl', '--name', 'new_one'], target: join(cwd, 'data', 'dataset_info.json')}
  }
}

function statsSetup() {
  const input = rows(1000)
  return (slot) => {
    const dir = join(root, 'stats', `slot${slot}`)
    mkdirSync(dir, {recursive: true})
    if (!existsSync(join(dir, 'in.jsonl'))) writeFileSync(join(dir, 'in.jsonl'), input)
    const target = join(dir, 'plot.svg')
    writeFileSync(target, '<svg>old</svg>\n')
    return {cwd: dir, args: ['stats', 'in.jsonl', '--tokenizer', 'qwen', '--workers', '0', '--plot', 'plot.svg'], target}
  }
}

/** ROUNDS × 20 concurrent registers, each round starting with a stale lock (its owner process is gone). */
async function concurrentRegisters() {
  const t0 = Date.now()
  let kept = 0
  let failedRuns = 0
  for (let round = 0; round < ROUNDS; round++) {
    const cwd = join(root, 'concurrent', `round${round}`)
    mkdirSync(join(cwd, 'data'), {recursive: true})
    for (let i = 0; i < CONCURRENT; i++) writeFileSync(join(cwd, 'data', `f${i}.jsonl`), rows(2, `r${round}f${i}`))
    // A lock left by a killed register: a pid that no longer exists.
    const dead = await new Promise((resolve) => {
      const child = spawn(process.execPath, ['-e', ''])
      child.on('close', () => resolve(child.pid))
    })
    writeFileSync(join(cwd, 'data', 'dataset_info.json.lock'), `${dead} ${Date.now()}\n`)
    const results = await Promise.all(Array.from({length: CONCURRENT}, (_, i) => run(['register', `data/f${i}.jsonl`, '--name', `r${round}_${i}`], cwd)))
    failedRuns += results.filter((r) => r.code !== 0).length
    for (const r of results) if (r.code !== 0) console.log(`  register exit ${r.code}: ${r.stderr.trim().split('\n')[0]}`)
    const path = join(cwd, 'data', 'dataset_info.json')
    const info = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {}
    kept += Array.from({length: CONCURRENT}, (_, i) => `r${round}_${i}`).filter((n) => n in info).length
  }
  const total = ROUNDS * CONCURRENT
  const lost = total - kept
  const line = `concurrent register: ${ROUNDS} rounds × ${CONCURRENT} with a stale lock present: ${kept}/${total} entries kept, ${lost} lost, ${failedRuns} runs failed (${((Date.now() - t0) / 1000).toFixed(1)} s)`
  console.log(line)
  if (lost > 0 || failedRuns > 0) fail(line)
  return {kept, total, lost}
}

/** Every output/input aliasing pair: exit 2, and the input (and every existing file) byte for byte unchanged. */
async function aliasing() {
  const t0 = Date.now()
  const dir = join(root, 'alias')
  mkdirSync(join(dir, 'data'), {recursive: true})
  mkdirSync(join(dir, 'sub'), {recursive: true})
  const write = () => {
    writeFileSync(join(dir, 'a.jsonl'), rows(30))
    writeFileSync(join(dir, 'data', 'd.jsonl'), rows(3))
    writeFileSync(join(dir, 'data', 'dataset_info.json'), '{}\n')
    writeFileSync(join(dir, 'precious.txt'), 'precious\n')
    linkSync(join(dir, 'a.jsonl'), join(dir, 'hard.jsonl'))
  }
  const convertOutputs = {'-o': ['-o'], '--rejects': ['--rejects'], '--dedup-report': ['--dedup', 'near', '--dedup-report']}
  const cases = []
  // convert: each output flag onto the input (plain, another spelling, a hard link), and onto each other output.
  for (const [flag, pre] of Object.entries(convertOutputs)) {
    for (const spelling of ['a.jsonl', './sub/../a.jsonl', 'hard.jsonl', join(dir, 'a.jsonl')]) {
      const args = ['convert', 'a.jsonl', ...(flag === '-o' ? [] : ['-o', 'out.jsonl']), ...pre, spelling]
      cases.push({what: `convert ${flag} ${spelling}`, args})
    }
  }
  cases.push({what: 'convert --rejects = -o', args: ['convert', 'a.jsonl', '-o', 'out.jsonl', '--rejects', 'out.jsonl']})
  cases.push({what: 'convert --dedup-report = -o', args: ['convert', 'a.jsonl', '-o', 'out.jsonl', '--dedup', 'near', '--dedup-report', 'out.jsonl']})
  cases.push({what: 'convert --dedup-report = --rejects', args: ['convert', 'a.jsonl', '-o', 'out.jsonl', '--rejects', 'r.jsonl', '--dedup', 'near', '--dedup-report', 'r.jsonl']})
  cases.push({what: 'convert --rejects = the manifest', args: ['convert', 'a.jsonl', '-o', 'out.jsonl', '--rejects', 'out.jsonl.lfdata.json']})
  cases.push({what: 'convert the manifest = the input', args: ['convert', 'out.jsonl.lfdata.json', '--input-format', 'jsonl', '-o', 'out.jsonl'], before: () => writeFileSync(join(dir, 'out.jsonl.lfdata.json'), rows(5))})
  cases.push({what: 'stats --plot = the input', args: ['stats', 'a.jsonl', '--tokenizer', 'qwen', '--plot', 'a.jsonl']})
  cases.push({what: 'stats --plot = a hard link of the input', args: ['stats', 'a.jsonl', '--tokenizer', 'qwen', '--plot', 'hard.jsonl']})
  cases.push({what: 'register --yaml = the data file', args: ['register', 'data/d.jsonl', '--name', 'd', '--yaml', 'data/d.jsonl']})
  cases.push({what: 'register --yaml = dataset_info.json', args: ['register', 'data/d.jsonl', '--name', 'd', '--yaml', 'data/dataset_info.json']})
  cases.push({what: 'register --copy onto a link to its source', args: ['register', 'a.jsonl', '--name', 'a', '--copy'], before: () => symlinkSync(join(dir, 'a.jsonl'), join(dir, 'data', 'a.jsonl'))})
  cases.push({what: 'register --copy onto a link out of the folder', args: ['register', 'a.jsonl', '--name', 'a', '--copy'], before: () => symlinkSync(join(dir, 'precious.txt'), join(dir, 'data', 'a.jsonl'))})
  // Every file in the workspace, by content: a refused run must change, add and remove nothing.
  const snapshot = () => Object.fromEntries(['.', 'data', 'sub'].flatMap((d) => readdirSync(join(dir, d)).map((f) => join(d, f)).filter((f) => statSync(join(dir, f)).isFile()).map((f) => [f, sha(join(dir, f))])))
  let refused = 0
  for (const c of cases) {
    for (const d of ['.', 'data']) for (const f of readdirSync(join(dir, d))) if (f !== 'data' && f !== 'sub') rmSync(join(dir, d, f), {force: true})
    write()
    c.before?.()
    const before = snapshot()
    const r = await run(c.args, dir)
    const after = snapshot()
    const changed = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((f) => before[f] !== after[f])
    if (r.code !== 2) fail(`aliasing: ${c.what}: exit ${r.code} ${r.stderr.trim().split('\n')[0]}`)
    else if (changed.length > 0) fail(`aliasing: ${c.what}: changed ${changed.join(', ')}`)
    else refused++
  }
  console.log(`aliasing: ${refused}/${cases.length} output/input pairs refused with exit 2, inputs unchanged (${((Date.now() - t0) / 1000).toFixed(1)} s)`)
  return {refused, total: cases.length}
}

const started = Date.now()
console.log(`torture: seed ${SEED}, ${KILLS} SIGKILL + ${INTS} SIGINT per writing command, ${ROUNDS} × ${CONCURRENT} concurrent registers; in ${root}`)
try {
  await tortureCommand('convert', convertSetup())
  await tortureCommand('register', registerSetup())
  await tortureCommand('stats --plot', statsSetup())
  await concurrentRegisters()
  await aliasing()
} finally {
  rmSync(root, {recursive: true, force: true})
}
console.log(`torture: ${failures.length} failure(s) in ${((Date.now() - started) / 1000).toFixed(1)} s (seed ${SEED})`)
process.exitCode = failures.length > 0 ? 1 : 0
