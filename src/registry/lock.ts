import {createHash, randomBytes} from 'node:crypto'
import {writeFileSync} from 'node:fs'
import {link, readFile, rm, stat} from 'node:fs/promises'

import {tempPathFor, trackTemp} from '../io/atomic.js'
import {ExitCode, LfdataError} from '../errors.js'

/** A lock with no owner written in it (made by hand or by another tool) counts as abandoned once this old. */
const OWNERLESS_MS = 2_000

/** What a lock (or reap claim) file says about its holder. `id` is unique to one acquisition: "PID TIME TOKEN". */
interface Holder {
  id: string
  pid?: number
  ageMs: number
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

const abandoned = (h: Holder) => (h.pid === undefined ? h.ageMs > OWNERLESS_MS : !alive(h.pid))

/**
 * Creates `path` already holding `content`, or returns false when it exists: the content goes to a private
 * temp file that is hard-linked into place (link fails on an existing name, like O_EXCL), so a process killed
 * at any moment never leaves a lock without its owner in it.
 */
async function create(path: string, content: string): Promise<boolean> {
  const mine = tempPathFor(path)
  // Known to the signal handler before it exists, and written synchronously so no signal lands between the
  // two: a SIGINT while the link is in flight removes it (a torture run found one left by a SIGINT before).
  const untrack = trackTemp(mine)
  try {
    writeFileSync(mine, content)
    await link(mine, path)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  } finally {
    await rm(mine, {force: true})
    untrack()
  }
}

/** Who holds `path`, or undefined when it does not exist. An empty file is named by its inode and mtime. */
async function holder(path: string): Promise<Holder | undefined> {
  try {
    const text = (await readFile(path, 'utf8')).trim()
    const st = await stat(path)
    const pid = Number(text.split(' ')[0])
    return {
      id: text || `ownerless ${st.ino} ${st.mtimeMs}`,
      pid: Number.isInteger(pid) && pid > 0 ? pid : undefined,
      ageMs: Date.now() - st.mtimeMs,
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

/**
 * Removes the abandoned `path` if it is still the one `seen` described: the compare-and-swap of the takeover.
 * Several waiters can find the same abandoned lock; each must create the claim file named after that lock's
 * id, so only one of them ever removes it, and it re-reads the lock under the claim (a lock is only removed by
 * its owner or by the one claimant of its id, so what it re-reads cannot change before the rm). A claimant
 * killed mid-way leaves a claim that is itself reaped the same way. Returns whether anything was removed.
 */
async function reap(path: string, seen: Holder, me: string): Promise<boolean> {
  const claim = `${path}.reap-${createHash('sha256').update(seen.id).digest('hex').slice(0, 16)}`
  if (!(await create(claim, me))) {
    const other = await holder(claim)
    return other !== undefined && abandoned(other) && reap(claim, other, me)
  }
  try {
    if ((await holder(path))?.id !== seen.id) return false
    await rm(path, {force: true})
    return true
  } finally {
    await rm(claim, {force: true})
  }
}

/**
 * Runs `fn` holding an exclusive lock file (`<target>.lock`, content "PID TIME TOKEN"). A lock whose process is
 * gone (or that names no process and is 2 s old) is taken over; a live holder is waited for, up to `timeoutMs`.
 * Liveness is tested with the pid, so the lock serialises processes of one machine.
 */
export async function withLock<T>(target: string, fn: () => Promise<T>, timeoutMs = 20_000): Promise<T> {
  const lock = `${target}.lock`
  const me = `${process.pid} ${Date.now()} ${randomBytes(8).toString('hex')}\n`
  const started = Date.now()
  for (let attempt = 0; ; attempt++) {
    if (await create(lock, me)) break
    const h = await holder(lock)
    if (h === undefined) continue
    if (abandoned(h) && (await reap(lock, h, me))) continue
    if (Date.now() - started > timeoutMs) {
      throw new LfdataError('E_LOCKED', ExitCode.environment, `${target} is locked by ${h.pid ? `process ${h.pid}` : 'another program'} (waited ${Math.round(timeoutMs / 1000)} s)`, {
        suggestion: `wait for it to finish, or delete ${lock} if no lfdata is running`,
      })
    }
    await new Promise((r) => setTimeout(r, Math.min(200, 5 + attempt * 10) + Math.random() * 20))
  }
  try {
    return await fn()
  } finally {
    // Only ever our own lock: nobody else removes a lock whose owner is alive.
    if ((await holder(lock))?.id === me.trim()) await rm(lock, {force: true})
  }
}
