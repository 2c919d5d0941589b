import {UsageError} from '../errors.js'
import {STOPPING, type MixStrategy} from '../lf/data-args.js'

export interface MixPlan {
  strategy: MixStrategy
  stopping: string | null
  probs: Record<string, number> | null
  sizes: Record<string, number>
  /** Expected examples drawn from each dataset in one pass of the mixed dataset. */
  expected: Record<string, number>
  /** How many times each dataset is seen (expected / size). */
  epochs: Record<string, number>
  total: number
}

/** Parses --probs: "auto" (∝ size), "temperature:T" (∝ size^(1/T)), or "a=0.7,b=0.3". */
export function resolveProbs(spec: string | undefined, sizes: Record<string, number>): Record<string, number> | null {
  if (spec === undefined) return null
  const names = Object.keys(sizes)
  // Six decimals each, the last one making the sum exactly 1: numpy (behind HF interleave_datasets) rejects
  // probabilities whose sum is off by more than ~1e-8.
  const normalise = (w: number[]) => {
    const sum = w.reduce((a, b) => a + b, 0)
    const p = w.map((x) => Math.round((x / sum) * 1e6) / 1e6)
    p[p.length - 1] = Math.round((1 - p.slice(0, -1).reduce((a, b) => a + b, 0)) * 1e6) / 1e6
    return Object.fromEntries(names.map((n, i) => [n, p[i]!]))
  }
  if (spec === 'auto') return normalise(names.map((n) => sizes[n]!))
  const temp = /^temperature:([\d.]+)$/.exec(spec)
  if (temp) {
    const t = Number(temp[1])
    if (!(t > 0)) throw new UsageError('--probs temperature:T needs T > 0')
    return normalise(names.map((n) => sizes[n]! ** (1 / t)))
  }
  const out = new Map<string, number>()
  for (const part of spec.split(',')) {
    const [name, value] = part.split('=').map((s) => s.trim())
    if (!name || value === undefined || Number.isNaN(Number(value))) throw new UsageError(`--probs: cannot read "${part}"`, {suggestion: 'auto, temperature:2, or a=0.7,b=0.3'})
    if (!Object.hasOwn(sizes, name)) throw new UsageError(`--probs names ${name}, which is not in the mix`, {suggestion: `datasets: ${names.join(', ')}`})
    out.set(name, Number(value))
  }
  const missing = names.filter((n) => !out.has(n))
  if (missing.length > 0) throw new UsageError(`--probs gives no probability for ${missing.join(', ')}`)
  const sum = [...out.values()].reduce((a, b) => a + b, 0)
  if (Math.abs(sum - 1) > 1e-6) throw new UsageError(`--probs sum to ${sum}, not 1`)
  return Object.fromEntries(names.map((n) => [n, out.get(n)!]))
}

/**
 * Expected draws under HF `interleave_datasets` (what LF's mix_strategy calls). With probabilities, draws
 * continue until the first dataset runs out (first_exhausted: about min n_i/p_i draws), until every dataset has
 * run out at least once, restarting exhausted ones (all_exhausted: about max n_i/p_i), or until all are used
 * once (without replacement: Σ n_i). Without probabilities HF alternates round-robin.
 */
export function planMix(strategy: MixStrategy, sizes: Record<string, number>, probs: Record<string, number> | null): MixPlan {
  const names = Object.keys(sizes)
  const n = names.map((k) => sizes[k]!)
  let expected: number[]
  if (strategy === 'concat' || strategy === 'interleave_once') expected = n
  else if (!probs) {
    const per = strategy === 'interleave_under' ? Math.min(...n) : Math.max(...n)
    expected = n.map(() => per)
  } else {
    const p = names.map((k) => probs[k]!)
    const ratios = n.map((x, i) => (p[i]! > 0 ? x / p[i]! : Infinity)).filter(Number.isFinite)
    const draws = strategy === 'interleave_under' ? Math.min(...ratios) : Math.max(...ratios)
    expected = p.map((pi) => Math.round(pi * draws))
  }
  const rec = (xs: number[]) => Object.fromEntries(names.map((k, i) => [k, xs[i]!]))
  return {
    strategy,
    stopping: STOPPING[strategy],
    probs,
    sizes,
    expected: rec(expected),
    epochs: rec(expected.map((e, i) => Math.round((e / n[i]!) * 100) / 100)),
    total: expected.reduce((a, b) => a + b, 0),
  }
}
