import xxhash from 'xxhash-wasm'

import {contentStrings, type DropFn, type Example, type Item} from './example.js'
import {FingerprintSet} from './fingerprint-set.js'

/**
 * The text that defines an example for dedup: its kind, label, roles and every content string. Joined with
 * U+0000, which normalisation removes from content, so the join is unambiguous without JSON's escaping cost.
 */
export function dedupKey(ex: Example): string {
  const label = ex.kind === 'kto' ? String(ex.label) : ''
  const roles = ex.kind === 'text' ? '' : ex.turns.map((t) => t.role[0]).join('')
  return [ex.kind, label, roles, ...contentStrings(ex)].join('\u0000')
}

/**
 * Stage: drops exact duplicates of the normalised content (first occurrence wins, across all inputs).
 * Keeps a 64-bit xxhash fingerprint per kept record, not the text. `sourceIndex` maps a source to a small id.
 */
export async function exactDedup(onDrop: DropFn, sourceIndex: (source: string) => number, sourceName: (id: number) => string) {
  const hasher = await xxhash()
  const h64 = hasher.h64.bind(hasher)
  const seen = new FingerprintSet()
  return async function* <T extends Item>(items: AsyncIterable<T>): AsyncGenerator<T> {
    for await (const item of items) {
      const h = h64(dedupKey(item.example))
      const first = seen.addOrGet(Number(h >> 32n), Number(h & 0xffffffffn), sourceIndex(item.row.source), item.row.line)
      if (first) {
        const of = `${sourceName(first.source)}:${first.line}`
        onDrop(item.row, 'duplicate', `same content as ${of}`, {duplicate_of: of})
        continue
      }
      yield item
    }
  }
}
