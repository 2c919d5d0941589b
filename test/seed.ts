/**
 * The seed of every random test in a run: fixed, so runs repeat; LFDATA_TEST_SEED=N explores another one.
 * fast-check uses it for every property without its own seed (test/setup.ts) and prints it with any
 * counterexample; hand-rolled random tests name it in their failure messages.
 */
export const TEST_SEED = Number(process.env.LFDATA_TEST_SEED ?? 20261205)

/** A seeded PRNG in [0, 1) (mulberry32), for tests that draw random moments or choices. */
export function seededRandom(seed = TEST_SEED): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32
  }
}
