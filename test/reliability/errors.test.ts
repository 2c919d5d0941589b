// The error table is the one place exit codes are decided: every code src/ raises is in it, the README's
// exit-code table says what ExitCode/EXIT_MEANING say, and errno failures map to exit 5 with the path named.
import {readdirSync, readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {describe, expect, it} from 'vitest'

import {describeError, envErrorFrom, ERROR_TABLE, EXIT_MEANING, ExitCode, InputError, LfdataError} from '../../src/errors.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : []
  })
}

describe('the error table', () => {
  it('lists every error code raised in src/', () => {
    const used = new Set<string>()
    for (const file of sources(join(ROOT, 'src'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/'(E_[A-Z0-9_]+)'/g)) used.add(m[1]!)
    }
    expect(used.size).toBeGreaterThan(30)
    expect([...used].filter((code) => !(code in ERROR_TABLE))).toEqual([])
  })

  it('agrees with the class each call site uses (UsageError 2, InputError 3, EnvError 5)', () => {
    const disagree: string[] = []
    for (const file of sources(join(ROOT, 'src'))) {
      const text = readFileSync(file, 'utf8')
      const sites: [RegExp, number][] = [[/new UsageError\((?:(?!new \w+Error|\n\s*\n)[\s\S]){0,400}?code: '(E_\w+)'/g, 2], [/new InputError\('(E_\w+)'/g, 3], [/new EnvError\('(E_\w+)'/g, 5]]
      for (const [re, exit] of sites) for (const m of text.matchAll(re)) if (ERROR_TABLE[m[1]!] !== exit) disagree.push(`${m[1]} (${exit}) in ${file}`)
    }
    expect(disagree).toEqual([])
  })

  it('decides the exit code whatever a call site passes', () => {
    expect(new LfdataError('E_LOCKED', ExitCode.badInput, 'locked').exit).toBe(5)
    expect(new InputError('E_MAPPING', 'unmapped').exit).toBe(2)
  })

  it("matches the README's exit-code table", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    const section = readme.slice(readme.indexOf('## Exit codes'), readme.indexOf('\n## ', readme.indexOf('## Exit codes') + 1))
    const rows = new Map([...section.matchAll(/^\| (\d+) \| (.*) \|$/gm)].map((m) => [Number(m[1]), m[2]]))
    for (const [code, meaning] of Object.entries(EXIT_MEANING)) expect(rows.get(Number(code)), `exit ${code}`).toBe(meaning)
    for (const code of Object.values(ERROR_TABLE)) expect(rows.has(code)).toBe(true)
  })

  it.each([
    ['ENOSPC', 'E_NO_SPACE'], ['EDQUOT', 'E_NO_SPACE'], ['EROFS', 'E_READ_ONLY'], ['EACCES', 'E_PERMISSION'], ['EISDIR', 'E_IS_DIR'],
    ['ENOENT', 'E_NO_DIR'], ['EMFILE', 'E_TOO_MANY_FILES'], ['EIO', 'E_IO'],
  ])('%s is an environment error (exit 5) naming the path, never "internal error"', (errno, code) => {
    const err = Object.assign(new Error(`${errno}: raw`), {code: errno, path: '/data/out.jsonl'})
    expect(envErrorFrom(err)).toMatchObject({code, exit: 5})
    const {exit, text} = describeError(err, false)
    expect(exit).toBe(5)
    expect(text).toContain('/data/out.jsonl')
    expect(text).not.toMatch(/internal|bug|\n {4}at /)
  })

  it('a broken pipe ends quietly with 141', () => {
    expect(describeError(Object.assign(new Error('write EPIPE'), {code: 'EPIPE'}), false)).toEqual({exit: 141, text: ''})
  })
})
