import {resolveDatasetAttr} from '../lf/attr.js'
import {lfVerdict} from '../lf/processor.js'
import type {DropFn} from './example.js'
import type {OutputItem, OutputLayout} from './to-output.js'

/**
 * Step: every output record goes through LF's own converter and processor rules (src/lf) for the stage it is
 * shaped for, exactly as LF will see it, so nothing is written that LF would skip, drop or crash on.
 */
export function lfRules(layout: OutputLayout, output: string, onDrop: DropFn) {
  const attr = resolveDatasetAttr('lfdata_output', {
    file_name: output,
    formatting: layout.formatting,
    ranking: layout.ranking,
    columns: layout.columns,
    ...(layout.tags ? {tags: layout.tags} : {}),
  })
  return (item: OutputItem): OutputItem | undefined => {
    const verdict = lfVerdict(item.record, attr, layout.stage)
    if (verdict.kept) return item
    onDrop(item.row, verdict.reason, verdict.detail)
    return undefined
  }
}
