// Concurrent `lfdata register` processes racing for dataset_info.json while a lock left by a killed process is
// in place. Shared by the reliability test (a few rounds) and `npm run torture` (10 rounds × 20).
import {spawn} from 'node:child_process'
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url))

export interface RaceOptions {
  rounds: number
  /** register processes started at once per round. */
  concurrency: number
  /**
   * How long a live process holds the lock while the registers start (default 4 s); it is then SIGKILLed, so
   * its lock goes stale while every register is waiting on it and they all find it stale at about once.
   */
  holdMs?: number
}

export interface RaceResult {
  rounds: number
  /** rounds × concurrency: one entry per register. */
  expected: number
  /** Entries found in dataset_info.json after each round, summed. */
  found: number
  lost: number
  /** Registers that exited non-zero, with their stderr (first line). */
  failures: string[]
}


function run(args: string[], cwd: string): Promise<{code: number; stderr: string}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {cwd, stdio: ['ignore', 'ignore', 'pipe']})
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({code: code ?? -1, stderr}))
  })
}

/** Runs the race and counts the entries that made it into dataset_info.json. */
export async function registerRace(opts: RaceOptions): Promise<RaceResult> {
  const result: RaceResult = {rounds: opts.rounds, expected: opts.rounds * opts.concurrency, found: 0, lost: 0, failures: []}
  const root = mkdtempSync(join(tmpdir(), 'lfdata-race-'))
  try {
    for (let round = 0; round < opts.rounds; round++) {
      const dir = join(root, `r${round}`)
      mkdirSync(join(dir, 'data'), {recursive: true})
      writeFileSync(join(dir, 'data', 'a.jsonl'), '{"instruction":"q","output":"a"}\n')
      writeFileSync(join(dir, 'data', 'dataset_info.json'), '{}\n')
      // The lock format lfdata writes: "PID TIME".
      const holder = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {stdio: 'ignore'})
      writeFileSync(join(dir, 'data', 'dataset_info.json.lock'), `${holder.pid} ${Date.now()}\n`)
      const runs = Promise.all(Array.from({length: opts.concurrency}, (_, i) => run(['register', 'data/a.jsonl', '--name', `n${i}`], dir)))
      await new Promise((r) => setTimeout(r, opts.holdMs ?? 4000))
      holder.kill('SIGKILL')
      for (const r of await runs) if (r.code !== 0) result.failures.push(`exit ${r.code}: ${r.stderr.split('\n')[0]}`)
      const info = JSON.parse(readFileSync(join(dir, 'data', 'dataset_info.json'), 'utf8')) as Record<string, unknown>
      result.found += Object.keys(info).length
    }
  } finally {
    rmSync(root, {recursive: true, force: true})
  }
  result.lost = result.expected - result.found
  return result
}

// `node --import tsx test/reliability/register-race.ts [ROUNDS] [CONCURRENCY]` prints the counts.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [rounds = 10, concurrency = 20] = process.argv.slice(2).map(Number)
  const r = await registerRace({rounds, concurrency})
  console.log(`register race: ${r.rounds} rounds × ${concurrency} concurrent registers with a stale lock: ${r.found}/${r.expected} entries, ${r.lost} lost, ${r.failures.length} failed`)
  for (const f of r.failures.slice(0, 5)) console.log(`  ${f}`)
  process.exitCode = r.lost === 0 && r.failures.length === 0 ? 0 : 1
}
