import {spawnSync} from 'node:child_process'
import {existsSync, linkSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {commitAll, PendingFile, sweepStaleTemps, tempPathFor, writeFileAtomic} from '../../src/io/atomic.js'
import {checkOutput, guardOutputs} from '../../src/io/output-guard.js'
import {tempDir} from './helpers.js'

/** A pid that surely belongs to no running process: one that has just exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid

describe('atomic writer', () => {
  it('replaces the target only on publish, and leaves no temp file', async () => {
    const dir = tempDir()
    const target = join(dir, 'out.txt')
    writeFileSync(target, 'old')
    const file = PendingFile.create(target)
    file.writeSync('new ')
    file.writeSync(Buffer.from('content'))
    expect(readFileSync(target, 'utf8')).toBe('old')
    await commitAll([file])
    expect(readFileSync(target, 'utf8')).toBe('new content')
    expect(readdirSync(dir)).toEqual(['out.txt'])
  })

  it('commitAll publishes in order and, when one fails to prepare, publishes none', async () => {
    const dir = tempDir()
    const a = PendingFile.create(join(dir, 'a'))
    const b = PendingFile.create(join(dir, 'b'))
    a.writeSync('A')
    const stream = b.stream(16)
    // Its writer listens for errors (RecordSink does); prepare() then reports the stream's error.
    stream.on('error', () => {})
    stream.destroy(new Error('disk gone'))
    await expect(commitAll([a, b])).rejects.toThrow('disk gone')
    expect(readdirSync(dir)).toEqual([])
  })

  it('abort keeps the old file and removes the temp', () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'x'), 'keep')
    const file = PendingFile.create(join(dir, 'x'))
    file.writeSync('lost')
    file.abort()
    file.abort()
    expect(readdirSync(dir)).toEqual(['x'])
    expect(readFileSync(join(dir, 'x'), 'utf8')).toBe('keep')
  })

  it('sweeps temps of processes that are gone, never those of a live one or files that are not lfdata temps', async () => {
    const dir = tempDir()
    const dead = `.lfdata-tmp-out.jsonl.${deadPid()}.0badc0de`
    const live = `.lfdata-tmp-out.jsonl.${process.ppid}.0badc0de`
    for (const f of [dead, live, '.lfdata-tmp-notes', 'out.jsonl']) writeFileSync(join(dir, f), '')
    expect(sweepStaleTemps(dir)).toBe(1)
    expect(readdirSync(dir).sort()).toEqual([live, '.lfdata-tmp-notes', 'out.jsonl'].sort())
    // A write into the folder sweeps it too.
    writeFileSync(join(dir, dead), '')
    const other = tempDir()
    await writeFileAtomic(join(other, 'y'), 'y')
    expect(existsSync(join(dir, dead))).toBe(true)
  })

  it('temp names stay under NAME_MAX for long targets and carry the pid', () => {
    const name = tempPathFor(join('/tmp', 'x'.repeat(250))).split('/').pop()!
    expect(name.length).toBeLessThanOrEqual(255)
    expect(name).toMatch(new RegExp(`^\\.lfdata-tmp-x+\\.${process.pid}\\.[0-9a-f]{8}$`))
  })
})

describe('output-path guard', () => {
  it('refuses an output that is an input by path, spelling or hard link, or another output', () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'sub'))
    writeFileSync(join(dir, 'in.jsonl'), 'x')
    linkSync(join(dir, 'in.jsonl'), join(dir, 'hard.jsonl'))
    const guard = (outputs: string[]) => () => guardOutputs({inputs: [join(dir, 'in.jsonl')], outputs: outputs.map((path, i) => ({path, what: `out${i}`}))})
    expect(guard([join(dir, 'sub', '..', 'in.jsonl')])).toThrow(expect.objectContaining({code: 'E_OUTPUT_ALIAS', exit: 2}))
    expect(guard([join(dir, 'hard.jsonl')])).toThrow(expect.objectContaining({code: 'E_OUTPUT_ALIAS'}))
    expect(guard([join(dir, 'a.jsonl'), join(dir, 'sub', '..', 'a.jsonl')])).toThrow(/same file as out0/)
    expect(guard([join(dir, 'a.jsonl'), '-', '-'])()).toEqual([join(dir, 'a.jsonl'), '-', '-'])
  })

  it('writes through a link that stays in its folder, refuses one that leaves it unless allowed', () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'data'))
    writeFileSync(join(dir, 'data', 'real.json'), '{}')
    writeFileSync(join(dir, 'outside.json'), '{}')
    symlinkSync('real.json', join(dir, 'data', 'in.json'))
    symlinkSync('../outside.json', join(dir, 'data', 'out.json'))
    expect(checkOutput({path: join(dir, 'data', 'in.json'), what: 'x'})).toBe(join(dir, 'data', 'real.json'))
    expect(() => checkOutput({path: join(dir, 'data', 'out.json'), what: 'x'})).toThrow(expect.objectContaining({code: 'E_OUTPUT_SYMLINK'}))
    expect(checkOutput({path: join(dir, 'data', 'out.json'), what: 'x', symlinks: 'anywhere'})).toBe(join(dir, 'outside.json'))
  })

  it('a missing folder is an environment error (5), a folder as output a usage error (2)', () => {
    const dir = tempDir()
    expect(() => checkOutput({path: join(dir, 'no', 'x.jsonl'), what: '-o'})).toThrow(expect.objectContaining({code: 'E_NO_DIR', exit: 5}))
    expect(() => checkOutput({path: dir, what: '-o'})).toThrow(expect.objectContaining({code: 'E_OUTPUT_NOT_FILE', exit: 2}))
  })
})
