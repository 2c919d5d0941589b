import xxhash from 'xxhash-wasm'

import type {Row} from '../io/types.js'
import {contentStrings, type DropFn, type Example} from './example.js'
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

/** A 64-bit xxhash fingerprint as two unsigned 32-bit halves (what FingerprintSet and the shard logs keep). */
export interface Fingerprint {
  hi: number
  lo: number
}

export interface Fingerprinter {
  /** Of an example's dedupKey. */
  ofExample(ex: Example): Fingerprint
  /** Of the UTF-8 bytes of a dedupKey, built without a string (src/transforms/plain-csv.ts): same value. */
  ofKeyBytes(key: Uint8Array): Fingerprint
}

export async function fingerprinter(): Promise<Fingerprinter> {
  const hasher = await xxhash()
  const split = (h: bigint): Fingerprint => ({hi: Number(h >> 32n), lo: Number(h & 0xffffffffn)})
  return {ofExample: (ex) => split(hasher.h64(dedupKey(ex))), ofKeyBytes: (key) => split(hasher.h64Raw(key))}
}

/** Where a record came from, and the record itself on demand (a pre-encoded row is decoded only for a drop or a log). */
export interface RowRef {
  readonly source: string
  readonly line: number
  row(): Row
}

/** A Row as a RowRef. */
export const refOf = (row: Row): RowRef => ({source: row.source, line: row.line, row: () => row})

/**
 * Step: whether a record with this fingerprint is the first of its content (first occurrence wins, across all
 * inputs); a repeat is dropped as a duplicate naming the first. Keeps a fingerprint per kept record, not the
 * text. `sourceIndex` maps a source to a small id.
 */
export function exactDedup(onDrop: DropFn, sourceIndex: (source: string) => number, sourceName: (id: number) => string): (fp: Fingerprint, at: RowRef) => boolean {
  const seen = new FingerprintSet()
  return (fp, at) => {
    const first = seen.addOrGet(fp.hi, fp.lo, sourceIndex(at.source), at.line)
    if (!first) return true
    const of = `${sourceName(first.source)}:${first.line}`
    onDrop(at.row(), 'duplicate', `same content as ${of}`, {duplicate_of: of})
    return false
  }
}
