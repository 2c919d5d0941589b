import {spawn} from 'node:child_process'
import {createHash} from 'node:crypto'
import {existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {afterAll, describe, expect, it} from 'vitest'

import {tempDir} from '../io/helpers.js'
import {lfdata} from '../e2e.js'

const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url))
const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex')
const counts = {convert: 0, register: 0}
afterAll(() => console.log(`crash safety: ${counts.convert} convert and ${counts.register} register runs killed with SIGKILL, all left old-or-new files`))

/** Starts the CLI and SIGKILLs it after `ms`. */
async function killAfter(args: string[], cwd: string, ms: number): Promise<void> {
  const child = spawn(process.execPath, [BIN, ...args], {cwd, stdio: 'ignore'})
  await new Promise((r) => setTimeout(r, ms))
  child.kill('SIGKILL')
  await new Promise((r) => child.on('close', r))
}

describe('SIGKILL at random moments', () => {
  it('convert: the output is always the old file or the complete new one (50 kills)', async () => {
    const dir = tempDir()
    const input = join(dir, 'in.jsonl')
    writeFileSync(input, Array.from({length: 60_000}, (_, i) => JSON.stringify({instruction: `question ${i} ${'x'.repeat(i % 97)}`, output: `answer ${i}`})).join('\n') + '\n')
    const out = join(dir, 'out.jsonl')
    const r = await lfdata(['convert', input, '-o', out])
    expect(r.code, r.stderr).toBe(0)
    const fresh = sha(out)
    writeFileSync(out, 'OLD CONTENT\n')
    const old = sha(out)
    for (let k = 0; k < 50; k += 2) {
      // Two at a time on the two cores; each writes its own output.
      await Promise.all([0, 1].map(async (j) => {
        const target = j === 0 ? out : join(dir, 'out2.jsonl')
        if (j === 1) writeFileSync(target, 'OLD CONTENT\n')
        await killAfter(['convert', input, '-o', target], dir, 150 + Math.floor(Math.random() * 900))
        counts.convert++
        expect([old, fresh]).toContain(sha(target))
      }))
    }
    // No temp files survive in a way that could be mistaken for output (they are dot-prefixed and git-ignored).
    for (const f of readdirSync(dir)) expect(f === 'in.jsonl' || f.startsWith('out') || f.startsWith('.lfdata-tmp-')).toBe(true)
  }, 240_000)

  it('register: dataset_info.json is always the old or the new complete file (50 kills)', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'data'))
    writeFileSync(join(dir, 'data', 'a.jsonl'), '{"instruction":"q","output":"a"}\n')
    const info = Object.fromEntries(Array.from({length: 400}, (_, i) => [`ds_${i}`, {file_name: `f${i}.json`}]))
    const original = JSON.stringify(info, null, 2) + '\n'
    for (let k = 0; k < 50; k += 2) {
      await Promise.all([0, 1].map(async (j) => {
        const sub = join(dir, `run${j}`)
        mkdirSync(join(sub, 'data'), {recursive: true})
        writeFileSync(join(sub, 'data', 'a.jsonl'), '{"instruction":"q","output":"a"}\n')
        writeFileSync(join(sub, 'data', 'dataset_info.json'), original)
        await killAfter(['register', 'data/a.jsonl', '--name', 'new_one'], sub, 100 + Math.floor(Math.random() * 500))
        counts.register++
        const text = readFileSync(join(sub, 'data', 'dataset_info.json'), 'utf8')
        if (text !== original) {
          const parsed = JSON.parse(text)
          expect(Object.keys(parsed)).toEqual([...Object.keys(info), 'new_one'])
        }
        expect(existsSync(join(sub, 'data', 'dataset_info.json.lock')) ? 'lock may remain; the next run takes it over as stale' : 'ok').toBeTruthy()
      }))
    }
  }, 240_000)

  it('a lock left by a killed register is taken over', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'data'))
    writeFileSync(join(dir, 'data', 'a.jsonl'), '{"instruction":"q","output":"a"}\n')
    writeFileSync(join(dir, 'data', 'dataset_info.json.lock'), '999999999 0\n')
    const r = await lfdata(['register', 'data/a.jsonl', '--name', 'a'], {cwd: dir})
    expect(r.code, r.stderr).toBe(0)
  })
})
