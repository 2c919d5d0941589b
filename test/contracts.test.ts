import {readFileSync} from 'node:fs'

import {describe, expect, it} from 'vitest'

import type {CheckResult} from '../src/pipeline/check.js'
import type {ConvertResult} from '../src/pipeline/convert.js'
import type {MergePartitionResult, MergeResult} from '../src/pipeline/merge.js'
import type {RegisterResult} from '../src/pipeline/register.js'
import type {StatsResult} from '../src/pipeline/stats.js'
import type {StatsPartialResult} from '../src/pipeline/stats-partial.js'
// @ts-expect-error: a plain .js build script without typings
import {schemaTypes} from '../scripts/schema-types.js'
import type {CheckResultJson, ConvertResultJson, MergePartitionResultJson, MergeResultJson, RegisterResultJson, StatsPartialResultJson, StatsResultJson} from './contracts/schema-types.js'

/**
 * The --json contracts. At compile time (npm run typecheck): each command's result type must be assignable to
 * the type generated from its schema, so a field added, renamed or retyped in TypeScript without the schema
 * fails the build. At run time the end-to-end tests validate every --json output (test/e2e.ts validateJson).
 */
type Fits<T extends U, U> = T
export type ResultTypesFitTheirSchemas = [
  Fits<ConvertResult, ConvertResultJson>,
  Fits<StatsResult, StatsResultJson>,
  Fits<RegisterResult, RegisterResultJson>,
  Fits<CheckResult, CheckResultJson>,
  Fits<MergeResult, MergeResultJson>,
  Fits<MergePartitionResult, MergePartitionResultJson>,
  Fits<StatsPartialResult, StatsPartialResultJson>,
]

describe('--json contracts', () => {
  it('test/contracts/schema-types.ts is generated from the current schemas (npm run schemas)', async () => {
    expect(readFileSync(new URL('./contracts/schema-types.ts', import.meta.url), 'utf8')).toBe(await (schemaTypes as () => Promise<string>)())
  })
})
