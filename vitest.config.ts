import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    // e2e tests spawn bin/run.js (which runs dist/); `npm ci` builds (prepare), pretest rebuilds only a stale dist/.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // vitest's default is one worker per core but one: a single worker on CI's 2 cores. Most files wait on
    // spawned CLIs, so two workers keep both cores busy (the suite took 783 s with one).
    maxWorkers: 2,
    // Tokenizers loaded by path keep counting snapshots in a cache dir (src/tokenize/load.ts): not the user's, in tests.
    env: {LFDATA_CACHE_DIR: join(tmpdir(), 'lfdata-test-cache')},
  },
})
