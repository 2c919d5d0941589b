import {isScalar, visit, type Document} from 'yaml'

/**
 * The first key that repeats within one mapping, with its offset, or undefined. The yaml library's own
 * `uniqueKeys` check compares each key with every earlier one (a 40,000-key file took 61 s to parse); one Set
 * per mapping does the same in linear time, so documents are parsed with `uniqueKeys: false` and checked here.
 */
export function firstDuplicateKey(doc: Document): {key: string; offset: number} | undefined {
  let found: {key: string; offset: number} | undefined
  visit(doc, {
    Map(_, map) {
      const seen = new Set<string>()
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue
        const key = String(pair.key.value)
        if (seen.has(key)) {
          found = {key, offset: pair.key.range?.[0] ?? 0}
          return visit.BREAK
        }
        seen.add(key)
      }
      return undefined
    },
  })
  return found
}
