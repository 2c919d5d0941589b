import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {UsageError} from '../errors.js'
import type {Stage} from '../lf/types.js'
import {runStats, type StatsResult} from '../pipeline/stats.js'
import {plotKind, writeStatsPlot} from '../report/plot.js'
import {reportPath} from '../report/html.js'
import {StatsReportCollector, writeStatsReport} from '../report/stats-report.js'
import {guardPlot} from '../stats/render.js'
import {writeStatsPartial, type StatsPartialResult} from '../pipeline/stats-partial.js'
import {parseShard} from '../shard/spec.js'
import {renderStats} from '../pipeline/stats-summary.js'
import {TEMPLATE_NAMES, TOOL_FORMATS} from '../templates/templates.js'
import {PRESETS} from '../tokenize/load.js'

export default class Stats extends BaseCommand {
  static override summary = 'Token lengths exactly as LLaMA-Factory computes them, and a cutoff_len suggestion'
  static override description = `Runs every record through LF's converter and processor rules, measures kept examples with the real tokenizer and chat template layout, and reports percentiles, a histogram, LF's length_cdf lines and what each cutoff_len truncates. Tokenizer presets: ${Object.keys(PRESETS).join(', ')}; or a tokenizer.json / model folder / HF repo id in the local cache. Templates: ${TEMPLATE_NAMES.join(', ')}.`
  static override args = {target: Args.string({description: 'Data file (or folder, or - for stdin); omit with --dataset'})}
  static override examples = [
    '<%= config.bin %> stats train.jsonl --tokenizer qwen',
    '<%= config.bin %> stats --dataset alpaca_en_demo,identity --dataset-dir data --tokenizer llama3 --plot lengths.html',
    'zcat train.jsonl.gz | <%= config.bin %> stats - --tokenizer qwen',
    '<%= config.bin %> stats train.jsonl --tokenizer qwen --report report.html --plot lengths.png',
    '<%= config.bin %> stats chats.jsonl --tokenizer ~/models/Qwen3-8B --template qwen3 --percentile 99.5 --packing --json',
    '<%= config.bin %> stats big.jsonl --tokenizer qwen --shard 0/4 --partial parts/0.json   # then: stats merge parts/*.json',
  ]
  static override flags = {
    tokenizer: Flags.string({char: 't', required: true, summary: 'Preset (qwen, llama3, llama3.1, llama2, gemma3, deepseek3, gpt-oss), tokenizer.json, model folder, or HF repo id in the local cache'}),
    template: Flags.string({summary: 'LF template name (default: derived from the tokenizer)'}),
    dataset: Flags.string({summary: 'Registered dataset name(s), comma-separated'}),
    'dataset-dir': Flags.string({default: 'data', summary: 'Folder with dataset_info.json'}),
    stage: Flags.string({options: ['pt', 'sft', 'rm', 'dpo', 'kto', 'ppo'], summary: 'LF stage (default: from the manifest, else sft)'}),
    percentile: Flags.string({default: '99', summary: 'Percentile the cutoff_len suggestion covers'}),
    round: Flags.integer({default: 128, summary: 'Round the suggestion up to a multiple of this'}),
    packing: Flags.boolean({summary: 'Also count the packed sequences LF would build'}),
    'cutoff-len': Flags.integer({summary: 'cutoff_len for the packing count (default: the suggestion)'}),
    report: Flags.string({summary: 'Write one self-contained HTML page: histogram, cutoff table, drops with examples, longest examples, trained vs masked tokens'}),
    plot: Flags.string({summary: 'Write the histogram with P50/P90/P99 and cutoff_len lines as FILE.svg, FILE.png or FILE.html'}),
    'on-error': Flags.string({options: ['fail', 'skip'], default: 'fail', summary: 'A line or row that does not parse: stop (fail), or count it as dropped parse_error and go on (skip)'}),
    workers: Flags.integer({summary: 'Worker threads for token counting (default: one per core but one for inputs over 8 MB; 0 = in-process)'}),
    'enable-thinking': Flags.string({options: ['true', 'false', 'none'], default: 'true', summary: "LF's enable_thinking for reasoning templates (false: thoughts removed, empty block in the prompt)"}),
    'default-system': Flags.string({summary: "LF's default_system: replaces the template's default system prompt"}),
    'tool-format': Flags.string({options: [...TOOL_FORMATS], summary: "LF's tool_format: replaces the template's tool and function-call formatting"}),
    'mask-history': Flags.boolean({summary: "LF's mask_history: train on the last turn only (history thoughts dropped by reasoning templates)"}),
    'train-on-prompt': Flags.boolean({summary: "LF's train_on_prompt: the prompt is trained on too"}),
    shard: Flags.string({summary: 'Measure only shard I/N of the inputs (0-based) and write --partial; `lfdata stats merge` adds the partials up', dependsOn: ['partial']}),
    partial: Flags.string({summary: 'With --shard: where to write this shard\'s exact length counts (JSON)', dependsOn: ['shard']}),
  }

  async run(): Promise<(StatsResult & {plot?: string; report?: string}) | StatsPartialResult> {
    const {args, flags} = await this.parse(Stats)
    const datasets = flags.dataset ? flags.dataset.split(',').map((s) => s.trim()).filter(Boolean) : []
    if (!args.target && datasets.length === 0) throw new UsageError('give a data file or --dataset NAMES', {suggestion: 'lfdata stats train.jsonl --tokenizer qwen'})
    if (args.target && datasets.length > 0) throw new UsageError('give either a data file or --dataset, not both')
    const inputs = [args.target ?? '-', `${flags['dataset-dir']}/dataset_info.json`]
    if (flags.plot) {
      // The guard first: an output that is an input is refused as such, whatever its extension.
      guardPlot(flags.plot, inputs)
      plotKind(flags.plot)
    }
    if (flags.report) guardPlot(reportPath(flags.report), inputs, '--report')
    const collector = flags.report ? new StatsReportCollector() : undefined
    const options = {
      files: args.target ? [args.target] : [],
      datasets,
      datasetDir: flags['dataset-dir'],
      tokenizer: flags.tokenizer,
      template: flags.template,
      stage: flags.stage as Stage | undefined,
      percentile: Number(flags.percentile),
      round: flags.round,
      packing: flags.packing,
      cutoffLen: flags['cutoff-len'],
      workers: flags.workers,
      onError: flags['on-error'] as 'fail' | 'skip',
      switches: {
        enableThinking: {true: true, false: false, none: null}[flags['enable-thinking'] as 'true' | 'false' | 'none'],
        defaultSystem: flags['default-system'],
        toolFormat: flags['tool-format'],
      },
      encode: {maskHistory: flags['mask-history'], trainOnPrompt: flags['train-on-prompt']},
      observer: collector,
    }
    if (flags.shard && flags.partial) {
      const partial = await writeStatsPartial({...options, shard: parseShard(flags.shard)}, flags.partial, this.reporter())
      this.log(`shard ${partial.shard.index}/${partial.shard.count}: ${partial.examples} examples measured → ${partial.partial}`)
      return partial
    }
    const result = await runStats(options, this.reporter())
    if (flags.plot) await writeStatsPlot(flags.plot, result)
    if (flags.report) await writeStatsReport(flags.report, result, collector!)
    this.log(renderStats(result))
    if (flags.plot) this.log(`plot: ${flags.plot}`)
    if (flags.report) this.log(`report: ${flags.report}`)
    return {...result, ...(flags.plot ? {plot: flags.plot} : {}), ...(flags.report ? {report: flags.report} : {})}
  }
}
