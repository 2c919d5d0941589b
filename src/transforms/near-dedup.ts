import {availableParallelism} from 'node:os'

import {pMapIterable} from 'p-map'

import {UsageError} from '../errors.js'
import {LshIndex} from './near-dedup/lsh-index.js'
import {lshParams, type LshShape, type SketchBatch} from './near-dedup/minhash.js'
import {packTexts} from './near-dedup/shingles.js'
import {SketchPool} from './near-dedup/sketch-pool.js'
import {TextSketcher} from './near-dedup/sketch.js'

export interface NearMatch {
  source: string
  line: number
  /** Estimated Jaccard similarity of the two texts (share of equal MinHash values). */
  similarity: number
  /** The kept record's text (first 300 characters), when previews are kept for a report. */
  preview?: string
}

export interface NearDedupOptions {
  /** Jaccard similarity at or above which a record is a near-duplicate (default 0.8). */
  threshold?: number
  /** MinHash bins, a power of two (default 128). */
  numPerm?: number
  seed?: number
  /** Keep a short preview of each kept text, for --dedup-report. */
  previews?: boolean
  /** Worker threads for hashing once the input is large (default: one per core but the main thread's, at most 2; 0: none). */
  workers?: number
}

/** Records per batch handed to a worker, and how many records go by before the workers start (small inputs never pay for them). */
const BATCH = 1024
const PARALLEL_AFTER = 4096

/** The MinHash/LSH shape for the options: bins, bands × rows for the threshold, seed. */
export function nearShape(opts: Pick<NearDedupOptions, 'threshold' | 'numPerm' | 'seed'>): LshShape {
  const threshold = opts.threshold ?? 0.8
  const numPerm = opts.numPerm ?? 128
  if (!(threshold > 0 && threshold <= 1)) throw new UsageError(`near-duplicate threshold must be in (0, 1], got ${threshold}`)
  if (!Number.isInteger(numPerm) || numPerm < 16 || numPerm > 1024 || (numPerm & (numPerm - 1)) !== 0) throw new UsageError('numPerm must be a power of two from 16 to 1024')
  return {numPerm, ...lshParams(threshold, numPerm), seed: opts.seed ?? 0x2545f491}
}

/**
 * Stage: MinHash + LSH near-duplicate removal, in one streaming pass. A record is dropped when an earlier kept
 * record shares an LSH band with it AND their estimated Jaccard similarity reaches the threshold (so band
 * collisions alone never drop anything). Records are hashed in batches — on worker threads once the input is
 * large — but decided one by one in input order, so the first occurrence wins whatever the threads do.
 * Memory per kept record: its LSH keys and an 8-bit-a-bin signature, never the text.
 */
export function nearDedup<T>(
  opts: NearDedupOptions,
  textOf: (item: T) => string,
  locOf: (item: T) => {source: string; line: number},
  onDuplicate: (item: T, match: NearMatch) => void,
  /** Sketches made elsewhere (a sharded run's shards), in place of hashing `textOf` here. */
  sketched?: (items: T[]) => SketchBatch,
): (source: AsyncIterable<T>) => AsyncGenerator<T> {
  const threshold = opts.threshold ?? 0.8
  const shape = nearShape(opts)
  // One worker hashes over twice as fast as the main thread reads and converts: more would only cost memory (~40 MB each).
  const workers = opts.workers ?? Math.min(2, Math.max(1, availableParallelism() - 1))

  return async function* (source) {
    const index = new LshIndex(shape)
    const inline = new TextSketcher(shape)
    let pool: SketchPool | undefined
    const sources: string[] = []
    const sourceIds = new Map<string, number>()
    const keptSource: number[] = []
    const keptLine: number[] = []
    const previews: string[] = []
    let seen = 0

    let spare: ArrayBuffer | undefined
    function sketchInline(texts: string[]): SketchBatch {
      const packed = packTexts(texts, spare)
      spare = packed.units.buffer as ArrayBuffer
      return inline.sketch(packed)
    }

    async function* batches(): AsyncGenerator<T[]> {
      let items: T[] = []
      for await (const item of source) {
        items.push(item)
        seen++
        if (items.length < BATCH) continue
        yield items
        items = []
      }
      if (items.length) yield items
    }

    async function sketchOf(items: T[]): Promise<{items: T[]; batch: SketchBatch}> {
      if (sketched) return {items, batch: sketched(items)}
      const texts = items.map(textOf)
      if (workers > 0 && seen > PARALLEL_AFTER) pool ??= new SketchPool(shape, workers)
      return {items, batch: pool ? await pool.sketch(texts) : sketchInline(texts)}
    }

    function* decide(items: T[], batch: SketchBatch): Generator<T> {
      for (let i = 0; i < items.length; i++) {
        const item = items[i]!
        const id = index.nearest(batch, i)
        const similarity = index.similarity
        if (id !== -1 && similarity >= threshold) {
          onDuplicate(item, {source: sources[keptSource[id]!]!, line: keptLine[id]!, similarity, ...(opts.previews ? {preview: previews[id]} : {})})
          continue
        }
        index.add(batch, i)
        const loc = locOf(item)
        let sid = sourceIds.get(loc.source)
        if (sid === undefined) {
          sid = sources.push(loc.source) - 1
          sourceIds.set(loc.source, sid)
        }
        keptSource.push(sid)
        keptLine.push(loc.line)
        if (opts.previews) previews.push(textOf(item).slice(0, 300))
        yield item
      }
    }

    try {
      // In input order, two batches per worker in flight (one being hashed, one queued) while this thread reads
      // ahead; decisions are made here, one batch after the other, so the first occurrence wins.
      for await (const {items, batch} of pMapIterable(batches(), sketchOf, {concurrency: Math.max(1, 2 * workers)})) yield* decide(items, batch)
    } finally {
      await pool?.close()
    }
  }
}

interface Cluster {
  /** Records removed as near-duplicates of `kept` (only the first few are listed). */
  size: number
  kept: {source: string; line: number; text: string}
  removed: {source: string; line: number; text: string; similarity: number}[]
}

/** Collects duplicate clusters for --dedup-report: the largest ones, each kept text beside its removed neighbours. */
export function createNearDedupReport(maxClusters = 50, maxPerCluster = 10) {
  const clusters = new Map<string, Cluster>()
  const escape = (s: string) => s.replace(/[&<>"]/g, (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'})[c]!)
  return {
    add(match: NearMatch, dup: {text: string; source: string; line: number}): void {
      const key = `${match.source}:${match.line}`
      let c = clusters.get(key)
      if (!c) {
        c = {size: 0, kept: {source: match.source, line: match.line, text: match.preview ?? ''}, removed: []}
        clusters.set(key, c)
      }
      c.size++
      if (c.removed.length < maxPerCluster) c.removed.push({source: dup.source, line: dup.line, text: dup.text.slice(0, 300), similarity: match.similarity})
    },
    clusters(): Cluster[] {
      return [...clusters.values()].sort((a, b) => b.size - a.size).slice(0, maxClusters)
    },
    /** The report as JSON (for a .json path) or a self-contained HTML page. */
    render(path: string): string {
      const top = this.clusters()
      if (path.endsWith('.json')) return JSON.stringify({clusters: top}, null, 2) + '\n'
      const rows = top.map((c) => `<section><h2>${c.size} removed · kept ${escape(c.kept.source)}:${c.kept.line}</h2><div class="kept">${escape(c.kept.text)}</div>${
        c.removed.map((r) => `<div class="dup"><b>${r.similarity.toFixed(2)}</b> ${escape(r.source)}:${r.line}<br>${escape(r.text)}</div>`).join('')}</section>`)
      return `<!doctype html><meta charset="utf-8"><title>lfdata near-duplicate clusters</title><style>body{font:14px system-ui;margin:2em}section{margin-bottom:2em}.kept{background:#e8f5e9;padding:.5em;white-space:pre-wrap}.dup{background:#fff3e0;padding:.5em;margin:.3em 0 0 2em;white-space:pre-wrap}</style><h1>Largest near-duplicate clusters</h1>${rows.join('')}`
    },
  }
}
