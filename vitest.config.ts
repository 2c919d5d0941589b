import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // e2e tests spawn bin/run.js (which runs dist/); `npm ci` builds (prepare), pretest rebuilds only a stale dist/.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
})
