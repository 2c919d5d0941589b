import {execFile} from 'node:child_process'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {promisify} from 'node:util'
import {describe, expect, it} from 'vitest'

import {tempDir} from '../io/helpers.js'

const run = promisify(execFile)
const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const QA = join(ROOT, 'fixtures', 'demo', 'qa.csv')

/** Runs the installed binary; resolves with its exit code instead of throwing on a non-zero one. */
async function installed(bin: string, args: string[], cwd: string) {
  try {
    const {stdout, stderr} = await run(bin, args, {cwd, env: {...process.env, NO_COLOR: '1'}})
    return {code: 0, stdout, stderr}
  } catch (error) {
    const e = error as {code: number; stdout: string; stderr: string}
    return {code: e.code, stdout: e.stdout, stderr: e.stderr}
  }
}

describe('npm pack → install into an empty prefix (what `npm i -g lfdata` does)', () => {
  it('the installed lfdata answers --version, -h, help stats, a typo, and converts and plots a bundled sample', async () => {
    const dir = tempDir()
    // dist/ is built (npm test builds first); --ignore-scripts keeps pack from rebuilding it.
    await run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], {cwd: ROOT})
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'))!
    const prefix = join(dir, 'prefix')
    // Dependencies come from npm's cache (npm ci filled it); the registry is asked only for what is missing.
    await run('npm', ['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', join(dir, tarball)], {cwd: dir})
    const bin = join(prefix, 'bin', 'lfdata')
    expect(existsSync(bin)).toBe(true)
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {version: string}

    expect((await installed(bin, ['--version'], dir)).stdout).toContain(`lfdata/${pkg.version}`)
    const help = await installed(bin, ['-h'], dir)
    expect(help.code).toBe(0)
    for (const c of ['convert', 'stats', 'register', 'check', 'autocomplete']) expect(help.stdout).toMatch(new RegExp(`^  ${c} `, 'm'))
    const stats = await installed(bin, ['help', 'stats'], dir)
    expect(stats.stdout).toContain('$ lfdata stats')
    const typo = await installed(bin, ['conver'], dir)
    expect(typo.code).toBe(2)
    expect(typo.stderr).toContain('did you mean convert?')

    const out = join(dir, 'qa.jsonl')
    const convert = await installed(bin, ['convert', QA, '-o', out, '--json'], dir)
    expect(convert.code, convert.stderr).toBe(0)
    expect(JSON.parse(convert.stdout)).toMatchObject({records_in: 39, output: out})
    // The preset tokenizer and the PNG font ship inside the package.
    const plot = await installed(bin, ['stats', out, '--tokenizer', 'qwen', '--plot', join(dir, 'p.png')], dir)
    expect(plot.code, plot.stderr).toBe(0)
    expect(readFileSync(join(dir, 'p.png')).subarray(1, 4).toString('latin1')).toBe('PNG')
  }, 600_000)
})
