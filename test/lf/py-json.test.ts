/**
 * Python's json.loads / json.dumps(ensure_ascii=False) / repr(float) / str(), which LF's tool formatting goes
 * through. fixtures/lf/py-json.json holds what CPython 3.11 printed for 403 doubles (seeded random bit patterns
 * and every decade from 1e-330 to 1e308) and for documents that exercise key order, big ints, floats that look
 * like ints, escapes, NaN/Infinity and duplicate keys.
 */
import {readFileSync} from 'node:fs'

import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {pyFloatRepr, pyJsonDumps, PyJsonError, pyJsonLoads, pyStr} from '../../src/lf/py.js'

const fixture = JSON.parse(readFileSync('fixtures/lf/py-json.json', 'utf8')) as {floats: [string, string, string][]; documents: [string, string, string, string][]}

const fromBits = (hex: string) => new Float64Array(new BigUint64Array([BigInt(`0x${hex}`)]).buffer)[0]!

describe('float repr as CPython prints it', () => {
  it.each(fixture.floats)('%s → %s', (bits, repr, dumped) => {
    const x = fromBits(bits)
    expect(pyFloatRepr(x)).toBe(repr)
    expect(pyJsonDumps(pyJsonLoads(dumped))).toBe(dumped)
  })

  it('property: shortest round-trip digits, exponent form exactly below 1e-4 and from 1e16, never int-looking (seed 16)', () => {
    fc.assert(
      fc.property(fc.double({noNaN: true, noDefaultInfinity: true}), (x) => {
        const r = pyFloatRepr(x)
        expect(Number(r)).toBe(x)
        expect(r).toMatch(/[.e]/)
        const exponent = x === 0 ? 0 : Math.floor(Math.log10(Math.abs(x)))
        // log10 can be off by one at exact powers of ten; the decimal exponent of the shortest digits decides.
        const e = x === 0 ? 0 : Number(x.toExponential().split('e')[1])
        expect(Math.abs(e - exponent)).toBeLessThanOrEqual(1)
        expect(r.includes('e')).toBe(e < -4 || e >= 16)
        if (r.includes('e')) expect(r).toMatch(/^-?\d(\.\d+)?e[-+]\d{2,3}$/)
      }),
      {seed: 16, numRuns: 2000},
    )
  })
})

describe('json.loads → json.dumps / str() as CPython prints them', () => {
  it.each(fixture.documents)('%s', (text, dumped, indented, str) => {
    const value = pyJsonLoads(text)
    expect(pyJsonDumps(value)).toBe(dumped)
    expect(pyJsonDumps(value, 4)).toBe(indented)
    expect(pyStr(value)).toBe(str)
  })

  it('rejects what json.loads rejects: trailing data, single quotes, control characters in strings, bare words', () => {
    for (const bad of ['{"a": 1} x', "{'a': 1}", '"a\nb"', 'nul', '01', '1.', '.5', '[1,]']) expect(() => pyJsonLoads(bad), bad).toThrow(PyJsonError)
  })
})
