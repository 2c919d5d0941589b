import {randomBytes} from 'node:crypto'
import {rename, rm, writeFile} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'

/**
 * Temp path beside the target, so the final rename stays on one filesystem and is atomic: a crash leaves
 * the old file or the new one, never a torn one. The `.lfdata-tmp-` prefix is git-ignored.
 */
export function tempPathFor(target: string): string {
  return join(dirname(target), `.lfdata-tmp-${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}`)
}

/** Writes `data` to `target` atomically (temp file + fsync + rename). */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const tmp = tempPathFor(target)
  try {
    await writeFile(tmp, data, {flush: true})
    await rename(tmp, target)
  } catch (error) {
    await rm(tmp, {force: true})
    throw error
  }
}
