import {existsSync, readFileSync} from 'node:fs'
import {brotliDecompressSync} from 'node:zlib'

import {describe, expect, it} from 'vitest'

import {loadTokenizer, PRESETS} from '../../src/tokenize/load.js'
import type {CounterSpec} from '../../src/tokenize/counter.js'
import {decodeSnapshot, encodeSnapshot} from '../../src/tokenize/snapshot.js'
import {longPieceCorpus, mixedCorpus} from './corpus.js'
import {presetTokenizerPath} from './preset-files.js'

/** The snapshot in dist/tokenizers (what the build wrote), tables shared with another preset resolved. */
function builtSnapshot(name: string): CounterSpec | undefined {
  const path = `dist/tokenizers/${name}.counting.br`
  return existsSync(path) ? decodeSnapshot(brotliDecompressSync(readFileSync(path)), builtSnapshot) : undefined
}


describe.each(Object.keys(PRESETS))('counting snapshot of %s', (preset) => {
  const source = presetTokenizerPath(preset)
  const fromSource = loadTokenizer(source).counter

  it('is what the current code builds from the tokenizer files (dist is up to date)', () => {
    const built = `dist/tokenizers/${preset}.counting.br`
    expect(existsSync(built), 'run npm run build').toBe(true)
    expect(encodeSnapshot(builtSnapshot(preset)!).equals(encodeSnapshot({...fromSource.spec!, name: preset}))).toBe(true)
  })

  it('round-trips, and counts as the counter built from the tokenizer files does', () => {
    const bytes = encodeSnapshot(fromSource.spec!)
    expect(encodeSnapshot(decodeSnapshot(bytes)!).equals(bytes)).toBe(true)
    const preset_ = loadTokenizer(preset).counter
    const texts = [...mixedCorpus(1000, 3), ...longPieceCorpus(100, 3)]
    expect(texts.map((t) => preset_.count(t))).toEqual(texts.map((t) => fromSource.count(t)))
  })

  it('is ignored when it is another format or cut short', () => {
    expect(decodeSnapshot(encodeSnapshot(fromSource.spec!, 'other'), () => undefined), 'tables named but missing').toBeUndefined()
    const bytes = encodeSnapshot(fromSource.spec!)
    expect(decodeSnapshot(bytes.subarray(0, bytes.length - 1))).toBeUndefined()
    expect(decodeSnapshot(Buffer.from(bytes.toString('latin1').replace('lfdata-counting-4', 'lfdata-counting-3'), 'latin1'))).toBeUndefined()
    expect(decodeSnapshot(Buffer.alloc(2))).toBeUndefined()
  })
})
