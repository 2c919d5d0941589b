import {availableParallelism} from 'node:os'

import {describe, expect, it} from 'vitest'

import {jobsFor} from '../../src/pipeline/convert-jobs.js'
import type {ConvertOptions} from '../../src/pipeline/convert-types.js'

const opts = (o: Partial<ConvertOptions>) => ({inputs: ['a.csv'], output: 'out.jsonl', ...o}) as ConvertOptions

describe('jobsFor: how a convert uses more than one core', () => {
  it('reads the lane on threads: one a core (at most 4) by default, one in a --shard task, --jobs when given', () => {
    expect(jobsFor(opts({}), ['a.csv'], 100, true)).toEqual({threads: Math.min(availableParallelism(), 4), processes: 1})
    expect(jobsFor(opts({shard: {index: 1, count: 4}}), ['a.csv'], 100, true)).toEqual({threads: 1, processes: 1})
    expect(jobsFor(opts({shard: {index: 1, count: 4}, jobs: 3}), ['a.csv'], 100, true)).toEqual({threads: 3, processes: 1})
    expect(jobsFor(opts({jobs: 1}), ['a.csv'], 100, true)).toEqual({threads: 1, processes: 1})
  })

  it('runs shard processes only when asked and the input can be cut; stdin stays one process', () => {
    expect(jobsFor(opts({}), ['a.jsonl'], 100, false)).toEqual({threads: 1, processes: 1})
    expect(jobsFor(opts({jobs: 3}), ['a.jsonl'], 100, false)).toEqual({threads: 1, processes: 3})
    expect(jobsFor(opts({jobs: 3}), ['a.json'], 100, false)).toEqual({threads: 1, processes: 1}) // a JSON array is not cut
    expect(jobsFor(opts({jobs: 3, output: 'out.json'}), ['a.jsonl'], 100, false)).toEqual({threads: 1, processes: 1}) // parts merge into JSONL only
    expect(jobsFor(opts({jobs: 3}), ['-'], undefined, true)).toEqual({threads: 1, processes: 1})
  })
})
