import {writeFileAtomic} from '../io/atomic.js'
import {UsageError} from '../errors.js'
import {lshParams, MinHasher} from './near-dedup/minhash.js'
import {shingleHashes} from './near-dedup/shingles.js'

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
  /** MinHash permutations (default 128). */
  numPerm?: number
  seed?: number
  /** Keep a short preview of each kept text, for --dedup-report. */
  previews?: boolean
}

/** Grows by doubling; 16 bits of each MinHash value are plenty to estimate Jaccard (collisions 1 in 65,536). */
class SignatureStore {
  private data: Uint16Array
  count = 0

  constructor(private readonly width: number) {
    this.data = new Uint16Array(width * 1024)
  }

  add(sig: Uint32Array): number {
    if ((this.count + 1) * this.width > this.data.length) {
      const bigger = new Uint16Array(this.data.length * 2)
      bigger.set(this.data)
      this.data = bigger
    }
    const base = this.count * this.width
    for (let i = 0; i < this.width; i++) this.data[base + i] = sig[i]! & 0xffff
    return this.count++
  }

  similarity(id: number, sig: Uint32Array): number {
    const base = id * this.width
    let same = 0
    for (let i = 0; i < this.width; i++) if (this.data[base + i] === (sig[i]! & 0xffff)) same++
    return same / this.width
  }
}

function bandHash(sig: Uint32Array, from: number, rows: number, band: number): number {
  let h = (0x811c9dc5 ^ band) >>> 0
  for (let i = from; i < from + rows; i++) h = Math.imul(h ^ sig[i]!, 0x01000193) >>> 0
  return h
}

/**
 * Stage: MinHash + LSH near-duplicate removal, in one streaming pass. A record is dropped when an earlier kept
 * record shares an LSH band with it AND their estimated Jaccard similarity reaches the threshold (so band
 * collisions alone never drop anything). First occurrence wins. Memory per kept record: its band keys and a
 * 16-bit signature, never the text.
 */
export function nearDedup<T>(
  opts: NearDedupOptions,
  textOf: (item: T) => string,
  locOf: (item: T) => {source: string; line: number},
  onDuplicate: (item: T, match: NearMatch) => void,
): (source: AsyncIterable<T>) => AsyncGenerator<T> {
  const threshold = opts.threshold ?? 0.8
  const numPerm = opts.numPerm ?? 128
  if (!(threshold > 0 && threshold <= 1)) throw new UsageError(`near-duplicate threshold must be in (0, 1], got ${threshold}`)
  if (!Number.isInteger(numPerm) || numPerm < 16 || numPerm > 1024) throw new UsageError('numPerm must be a whole number from 16 to 1024')
  const {bands, rows} = lshParams(threshold, numPerm)
  const hasher = new MinHasher(numPerm, opts.seed)

  return async function* (source) {
    const tables = Array.from({length: bands}, () => new Map<number, number | number[]>())
    const store = new SignatureStore(numPerm)
    const sources: string[] = []
    const sourceIds = new Map<string, number>()
    const keptSource: number[] = []
    const keptLine: number[] = []
    const previews: string[] = []
    const keys = new Uint32Array(bands)
    for await (const item of source) {
      const text = textOf(item)
      const sig = hasher.signature(shingleHashes(text))
      let best = -1
      let bestSim = -1
      for (let b = 0; b < bands; b++) {
        keys[b] = bandHash(sig, b * rows, rows, b)
        const hit = tables[b]!.get(keys[b]!)
        if (hit === undefined) continue
        for (const id of typeof hit === 'number' ? [hit] : hit) {
          if (id === best) continue
          const sim = store.similarity(id, sig)
          if (sim > bestSim) [best, bestSim] = [id, sim]
        }
      }
      if (best !== -1 && bestSim >= threshold) {
        onDuplicate(item, {source: sources[keptSource[best]!]!, line: keptLine[best]!, similarity: bestSim, ...(opts.previews ? {preview: previews[best]} : {})})
        continue
      }
      const id = store.add(sig)
      const loc = locOf(item)
      let sid = sourceIds.get(loc.source)
      if (sid === undefined) {
        sid = sources.push(loc.source) - 1
        sourceIds.set(loc.source, sid)
      }
      keptSource.push(sid)
      keptLine.push(loc.line)
      if (opts.previews) previews.push(text.slice(0, 300))
      for (let b = 0; b < bands; b++) {
        const table = tables[b]!
        const hit = table.get(keys[b]!)
        if (hit === undefined) table.set(keys[b]!, id)
        else if (typeof hit === 'number') table.set(keys[b]!, [hit, id])
        else hit.push(id)
      }
      yield item
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
    async write(path: string): Promise<void> {
      const top = this.clusters()
      if (path.endsWith('.json')) {
        await writeFileAtomic(path, JSON.stringify({clusters: top}, null, 2) + '\n')
        return
      }
      const rows = top.map((c) => `<section><h2>${c.size} removed · kept ${escape(c.kept.source)}:${c.kept.line}</h2><div class="kept">${escape(c.kept.text)}</div>${
        c.removed.map((r) => `<div class="dup"><b>${r.similarity.toFixed(2)}</b> ${escape(r.source)}:${r.line}<br>${escape(r.text)}</div>`).join('')}</section>`)
      await writeFileAtomic(path, `<!doctype html><meta charset="utf-8"><title>lfdata near-duplicate clusters</title><style>body{font:14px system-ui;margin:2em}section{margin-bottom:2em}.kept{background:#e8f5e9;padding:.5em;white-space:pre-wrap}.dup{background:#fff3e0;padding:.5em;margin:.3em 0 0 2em;white-space:pre-wrap}</style><h1>Largest near-duplicate clusters</h1>${rows.join('')}`)
    },
  }
}
