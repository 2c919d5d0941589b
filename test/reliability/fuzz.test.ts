import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import fc from 'fast-check'
import {afterAll, describe, expect, it} from 'vitest'

import {LfdataError} from '../../src/errors.js'
import {readRows} from '../../src/io/read.js'
import {lfdata} from '../e2e.js'
import {tempDir} from '../io/helpers.js'

const VALID: Record<string, string> = {
  'x.csv': 'instruction,input,output\n"a, b",,"say ""hi""\nthere"\n中文,上下文,回答\n',
  'x.jsonl': '{"instruction":"a","output":"b"}\n{"messages":[{"role":"user","content":"中"}]}\n',
  'x.json': '[{"instruction":"a","output":"b"},{"instruction":"c","output":{"d":[1,2]}}]\n',
}
const counts = {inProcess: 0, spawned: 0}
afterAll(() => console.log(`fuzz: ${counts.inProcess} reader cases in-process, ${counts.spawned} through the CLI`))

/** Reads a file fully; any error must be one of lfdata's own (never a TypeError or the like). */
async function readAll(path: string): Promise<void> {
  try {
    for await (const _ of readRows(path)) void _
  } catch (error) {
    if (!(error instanceof LfdataError)) throw error
  }
}

const mutation = (base: Buffer) => fc.oneof(
  fc.uint8Array({maxLength: 400}).map((b) => Buffer.from(b)),
  fc.tuple(fc.nat(base.length), fc.integer({min: 0, max: 255})).map(([i, v]) => {
    const b = Buffer.from(base)
    if (b.length) b[i % b.length] = v
    return b
  }),
  fc.nat(base.length).map((n) => base.subarray(0, n)),
  fc.tuple(fc.nat(base.length), fc.uint8Array({maxLength: 20})).map(([i, ins]) => Buffer.concat([base.subarray(0, i), Buffer.from(ins), base.subarray(i)])),
)

describe('fuzzing the readers', () => {
  const dir = tempDir()
  for (const [name, text] of Object.entries(VALID)) {
    it(`random bytes and mutations of a valid ${name} never crash with an internal error`, async () => {
      const base = Buffer.from(text)
      await fc.assert(fc.asyncProperty(mutation(base), async (bytes) => {
        const path = join(dir, name)
        writeFileSync(path, bytes)
        counts.inProcess++
        await readAll(path)
      }), {numRuns: 300})
    })
  }

  it('the CLI turns mutated inputs into exit 0, 2 or 3 — never 1 — and never hangs', async () => {
    const base = Buffer.from(VALID['x.jsonl']!)
    await fc.assert(fc.asyncProperty(mutation(base), async (bytes) => {
      const path = join(dir, 'cli.jsonl')
      writeFileSync(path, bytes)
      counts.spawned++
      const r = await lfdata(['convert', path, '-o', join(dir, 'cli.out.jsonl')])
      expect([0, 2, 3]).toContain(r.code)
      expect(r.stderr).not.toMatch(/^\s+at /m)
    }), {numRuns: 25})
  }, 120_000)
})
