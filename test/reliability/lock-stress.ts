// Processes hammering withLock on one file while a fifth of the critical sections end by abandoning the lock to a
// dead pid, so every waiter races to take the same stale lock over. Used by lock.test.ts and `npm run torture`.
import {spawn, spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

const WORKER = fileURLToPath(new URL('lock-worker.ts', import.meta.url))

export interface LockStressResult {
  /** workers × iterations critical sections. */
  expected: number
  /** The counter every critical section bumped: less than expected means two were inside at once. */
  counted: number
  /** Times a worker found another inside the critical section. */
  overlaps: number
}

export async function lockStress(workers: number, iterations: number, seed: number): Promise<LockStressResult> {
  const dir = mkdtempSync(join(tmpdir(), 'lfdata-lock-'))
  try {
    const target = join(dir, 'counter')
    writeFileSync(target, '0')
    const deadPid = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString()
    const outs = await Promise.all(Array.from({length: workers}, (_, w) => new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', WORKER, target, String(iterations), deadPid, String(seed + w)])
      let out = ''
      let err = ''
      child.stdout.on('data', (d: Buffer) => (out += d.toString()))
      child.stderr.on('data', (d: Buffer) => (err += d.toString()))
      child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`lock worker exited ${code}: ${err}`))))
    })))
    return {expected: workers * iterations, counted: Number(readFileSync(target, 'utf8')), overlaps: outs.reduce((n, o) => n + Number(o), 0)}
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}
