// Property-based fuzzing: random bytes and random mutations of valid files never crash the readers or the
// converter with anything but lfdata's own errors, never hang, and never make the CLI exit 1.
import {spawn} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {gzipSync} from 'node:zlib'

import fc from 'fast-check'
import {afterAll, describe, expect, it} from 'vitest'

import {LfdataError} from '../../src/errors.js'
import {readRows} from '../../src/io/read.js'
import {convert} from '../../src/pipeline/convert.js'
import {silentReporter} from '../../src/reporter.js'
import {DEFAULT_NORMALIZE} from '../../src/transforms/normalize.js'
import {tempDir} from '../io/helpers.js'
import {writeTinyTokenizer} from './tiny-tokenizer.js'

const VALID: Record<string, string> = {
  'x.csv': 'instruction,input,output\n"a, b",,"say ""hi""\nthere"\n中文,上下文,回答\r\nq,,"a"\n',
  'x.tsv': 'instruction\tinput\toutput\nq\t\ta\n中文\t"引号"\t回答\n',
  'x.jsonl': '{"instruction":"a","output":"b"}\n{"messages":[{"role":"user","content":"中"},{"role":"assistant","content":"文"}]}\n{"conversations":[{"from":"human","value":"q"},{"from":"gpt","value":"a"}],"system":"s"}\n',
  'x.json': '[{"instruction":"a","output":"b"},{"instruction":"c","input":"d","output":"e\\u00e9"},\n {"instruction":"q","output":"a","history":[["h","i"]]}]\n',
}
const BINARY = new Set(['x.jsonl.gz'])
VALID['x.jsonl.gz'] = VALID['x.jsonl']!
const bytesOf = (name: string) => (BINARY.has(name) ? gzipSync(Buffer.from(VALID[name]!)) : Buffer.from(VALID[name]!))

const IN_PROCESS_RUNS = 600
const CONVERT_RUNS = 200
const CLI_RUNS = 5
const HANG_MS = 10_000
const counts = {readers: 0, convert: 0, cli: 0}
afterAll(() => console.log(`fuzz: ${counts.readers} reader cases and ${counts.convert} convert cases in-process, ${counts.cli} through the CLI (convert and stats); no internal error, no hang`))

/** Bytes that break parsers: quotes, brackets, separators, escapes, NUL, invalid UTF-8, BOMs, CR. */
const NASTY = ['"', '""', ',', '\t', '\n', '\r', '\r\n', '{', '}', '[', ']', ':', '\\', '\\u', '\0', '\xff', '\ufeff', '\ud800', 'null', '__proto__']
  .map((s) => Buffer.from(s, s === '\xff' ? 'latin1' : 'utf8'))

/** Random bytes, or one mutation of `base`: a byte set, a truncation, an insertion, a deletion, a repeat. */
const mutation = (base: Buffer) => fc.oneof(
  fc.uint8Array({maxLength: 400}).map((b) => Buffer.from(b)),
  fc.tuple(fc.nat(base.length), fc.integer({min: 0, max: 255})).map(([i, v]) => {
    const b = Buffer.from(base)
    if (b.length) b[i % b.length] = v
    return b
  }),
  fc.nat(base.length).map((n) => base.subarray(0, n)),
  fc.tuple(fc.nat(base.length), fc.oneof(fc.uint8Array({maxLength: 20}).map((b) => Buffer.from(b)), fc.constantFrom(...NASTY)))
    .map(([i, ins]) => Buffer.concat([base.subarray(0, i), ins, base.subarray(i)])),
  fc.tuple(fc.nat(base.length), fc.nat(40)).map(([i, n]) => Buffer.concat([base.subarray(0, i), base.subarray(i + n)])),
  fc.tuple(fc.nat(base.length), fc.nat(base.length), fc.integer({min: 2, max: 50})).map(([i, j, k]) => {
    const [a, b] = i < j ? [i, j] : [j, i]
    return Buffer.concat([base.subarray(0, a), ...Array.from({length: k}, () => base.subarray(a, b)), base.subarray(b)])
  }),
)

async function withinTime<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`hang: ${what} took over ${HANG_MS} ms`)), HANG_MS)
  })
  try {
    return await Promise.race([work, hang])
  } finally {
    clearTimeout(timer)
  }
}

/** Runs `work`; an error is fine only when it is one of lfdata's own (never a TypeError, RangeError, ...). */
async function onlyOwnErrors(work: () => Promise<unknown>, what: string): Promise<void> {
  try {
    await withinTime(work(), what)
  } catch (error) {
    if (!(error instanceof LfdataError)) throw error
  }
}

describe('fuzzing in-process', () => {
  const dir = tempDir()

  for (const name of Object.keys(VALID)) {
    it(`readRows: random bytes and mutations of a valid ${name} (${IN_PROCESS_RUNS} cases)`, async () => {
      await fc.assert(fc.asyncProperty(mutation(bytesOf(name)), async (bytes) => {
        const path = join(dir, name)
        writeFileSync(path, bytes)
        counts.readers++
        await onlyOwnErrors(async () => {
          for await (const _ of readRows(path)) void _
        }, `reading ${name}`)
      }), {numRuns: IN_PROCESS_RUNS})
    }, 120_000)
  }

  for (const name of ['x.csv', 'x.jsonl', 'x.json']) {
    it(`convert: mutations of a valid ${name} (${CONVERT_RUNS} cases); prototypes untouched`, async () => {
      await fc.assert(fc.asyncProperty(mutation(bytesOf(name)), async (bytes) => {
        const path = join(dir, `c-${name}`)
        writeFileSync(path, bytes)
        counts.convert++
        await onlyOwnErrors(() => convert({
          inputs: [path], output: join(dir, 'out.jsonl'), map: {}, normalize: DEFAULT_NORMALIZE, filters: {dropEmpty: true},
          fixRoles: false, dedup: 'exact', nearThreshold: 0.8, nearFields: ['prompt', 'response'],
        }, silentReporter), `converting ${name}`)
        expect(({} as Record<string, unknown>).polluted).toBeUndefined()
      }), {numRuns: CONVERT_RUNS})
    }, 120_000)
  }
})

const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url))

/** Spawns the CLI; SIGKILLs it and reports a hang after HANG_MS. */
function cli(args: string[], cwd: string): Promise<{code: number | null; stderr: string; hung: boolean}> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {cwd, stdio: ['ignore', 'ignore', 'pipe']})
    let stderr = ''
    let hung = false
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const timer = setTimeout(() => {
      hung = true
      child.kill('SIGKILL')
    }, HANG_MS)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({code, stderr, hung})
    })
  })
}

describe('fuzzing through the CLI', () => {
  const dir = tempDir()
  const tiny = writeTinyTokenizer(join(dir, 'tiny'))
  const commands = {
    convert: (file: string) => ['convert', file, '-o', 'out.jsonl'],
    stats: (file: string) => ['stats', file, '--tokenizer', tiny, '--template', 'default'],
  }

  for (const [command, args] of Object.entries(commands)) {
    for (const name of ['x.csv', 'x.jsonl', 'x.json']) {
      it(`${command}: mutated ${name} exits 0, 2 or 3, never 1, never hangs (${CLI_RUNS} cases)`, async () => {
        await fc.assert(fc.asyncProperty(mutation(bytesOf(name)), async (bytes) => {
          writeFileSync(join(dir, name), bytes)
          counts.cli++
          const r = await cli(args(name), dir)
          expect(r.hung, `${command} ${name} hung`).toBe(false)
          expect([0, 2, 3], r.stderr).toContain(r.code)
          expect(r.stderr).not.toMatch(/^\s+at /m)
        }), {numRuns: CLI_RUNS})
      }, 180_000)
    }
  }
})
