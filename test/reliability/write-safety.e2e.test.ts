// issue 15 "never destroy, never lie", through the real CLI: every case was first reproduced against the old
// build (aliasing destroyed the input with exit 0, -o out.parquet wrote JSONL, a full disk was "internal
// error", signals left temp files), then fixed. Each test checks the exit code, the one-line message and
// that the bytes that must survive did.
import {execFileSync, spawn, spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {chmodSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:net'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {describe, expect, it} from 'vitest'

import {lfdata, type RunResult} from '../e2e.js'
import {tempDir} from '../io/helpers.js'
import {writeTinyTokenizer} from './tiny-tokenizer.js'

const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url))
const rows = (n: number) => Array.from({length: n}, (_, i) => JSON.stringify({instruction: `question ${i} ${'x'.repeat(i % 50)}`, output: `answer ${i}`})).join('\n') + '\n'
const TINY = writeTinyTokenizer(join(tempDir(), 'tiny'))
const temps = (dir: string) => readdirSync(dir).filter((f) => f.startsWith('.lfdata-tmp-'))

/** Exit `code`, the error code in the one-line message, and no stack. */
function refused(r: RunResult, exit: number, text: RegExp): void {
  expect(r.code, r.stderr).toBe(exit)
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('Error:'))
  expect(lines, r.stderr).toHaveLength(1)
  expect(lines[0]).toMatch(text)
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /)
}

function workspace(): string {
  const dir = tempDir()
  writeFileSync(join(dir, 'a.jsonl'), rows(20))
  return dir
}

describe('1. an output that is an input or another output is refused (exit 2), input bytes unchanged', () => {
  const cases: [string, (dir: string) => string[]][] = [
    ['--rejects onto the input', () => ['convert', 'a.jsonl', '-o', 'out.jsonl', '--rejects', 'a.jsonl']],
    ['-o onto the input', () => ['convert', 'a.jsonl', '-o', 'a.jsonl']],
    ['-o onto the input by another spelling', () => ['convert', 'a.jsonl', '-o', './sub/../a.jsonl']],
    ['--dedup-report onto the input', () => ['convert', 'a.jsonl', '-o', 'out.jsonl', '--dedup', 'near', '--dedup-report', 'a.jsonl']],
    ['the manifest onto the input', (dir) => {
      writeFileSync(join(dir, 'out.jsonl.lfdata.json'), readFileSync(join(dir, 'a.jsonl')))
      return ['convert', 'out.jsonl.lfdata.json', '--input-format', 'jsonl', '-o', 'out.jsonl']
    }],
    ['-o a hard link of the input', (dir) => {
      linkSync(join(dir, 'a.jsonl'), join(dir, 'b.jsonl'))
      return ['convert', 'a.jsonl', '-o', 'b.jsonl']
    }],
    ['--rejects onto -o', () => ['convert', 'a.jsonl', '-o', 'out.jsonl', '--rejects', 'out.jsonl']],
    ['stats --plot onto the input', () => ['stats', 'a.jsonl', '--tokenizer', TINY, '--template', 'default', '--plot', 'a.jsonl']],
    ['register --yaml onto the data file', () => ['register', 'data/d.jsonl', '--name', 'd', '--yaml', 'data/d.jsonl']],
    ['register --yaml onto dataset_info.json', () => ['register', 'data/d.jsonl', '--name', 'd', '--yaml', 'data/dataset_info.json']],
  ]
  it.each(cases)('%s', async (_, setup) => {
    const dir = workspace()
    mkdirSync(join(dir, 'sub'))
    mkdirSync(join(dir, 'data'))
    writeFileSync(join(dir, 'data', 'd.jsonl'), rows(3))
    writeFileSync(join(dir, 'data', 'dataset_info.json'), '{}\n')
    const args = setup(dir)
    const before = Object.fromEntries(['a.jsonl', 'out.jsonl.lfdata.json', 'data/d.jsonl', 'data/dataset_info.json'].filter((f) => existsSync(join(dir, f))).map((f) => [f, readFileSync(join(dir, f), 'utf8')]))
    refused(await lfdata(args, {cwd: dir}), 2, /E_OUTPUT_ALIAS|is the input|same file as/)
    for (const [f, text] of Object.entries(before)) expect(readFileSync(join(dir, f), 'utf8'), f).toBe(text)
    expect(existsSync(join(dir, 'out.jsonl'))).toBe(false)
    expect(temps(dir)).toEqual([])
  })
})

describe('3. writes never follow a symlink out of their folder', () => {
  it('register --copy onto a link planted at the target leaves the linked file alone', async () => {
    const dir = workspace()
    mkdirSync(join(dir, 'data'))
    writeFileSync(join(dir, 'precious.txt'), 'do not touch\n')
    symlinkSync(join(dir, 'precious.txt'), join(dir, 'data', 'a.jsonl'))
    refused(await lfdata(['register', 'a.jsonl', '--name', 'a', '--copy'], {cwd: dir}), 2, /symlink to .*precious\.txt, outside its folder/)
    expect(readFileSync(join(dir, 'precious.txt'), 'utf8')).toBe('do not touch\n')
  })

  it('register --copy onto its own source through a link is refused', async () => {
    const dir = workspace()
    mkdirSync(join(dir, 'data'))
    symlinkSync(join(dir, 'a.jsonl'), join(dir, 'data', 'a.jsonl'))
    const before = readFileSync(join(dir, 'a.jsonl'), 'utf8')
    const r = await lfdata(['register', join(dir, 'a.jsonl'), '--name', 'a', '--copy'], {cwd: dir})
    // The link points out of data/, so LF would read a file outside: register treats it as outside, copies are refused.
    expect(r.code, r.stderr).toBe(2)
    expect(readFileSync(join(dir, 'a.jsonl'), 'utf8')).toBe(before)
  })

  it('the .bak backup of register --force never writes through a link', async () => {
    const dir = workspace()
    mkdirSync(join(dir, 'data'))
    writeFileSync(join(dir, 'data', 'd.jsonl'), rows(3))
    writeFileSync(join(dir, 'precious.txt'), 'do not touch\n')
    expect((await lfdata(['register', 'data/d.jsonl', '--name', 'd'], {cwd: dir})).code).toBe(0)
    symlinkSync(join(dir, 'precious.txt'), join(dir, 'data', 'dataset_info.json.bak'))
    refused(await lfdata(['register', 'data/d.jsonl', '--name', 'd', '--formatting', 'alpaca', '--columns', 'prompt=output', '--force'], {cwd: dir}), 2, /the backup .*symlink/)
    expect(readFileSync(join(dir, 'precious.txt'), 'utf8')).toBe('do not touch\n')
  })

  it('the manifest never writes through a link out of its folder', async () => {
    const dir = workspace()
    mkdirSync(join(dir, 'out'))
    writeFileSync(join(dir, 'precious.txt'), 'do not touch\n')
    symlinkSync(join(dir, 'precious.txt'), join(dir, 'out', 'o.jsonl.lfdata.json'))
    refused(await lfdata(['convert', 'a.jsonl', '-o', 'out/o.jsonl'], {cwd: dir}), 2, /the manifest .*symlink/)
    expect(readFileSync(join(dir, 'precious.txt'), 'utf8')).toBe('do not touch\n')
    expect(existsSync(join(dir, 'out', 'o.jsonl'))).toBe(false)
  })

  it('-o through a link inside its folder writes the link target, and the link survives', async () => {
    const dir = workspace()
    writeFileSync(join(dir, 'real.jsonl'), 'old\n')
    symlinkSync('real.jsonl', join(dir, 'link.jsonl'))
    const r = await lfdata(['convert', 'a.jsonl', '-o', 'link.jsonl'], {cwd: dir})
    expect(r.code, r.stderr).toBe(0)
    expect(readFileSync(join(dir, 'real.jsonl'), 'utf8').split('\n')).toHaveLength(21)
    expect(execFileSync('readlink', [join(dir, 'link.jsonl')], {encoding: 'utf8'}).trim()).toBe('real.jsonl')
  })
})

describe('4. an existing output that is not a regular file is refused (exit 2)', () => {
  it.each(['fifo', 'folder', 'socket', 'device'])('a %s', async (kind) => {
    const dir = workspace()
    const out = join(dir, 'out.jsonl')
    if (kind === 'fifo') execFileSync('mkfifo', [out])
    if (kind === 'folder') mkdirSync(out)
    if (kind === 'socket') await new Promise<void>((resolve) => createServer().listen(out, resolve).unref())
    if (kind === 'device' && spawnSync('mknod', [out, 'c', '1', '7']).status !== 0) {
      console.log('skipped: mknod is not allowed here (needs root), so no device node to write to')
      return
    }
    refused(await lfdata(['convert', 'a.jsonl', '-o', 'out.jsonl'], {cwd: dir}), 2, /exists and is a (FIFO|folder|socket|device)/)
    expect(existsSync(`${out}.lfdata.json`)).toBe(false)
  })

  it('-o - is stdout', async () => {
    const dir = workspace()
    const r = await lfdata(['convert', 'a.jsonl', '-o', '-'], {cwd: dir})
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout.trim().split('\n')).toHaveLength(20)
  })
})

describe('5. environment errors: their own message naming the path, exit 5, never "internal error"', () => {
  it("the output's folder does not exist", async () => {
    refused(await lfdata(['convert', 'a.jsonl', '-o', 'nowhere/out.jsonl'], {cwd: workspace()}), 5, /folder of -o nowhere\/out\.jsonl does not exist/)
  })

  it('disk full: a 1 MB tmpfs gives exit 5, one line, and the previous output intact', async () => {
    const dir = tempDir()
    const mnt = join(dir, 'small-disk')
    mkdirSync(mnt)
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt], {encoding: 'utf8'})
    if (mount.status !== 0) {
      console.log(`skipped: cannot mount a tmpfs here (${(mount.stderr || mount.error?.message || '').trim()}); the ENOSPC mapping is covered by errors.test.ts`)
      return
    }
    try {
      writeFileSync(join(dir, 'big.jsonl'), rows(40_000))
      writeFileSync(join(mnt, 'out.jsonl'), 'PREVIOUS\n')
      refused(await lfdata(['convert', join(dir, 'big.jsonl'), '-o', join(mnt, 'out.jsonl')], {cwd: dir}), 5, /no space left on the device while writing .*small-disk\/out\.jsonl/)
      expect(readFileSync(join(mnt, 'out.jsonl'), 'utf8')).toBe('PREVIOUS\n')
      expect(readdirSync(mnt)).toEqual(['out.jsonl'])
    } finally {
      spawnSync('umount', [mnt])
    }
  })

  it('permission denied', async () => {
    const dir = workspace()
    const locked = join(dir, 'locked')
    mkdirSync(locked)
    chmodSync(locked, 0o555)
    chmodSync(dir, 0o755)
    // As root every write is allowed: run as nobody when we are root.
    const asNobody = process.getuid?.() === 0
    const r = await new Promise<RunResult>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'convert', join(dir, 'a.jsonl'), '-o', join(locked, 'out.jsonl')], {cwd: dir, env: {...process.env, HOME: dir, NO_COLOR: '1'}, ...(asNobody ? {uid: 65534, gid: 65534} : {})})
      let stderr = ''
      child.stderr.on('data', (d) => (stderr += d))
      child.on('close', (code) => resolve({code: code ?? -1, stdout: '', stderr, json: undefined}))
    })
    refused(r, 5, /permission denied: .*locked\/out\.jsonl/)
  })

  it('a lock held by a live process times out with exit 5 naming dataset_info.json', async () => {
    const dir = workspace()
    mkdirSync(join(dir, 'data'))
    writeFileSync(join(dir, 'data', 'd.jsonl'), rows(3))
    // This test's own process holds the lock for the whole run (register waits 20 s before giving up).
    writeFileSync(join(dir, 'data', 'dataset_info.json.lock'), `${process.pid} ${Date.now()}\n`)
    refused(await lfdata(['register', 'data/d.jsonl', '--name', 'd'], {cwd: dir}), 5, /dataset_info\.json is locked by process \d+/)
    expect(existsSync(join(dir, 'data', 'dataset_info.json'))).toBe(false)
  }, 60_000)

  it('too many open files', () => {
    // Under a low descriptor limit the run fails somewhere (loading a module, opening the output): whatever
    // fails, it is exit 5 and says so.
    const dir = workspace()
    const codes: number[] = []
    for (const n of [26, 30, 34, 38]) {
      const r = spawnSync('bash', ['-c', `ulimit -n ${n} && exec "${process.execPath}" "${BIN}" convert a.jsonl a.jsonl a.jsonl -o out.jsonl`], {cwd: dir, encoding: 'utf8', env: {...process.env, NO_COLOR: '1'}})
      codes.push(r.status ?? -1)
      if (r.status === 5) expect(r.stderr).toMatch(/^Error: too many open files/m)
      else if (/EMFILE/.test(r.stderr)) expect.fail(`EMFILE reported as exit ${r.status}: ${r.stderr}`)
    }
    expect(codes, 'no limit made the run fail with EMFILE').toContain(5)
  })

  it('a closed stdout (convert big -o - | head) ends quietly with 141 and leaves nothing', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'big.jsonl'), rows(100_000))
    const r = await new Promise<{code: number | null; stderr: string}>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'convert', 'big.jsonl', '-o', '-'], {cwd: dir})
      let stderr = ''
      child.stderr.on('data', (d) => (stderr += d))
      child.stdout.once('data', () => child.stdout.destroy())
      child.on('close', (code) => resolve({code, stderr}))
    })
    expect(r.code).toBe(141)
    expect(r.stderr).not.toMatch(/Error|EPIPE/)
    expect(temps(dir)).toEqual([])
  })
})

describe('6. signals remove temp files; a later run removes what SIGKILL left', () => {
  const big = () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'big.jsonl'), rows(150_000))
    writeFileSync(join(dir, 'out.jsonl'), 'OLD\n')
    return dir
  }
  async function interrupt(dir: string, signal: NodeJS.Signals): Promise<number | null> {
    const child = spawn(process.execPath, [BIN, 'convert', 'big.jsonl', '-o', 'out.jsonl'], {cwd: dir, stdio: 'ignore'})
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
    while (temps(dir).length === 0) await new Promise((r) => setTimeout(r, 5))
    child.kill(signal)
    return closed
  }
  it.each([['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const)('%s exits %i and leaves no temp file', async (signal, exit) => {
    const dir = big()
    expect(await interrupt(dir, signal)).toBe(exit)
    expect(temps(dir)).toEqual([])
    expect(readFileSync(join(dir, 'out.jsonl'), 'utf8')).toBe('OLD\n')
  })

  it('SIGKILL leaves a temp file that the next run writing there removes', async () => {
    const dir = big()
    expect(await interrupt(dir, 'SIGKILL')).toBe(null)
    expect(temps(dir)).toHaveLength(1)
    writeFileSync(join(dir, 'small.jsonl'), rows(2))
    expect((await lfdata(['convert', 'small.jsonl', '-o', 'other.jsonl'], {cwd: dir})).code).toBe(0)
    expect(temps(dir)).toEqual([])
  })
})

describe('7. outputs are committed together, the manifest last, and a manifest that does not match is refused', () => {
  it('the manifest carries the sha256 of the output, rejects and dedup report', async () => {
    const dir = workspace()
    writeFileSync(join(dir, 'a.jsonl'), rows(20) + rows(2) + '{"instruction":"","output":"x"}\n')
    const r = await lfdata(['convert', 'a.jsonl', '-o', 'o.jsonl', '--rejects', 'rej.jsonl', '--dedup', 'near', '--dedup-report', 'rep.json'], {cwd: dir})
    expect(r.code, r.stderr).toBe(0)
    const manifest = JSON.parse(readFileSync(join(dir, 'o.jsonl.lfdata.json'), 'utf8')) as {files: unknown}
    const sha = (f: string) => createHash('sha256').update(readFileSync(join(dir, f))).digest('hex')
    expect(manifest.files).toEqual([
      {role: 'output', path: 'o.jsonl', bytes: readFileSync(join(dir, 'o.jsonl')).length, sha256: sha('o.jsonl')},
      {role: 'rejects', path: 'rej.jsonl', bytes: readFileSync(join(dir, 'rej.jsonl')).length, sha256: sha('rej.jsonl')},
      {role: 'dedup_report', path: 'rep.json', bytes: readFileSync(join(dir, 'rep.json')).length, sha256: sha('rep.json')},
    ])
  })

  it('register and stats refuse (exit 3) a manifest whose output changed', async () => {
    const dir = workspace()
    mkdirSync(join(dir, 'data'))
    expect((await lfdata(['convert', 'a.jsonl', '-o', 'data/o.jsonl'], {cwd: dir})).code).toBe(0)
    writeFileSync(join(dir, 'data', 'o.jsonl'), rows(5))
    refused(await lfdata(['register', 'data/o.jsonl', '--name', 'o'], {cwd: dir}), 3, /o\.jsonl\.lfdata\.json does not match .*o\.jsonl/)
    refused(await lfdata(['stats', 'data/o.jsonl', '--tokenizer', TINY, '--template', 'default'], {cwd: dir}), 3, /does not match/)
    expect(existsSync(join(dir, 'data', 'dataset_info.json'))).toBe(false)
  })
})

describe('9. an output extension convert cannot write', () => {
  it.each(['out.parquet', 'out.csv', 'out.jsonl.gz'])('-o %s is exit 2 and writes nothing', async (name) => {
    const dir = workspace()
    refused(await lfdata(['convert', 'a.jsonl', '-o', name], {cwd: dir}), 2, /convert writes \.jsonl, \.json and \.arrow/)
    expect(readdirSync(dir)).toEqual(['a.jsonl'])
  })
})
