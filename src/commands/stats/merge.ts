import {Args} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {mergeStatsPartials} from '../../pipeline/stats-partial.js'
import type {StatsResult} from '../../pipeline/stats.js'
import {renderStats} from '../../pipeline/stats-summary.js'

export default class StatsMerge extends BaseCommand {
  static override summary = 'Add up the partials of a sharded stats run: exactly the single-run result'
  static override description = 'Takes the files `lfdata stats --shard I/N --partial P.json` wrote for every shard 0..N-1 of one run (same tokenizer, template, stage, inputs) and prints what one `lfdata stats` over all inputs prints: they carry exact length counts, so percentiles, histogram and the cutoff_len suggestion are identical.'
  static override strict = false
  static override args = {partials: Args.string({description: 'Partial files (one per shard)'})}
  static override examples = [
    '<%= config.bin %> stats merge parts/stats-*.json',
    '<%= config.bin %> stats merge p0.json p1.json p2.json p3.json --json',
  ]

  async run(): Promise<StatsResult> {
    const {argv} = await this.parse(StatsMerge)
    const result = await mergeStatsPartials(argv as string[])
    this.log(renderStats(result))
    return result
  }
}
