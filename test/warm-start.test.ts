import {truncateSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

import {describe, expect, it} from 'vitest'

import {DEFAULT_THREADS_FROM, laneThreads} from '../src/pipeline/lane-threads.js'
import {laneWorkersFor} from '../src/warm-start.js'
import {dropWarm, startWarm, takeWarm} from '../src/warm-workers.js'
import {tempDir} from './io/helpers.js'

describe('warm start: the lane workers guessed from the raw arguments', () => {
  const dir = tempDir()
  const small = join(dir, 'small.csv')
  writeFileSync(small, 'instruction,output\nq,a\n')
  const big = join(dir, 'big.TSV')
  writeFileSync(big, '')
  truncateSync(big, DEFAULT_THREADS_FROM) // sparse: the size is what counts
  const cores = laneThreads(undefined, false)

  it('starts --jobs N - 1 for any CSV/TSV named, in either flag spelling', () => {
    expect(laneWorkersFor(['convert', small, '-o', 'x.jsonl', '--jobs', '3'])).toBe(2)
    expect(laneWorkersFor(['convert', small, '-o', 'x.jsonl', '--jobs=2'])).toBe(1)
    expect(laneWorkersFor(['convert', small, '--jobs', '1'])).toBe(0)
  })

  it('by default, one a core but this one, only for a file as big as the lane takes threads for', () => {
    expect(laneWorkersFor(['convert', big, '-o', 'x.jsonl'])).toBe(cores - 1)
    expect(laneWorkersFor(['convert', small, '-o', 'x.jsonl'])).toBe(0)
  })

  it('starts none for other commands, --shard tasks, inputs that are not CSV/TSV files, or a --jobs oclif will reject', () => {
    expect(laneWorkersFor(['stats', big, '--jobs', '2'])).toBe(0)
    expect(laneWorkersFor(['convert', big, '-o', 'out', '--shard', '0/2'])).toBe(0)
    expect(laneWorkersFor(['convert', big, '-o', 'out', '--shard=0/2'])).toBe(0)
    expect(laneWorkersFor(['convert', join(dir, 'in.jsonl'), '--jobs', '2'])).toBe(0)
    expect(laneWorkersFor(['convert', join(dir, 'missing.csv'), '--jobs', '2'])).toBe(0)
    expect(laneWorkersFor(['convert', join(dir, 'missing.csv')])).toBe(0)
    expect(laneWorkersFor(['convert', dir, '--jobs', '2'])).toBe(0)
    expect(laneWorkersFor(['convert', big, '--jobs', 'two'])).toBe(cores - 1) // as the default; oclif then fails the run
  })
})

describe('warm workers: adopted by a pool, or stopped', () => {
  const dir = tempDir()
  const echo = pathToFileURL(join(dir, 'echo.mjs'))
  writeFileSync(echo, "import {parentPort} from 'node:worker_threads'\nparentPort.on('message', (m) => parentPort.postMessage(m))\n")
  const dies = pathToFileURL(join(dir, 'dies.mjs'))
  writeFileSync(dies, "throw new Error('boom')\n")

  it('hands out each started worker once, working, and nothing for another script', async () => {
    startWarm(echo, 2)
    expect(takeWarm(dies)).toBeUndefined()
    const taken = [takeWarm(echo), takeWarm(echo)]
    expect(takeWarm(echo)).toBeUndefined()
    for (const worker of taken) {
      const reply = new Promise((resolve) => worker!.once('message', resolve))
      worker!.postMessage('ping')
      expect(await reply).toBe('ping')
      await worker!.terminate()
    }
  })

  it('stops the ones nobody took', async () => {
    startWarm(echo, 2)
    await dropWarm()
    expect(takeWarm(echo)).toBeUndefined()
  })

  it('forgets a worker that died before it was taken, without failing the process', async () => {
    const [worker] = startWarm(dies, 1)
    await new Promise((resolve) => worker!.once('exit', resolve)) // (events.once would reject on its 'error')
    expect(takeWarm(dies)).toBeUndefined()
  })
})
