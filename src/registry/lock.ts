import {open, readFile, rm, stat} from 'node:fs/promises'

import {LfdataError, ExitCode} from '../errors.js'

const STALE_MS = 30_000

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Runs `fn` holding an exclusive lock file (`<target>.lock`, created with O_EXCL). A lock whose owner process
 * is gone, or that is older than 30 s, is stale and taken over, so a killed register never blocks the next.
 */
export async function withLock<T>(target: string, fn: () => Promise<T>, timeoutMs = 20_000): Promise<T> {
  const lock = `${target}.lock`
  const started = Date.now()
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(lock, 'wx')
      await handle.writeFile(`${process.pid} ${Date.now()}\n`)
      await handle.close()
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const [pid] = (await readFile(lock, 'utf8').catch(() => '')).split(' ')
      const age = await stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0)
      if ((pid && !alive(Number(pid))) || age > STALE_MS) {
        await rm(lock, {force: true})
        continue
      }
      if (Date.now() - started > timeoutMs) {
        throw new LfdataError('E_LOCKED', ExitCode.badInput, `${target} is locked by process ${pid}`, {suggestion: `wait for it, or remove ${lock} if that process is gone`})
      }
      await new Promise((r) => setTimeout(r, Math.min(200, 5 + attempt * 10) + Math.random() * 20))
    }
  }
  try {
    return await fn()
  } finally {
    await rm(lock, {force: true})
  }
}
