import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {renderConvertSummary} from '../pipeline/convert-summary.js'
import {mergePartition, mergeShards, type MergePartitionResult, type MergeResult} from '../pipeline/merge.js'
import {parseShard} from '../shard/spec.js'

export default class Merge extends BaseCommand {
  static override summary = 'Finish a sharded convert: cross-shard dedup, final parts, one manifest for the folder'
  static override description = 'After `lfdata convert INPUT... -o DIR --shard I/N` has run for every shard, removes exact and near duplicates across shards exactly as one process would (first occurrence wins), writes the rejects, finalises DIR/part-*.jsonl and writes DIR.lfdata.json. The concatenation of the parts equals `lfdata convert INPUT... -o one.jsonl` byte for byte. With --shard I/M it only finds the exact duplicates of hash partition I (run all M, then `lfdata merge DIR`), so no task holds every fingerprint.'
  static override args = {dir: Args.string({required: true, description: 'Folder the shards wrote'})}
  static override examples = [
    '<%= config.bin %> merge out/',
    'for i in 0 1 2 3; do <%= config.bin %> merge out/ --shard $i/4; done; <%= config.bin %> merge out/ --json',
  ]
  static override flags = {
    shard: Flags.string({summary: 'Only find the exact duplicates of fingerprint partition I/M (then run merge without --shard)'}),
  }

  async run(): Promise<MergeResult | MergePartitionResult> {
    const {args, flags} = await this.parse(Merge)
    if (flags.shard) {
      const r = await mergePartition(args.dir, parseShard(flags.shard))
      this.log(`partition ${r.partition.index}/${r.partition.count}: ${r.duplicates} exact duplicates among ${r.candidates} records → ${r.file}`)
      return r
    }
    const result = await mergeShards(args.dir, this.reporter())
    this.log(`${renderConvertSummary(result)}\nparts: ${result.parts.length} in ${result.output}`)
    return result
  }
}
