import {Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import type {Occurrence} from '../check/diagnostics.js'
import {runCheck, type CheckResult} from '../pipeline/check.js'
import {CheckFailedError, ExitCode} from '../errors.js'
import type {Stage} from '../lf/types.js'

const where = (o: Occurrence & {dataset?: string}): string =>
  o.file ? `${o.file}${o.line ? `:${o.line}` : ''}` : o.record !== undefined ? `${o.dataset ?? ''} record ${o.record}` : (o.dataset ?? '')

function render(r: CheckResult): string {
  const out: string[] = []
  for (const d of r.diagnostics) {
    out.push(`${d.severity.padEnd(7)} ${d.code} ${d.message}${d.count > 1 ? ` (${d.count}×)` : ''}`)
    for (const o of [d, ...(d.more ?? [])]) {
      const loc = where({...o, dataset: d.dataset})
      if (loc || o.detail) out.push(`        ${loc}${loc && o.detail ? ': ' : ''}${o.detail ?? ''}`)
    }
    if (d.count > 1 + (d.more?.length ?? 0)) out.push(`        … and ${d.count - 1 - (d.more?.length ?? 0)} more`)
    if (d.severity !== 'info') out.push(`        fix: ${d.fix}`)
  }
  if (out.length > 0) out.push('')
  for (const s of r.datasets) out.push(s.summary)
  out.push(`${r.errors} error${r.errors === 1 ? '' : 's'}, ${r.warnings} warning${r.warnings === 1 ? '' : 's'}`)
  return out.join('\n')
}

export default class Check extends BaseCommand {
  static override summary = 'Find everything LLaMA-Factory would reject, drop or silently mis-train, before training'
  static override description = `Checks the train YAML (unknown keys, data-args rules, template), dataset_info.json (syntax, schema, partial blocks, names), the files (existence, types, folder rules, encoding) and every record (LF's converter and processor rules for the stage, types across rows, pandas' reading of CSV, media, duplicates; with --tokenizer, lengths against cutoff_len), as LF sees them when launched from the current directory.
Exit code 4 when any error is found; --json prints the result (schemas/check-result.schema.json) either way.`
  static override examples = [
    '<%= config.bin %> check --config examples/train_lora/qwen3_lora_sft.yaml',
    '<%= config.bin %> check --dataset-dir data --dataset alpaca_en_demo,identity --stage sft --json',
    '<%= config.bin %> check --config train.yaml --tokenizer qwen',
  ]
  static override flags = {
    'dataset-dir': Flags.string({summary: 'Folder with dataset_info.json (default: the YAML\'s dataset_dir, else data)'}),
    config: Flags.string({char: 'c', summary: 'LF train YAML: datasets, stage, template, cutoff_len and data args come from it'}),
    dataset: Flags.string({summary: 'Datasets to check, comma-separated (default: the YAML\'s, else all registered)'}),
    stage: Flags.string({options: ['pt', 'sft', 'rm', 'dpo', 'kto', 'ppo'], summary: 'Training stage (default: the YAML\'s, else read off each entry)'}),
    tokenizer: Flags.string({summary: 'Also measure token lengths against cutoff_len (preset, path or HF repo id)'}),
    template: Flags.string({summary: 'LF template (default: the YAML\'s; for token lengths, the tokenizer\'s)'}),
    'cutoff-len': Flags.integer({min: 1, summary: 'cutoff_len (default: the YAML\'s, else 2048)'}),
    locations: Flags.integer({min: 1, default: 5, summary: 'Locations listed per diagnostic'}),
  }

  async run(): Promise<CheckResult> {
    const {flags} = await this.parse(Check)
    const result = await runCheck({
      datasetDir: flags['dataset-dir'],
      config: flags.config,
      datasets: flags.dataset ? flags.dataset.split(',').map((s) => s.trim()).filter(Boolean) : [],
      stage: flags.stage as Stage | undefined,
      tokenizer: flags.tokenizer,
      template: flags.template,
      cutoffLen: flags['cutoff-len'],
      locations: flags.locations,
    }, this.reporter())
    this.log(render(result))
    if (result.errors > 0) {
      // In --json mode the result object is the output (oclif prints the return value); only the exit code says it failed.
      if (this.jsonEnabled()) process.exitCode = ExitCode.checkFailed
      else throw new CheckFailedError(result.errors)
    }
    return result
  }
}
