import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {jsonArrayEncoder, jsonlEncoder} from '../../src/io/encoders.js'
import type {RecordEncoder} from '../../src/io/types.js'

const SEED = Number(process.env.LFDATA_SEED ?? 612)

const record = fc.record({instruction: fc.string({maxLength: 6}), input: fc.constantFrom('', 'x', '中'), output: fc.string({minLength: 1, maxLength: 6})})

/** Everything an encoder writes for these records, each one either encoded or handed over as JSON lines in a run. */
function written(encoder: RecordEncoder, runs: {records: Record<string, unknown>[]; asLines: boolean}[]): string {
  const parts: (string | Uint8Array)[] = [encoder.start()]
  for (const run of runs) {
    if (run.asLines) parts.push(encoder.jsonLines!(Buffer.from(run.records.map((r) => JSON.stringify(r) + '\n').join(''), 'utf8')))
    else for (const r of run.records) parts.push(encoder.encode(r))
  }
  parts.push(encoder.finish())
  return parts.map((p) => (typeof p === 'string' ? p : Buffer.from(p).toString('utf8'))).join('')
}

describe('encoders take pre-encoded JSON lines (the plain-row lane)', () => {
  it('write the same bytes for records given as JSON lines as for the records encoded one by one (JSONL and JSON array)', () => {
    fc.assert(fc.property(fc.array(fc.record({records: fc.array(record, {maxLength: 4}), asLines: fc.boolean()}), {maxLength: 6}), (runs) => {
      const asRecords = runs.map((r) => ({...r, asLines: false}))
      for (const make of [jsonlEncoder, jsonArrayEncoder]) expect(written(make(), runs)).toBe(written(make(), asRecords))
      // And the array is JSON that parses back to the records.
      expect(JSON.parse(written(jsonArrayEncoder(), runs))).toEqual(runs.flatMap((r) => r.records))
    }), {seed: SEED, numRuns: 300})
  })
})
