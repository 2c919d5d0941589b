import {link, readFile, rm, stat, writeFile} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'

import {LfdataError, ExitCode} from '../errors.js'

const STALE_MS = 30_000
/** A lock with no owner written in it (made by an older lfdata, or by hand) is stale once this old. */
const OWNERLESS_MS = 2_000

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Creates `lock` already holding our pid, or returns false when it exists: the content is written to a private
 * file first and hard-linked into place (link fails on an existing name, like O_EXCL), so a process killed at
 * any moment never leaves an empty lock whose owner cannot be tested.
 */
async function create(lock: string): Promise<boolean> {
  const mine = join(dirname(lock), `.${basename(lock)}.${process.pid}.${Math.random().toString(36).slice(2)}`)
  await writeFile(mine, `${process.pid} ${Date.now()}\n`)
  try {
    await link(mine, lock)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  } finally {
    await rm(mine, {force: true})
  }
}

/**
 * Runs `fn` holding an exclusive lock file (`<target>.lock`). A lock whose owner process is gone, that names
 * no owner and is 2 s old, or that is older than 30 s, is stale and taken over, so a killed register never
 * blocks the next.
 */
export async function withLock<T>(target: string, fn: () => Promise<T>, timeoutMs = 20_000): Promise<T> {
  const lock = `${target}.lock`
  const started = Date.now()
  for (let attempt = 0; ; attempt++) {
    if (await create(lock)) break
    const pid = Number((await readFile(lock, 'utf8').catch(() => '')).split(' ')[0])
    const age = await stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0)
    const owned = Number.isInteger(pid) && pid > 0
    if ((owned && !alive(pid)) || (!owned && age > OWNERLESS_MS) || age > STALE_MS) {
      await rm(lock, {force: true})
      continue
    }
    if (Date.now() - started > timeoutMs) {
      throw new LfdataError('E_LOCKED', ExitCode.badInput, `${target} is locked by process ${owned ? pid : '(unknown)'}`, {suggestion: `wait for it, or remove ${lock} if that process is gone`})
    }
    await new Promise((r) => setTimeout(r, Math.min(200, 5 + attempt * 10) + Math.random() * 20))
  }
  try {
    return await fn()
  } finally {
    await rm(lock, {force: true})
  }
}
