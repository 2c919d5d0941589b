import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {KeyScanner} from '../../src/io/key-scan.js'
import {scanKeys} from '../../src/io/read.js'
import {tempFile} from './helpers.js'

/** Feeds `text` to a scanner cut at the given byte positions (so strings, escapes and keys span chunks). */
function scan(mode: 'lines' | 'array', text: string, cuts: number[]): string[] {
  const bytes = Buffer.from(text, 'utf8')
  const scanner = new KeyScanner(mode)
  let at = 0
  for (const cut of [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)) {
    scanner.push(bytes.subarray(at, cut))
    at = cut
  }
  scanner.push(bytes.subarray(at))
  return [...scanner.keys].sort()
}

const record = fc.dictionary(fc.string({unit: 'binary', maxLength: 6}), fc.jsonValue({maxDepth: 3}), {maxKeys: 5})
const union = (records: Record<string, unknown>[]) => [...new Set(records.flatMap((r) => Object.keys(r)))].sort()

describe('KeyScanner', () => {
  it('finds the union of top-level keys of JSON Lines, whatever the chunking (seed 17)', () => {
    fc.assert(fc.property(fc.array(record, {maxLength: 8}), fc.array(fc.nat(), {maxLength: 6}), (records, cuts) => {
      expect(scan('lines', records.map((r) => JSON.stringify(r)).join('\n'), cuts)).toEqual(union(records))
    }), {numRuns: 300, seed: 17})
  })

  it('finds the union of element keys of a pretty-printed JSON array (seed 18)', () => {
    fc.assert(fc.property(fc.array(record, {maxLength: 8}), fc.array(fc.nat(), {maxLength: 6}), (records, cuts) => {
      expect(scan('array', JSON.stringify(records, null, 2), cuts)).toEqual(union(records))
    }), {numRuns: 300, seed: 18})
  })

  it('takes nested keys and string values for what they are', () => {
    const text = '{"a":{"system":1},"b":"\\"c\\": 1","d":[{"tools":2}]}\n{"e":"x\\\\","f":null}'
    expect(scan('lines', text, [5, 19, 33])).toEqual(['a', 'b', 'd', 'e', 'f'])
  })

  it('resynchronises after a broken line', () => {
    expect(scan('lines', '{"a":1}\n{"b":"unterminated\n{"c":2}\n{"d', [])).toEqual(['a', 'b', 'c'])
  })
})

describe('scanKeys', () => {
  it('scans JSON Lines, JSON arrays and UTF-16 files; CSV names its columns in the header', async () => {
    expect(await scanKeys(tempFile('x.jsonl', '{"a":1}\n{"b":2}\n'))).toEqual(['a', 'b'])
    expect(await scanKeys(tempFile('x.json', '[{"a":1},\n{"b":{"c":3}}]'))).toEqual(['a', 'b'])
    expect(await scanKeys(tempFile('x.json', '{"a":1}\n{"b":2}\n'))).toEqual(['a', 'b'])
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"a":1}\n{"系统":2}\n', 'utf16le')])
    expect(await scanKeys(tempFile('x.jsonl', utf16))).toEqual(['a', '系统'])
    expect(await scanKeys(tempFile('x.csv', 'a,b\n1,2\n'))).toBeUndefined()
  })
})
