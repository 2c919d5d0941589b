import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import type {Row} from '../../src/io/types.js'

export function tempDir(prefix = 'lfdata-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
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
