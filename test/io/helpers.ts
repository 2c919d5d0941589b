import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll} from 'vitest'

import type {Row} from '../../src/io/types.js'

// Temp dirs live until the test file is done (e2e runs read them back), then go: CI runs leave nothing in /tmp.
const made: string[] = []
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, {recursive: true, force: true})
})

export function tempDir(prefix = 'lfdata-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  made.push(dir)
  return dir
}

/** Writes `content` into a fresh temp dir and returns the path. */
export function tempFile(name: string, content: string | Uint8Array): string {
  const path = join(tempDir(), name)
  writeFileSync(path, content)
  return path
}

export async function collect(rows: AsyncIterable<Row>): Promise<Row[]> {
  const out: Row[] = []
  for await (const row of rows) out.push(row)
  return out
}
