import {UsageError} from '../errors.js'
import type {Row} from '../io/types.js'
import {type DropFn, type Example, fieldStrings, type NearField} from './example.js'
import {createNearDedupReport, nearDedup} from './near-dedup.js'
import type {SketchBatch} from './near-dedup/minhash.js'
import type {OutputItem} from './to-output.js'

/** Where --dedup-report goes: convert takes the rendered text and commits it together with the output. */
export interface NearReportTarget {
  path: string
  take(text: string): void
}

/**
 * Wires the MinHash/LSH near-duplicate stage into convert: the text compared is the chosen fields' strings
 * (default prompt + response: a system prompt shared by every record would make short unrelated records look
 * alike); drops are reported with the match.
 */
export function nearDedupStage<T extends {row: Row} = OutputItem>(opts: {threshold: number; fields: readonly NearField[]; report?: NearReportTarget}, onDrop: DropFn, text?: (item: T) => string, sketched?: (items: T[]) => SketchBatch) {
  if (!(opts.threshold > 0 && opts.threshold <= 1)) throw new UsageError('--near-threshold must be in (0, 1]')
  const report = opts.report ? createNearDedupReport() : undefined
  // `text` and `sketched`: a sharded run's merge decides on the sketches its shards made, and reports with the
  // texts they recorded (src/pipeline/merge.ts).
  const textOf = text ?? ((item: T) => nearText((item as unknown as OutputItem).example, opts.fields))
  const stage = nearDedup<T>(
    {threshold: opts.threshold, previews: Boolean(opts.report)},
    textOf,
    (item) => item.row,
    (item, match) => {
      const of = `${match.source}:${match.line}`
      onDrop(item.row, 'near_duplicate', `similar (${match.similarity.toFixed(2)}) to ${of}`, {near_duplicate_of: of, similarity: match.similarity})
      report?.add(match, {text: textOf(item), source: item.row.source, line: item.row.line})
    },
    sketched,
  )
  return (items: AsyncIterable<T>): Promise<AsyncIterable<T>> => {
    async function* run(): AsyncGenerator<T> {
      yield* stage(items)
      if (report && opts.report) opts.report.take(report.render(opts.report.path))
    }
    return Promise.resolve(run())
  }
}

/** The text near dedup compares for an example: the chosen fields' strings, one per line. */
export const nearText = (example: Example, fields: readonly NearField[]): string => fieldStrings(example, fields).join('\n')
