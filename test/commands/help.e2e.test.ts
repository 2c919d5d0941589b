import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {tempDir} from '../io/helpers.js'
import {lfdata} from '../e2e.js'

const COMMANDS = ['convert', 'stats', 'register', 'check']

/** The `$ lfdata …` lines under a help text's EXAMPLES heading. */
function examples(help: string): string[] {
  const section = help.split(/^EXAMPLES$/m)[1] ?? ''
  return section.split('\n').filter((l) => l.trim().startsWith('$ lfdata '))
}

describe('help and discovery (spawned)', () => {
  it('lfdata -h, --help and help list every command, the plugins\' too', async () => {
    for (const args of [['-h'], ['--help'], ['help']]) {
      const r = await lfdata(args)
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0)
      for (const c of [...COMMANDS, 'help', 'autocomplete']) expect(r.stdout, args.join(' ')).toMatch(new RegExp(`^  ${c} `, 'm'))
    }
  })

  it('every command answers -h, --help and help CMD alike, with USAGE, --debug and at least two examples', async () => {
    for (const c of COMMANDS) {
      const long = await lfdata([c, '--help'])
      expect(long.code, long.stderr).toBe(0)
      expect((await lfdata([c, '-h'])).stdout).toBe(long.stdout)
      expect((await lfdata(['help', c])).stdout).toBe(long.stdout)
      expect(long.stdout).toContain(`$ lfdata ${c}`)
      expect(long.stdout).toMatch(/--debug\s+Print the stack trace/)
      expect(examples(long.stdout).length, c).toBeGreaterThanOrEqual(2)
    }
    expect((await lfdata(['convert', '--help'])).stdout).toMatch(/\$ lfdata convert INPUT\.\.\. -o OUT/)
  })

  it('a mistyped command suggests the right one, exits 2 and never waits for an answer', async () => {
    for (const env of [{CI: 'true'}, {CI: ''}]) {
      const r = await lfdata(['conver', 'x.csv', '-o', 'y.jsonl'], {env})
      expect(r.code).toBe(2)
      expect(r.stderr).toContain('conver is not a lfdata command')
      expect(r.stderr).toContain('did you mean convert?')
      expect(r.stdout).toBe('')
    }
    expect((await lfdata(['stat'])).stderr).toContain('did you mean stats?')
    const flag = await lfdata(['--json'])
    expect(flag.code).toBe(2)
    expect(flag.stderr).toContain('--json is not a flag of lfdata itself')
  })

  it('a missing flag, a bad flag value or an unknown flag is one line naming the flag, a hint at the command\'s help, exit 2', async () => {
    const cases = [
      {args: ['convert', 'x.csv'], says: 'Error: Missing required flag --output', help: 'lfdata convert --help'},
      {args: ['stats', 'x.jsonl'], says: 'Error: Missing required flag --tokenizer', help: 'lfdata stats --help'},
      {args: ['convert', 'x.csv', '-o', 'y.jsonl', '--dedup', 'foo'], says: 'Error: Expected --dedup=foo to be one of: exact, near, none', help: 'lfdata convert --help'},
      {args: ['convert', 'x.csv', '-o', 'y.jsonl', '--bogus'], says: 'Error: Nonexistent flag: --bogus', help: 'lfdata convert --help'},
    ]
    for (const c of cases) {
      const r = await lfdata(c.args)
      expect(r.code, c.args.join(' ')).toBe(2)
      expect(r.stderr.trimEnd().split('\n'), c.args.join(' ')).toEqual([c.says, `  hint: ${c.help} lists the flags, with examples`])
    }
    // --json: the same error as the error object on stdout, a usage error rather than an internal one.
    const json = await lfdata(['stats', 'x.jsonl', '--json'])
    expect(json.code).toBe(2)
    expect(json.json).toEqual({error: {code: 'E_USAGE', exit: 2, message: 'Missing required flag --tokenizer', suggestion: 'lfdata stats --help lists the flags, with examples'}})
  })

  it('autocomplete builds its scripts offline into the cache folder, listing lfdata\'s commands and flags', async () => {
    const cache = tempDir()
    // LFDATA_CACHE_DIR (set for every test run) is oclif's cache folder too; unset, XDG_CACHE_HOME/lfdata is.
    const r = await lfdata(['autocomplete', 'bash'], {env: {XDG_CACHE_HOME: cache, HOME: cache, LFDATA_CACHE_DIR: join(cache, 'lfdata')}})
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('lfdata autocomplete script bash')
    const script = readFileSync(join(cache, 'lfdata', 'autocomplete', 'functions', 'bash', 'lfdata.bash'), 'utf8')
    expect(script).toMatch(/^convert .*--output .*--map/m)
    expect(script).toMatch(/^stats .*--tokenizer/m)
  })

  it('start-up reads manifests (ours from scripts/build-manifest.js, the plugins\' own) instead of importing every command', async () => {
    const r = await lfdata(['--version'], {env: {DEBUG: 'oclif:config:*'}})
    for (const plugin of ['lfdata', '@oclif/plugin-help', '@oclif/plugin-autocomplete']) expect(r.stderr).toMatch(new RegExp(`oclif:config:${plugin} using manifest from`))
  })

  it('--version prints the package version', async () => {
    const r = await lfdata(['--version'])
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {version: string}
    expect(r.stdout).toContain(`lfdata/${pkg.version}`)
  })
})
