import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {UsageError} from '../errors.js'
import type {MixStrategy} from '../lf/data-args.js'
import type {Formatting, Stage} from '../lf/types.js'
import {register, type RegisterResult} from '../pipeline/register.js'

/** "k=v,k2=v2" or repeated "k=v" flags → object. */
function pairs(flags: string[] | undefined, what: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const part of (flags ?? []).flatMap((f) => f.split(','))) {
    const [k, v] = part.split('=').map((s) => s.trim())
    if (!k || !v) throw new UsageError(`${what} expects KEY=VALUE, got "${part}"`)
    out[k] = v
  }
  return out
}

export default class Register extends BaseCommand {
  static override summary = 'Add a dataset to dataset_info.json safely, and write the matching LLaMA-Factory train YAML'
  static override description = 'Takes formatting/columns/tags from the manifest convert wrote (or sniffs the file), always writes complete blocks, preserves every other entry byte for byte, and writes atomically under a lock. With --yaml it writes or updates a train config; with --with/--mix it plans the dataset mix.'
  static override args = {file: Args.string({description: 'Data file or folder of shards to register'})}
  static override examples = [
    '<%= config.bin %> register data/qa.jsonl --name qa',
    '<%= config.bin %> register data/chat.jsonl --name chat --with qa,identity --mix interleave_under --probs auto --yaml train.yaml --model Qwen/Qwen2.5-7B-Instruct --cutoff-len auto',
    '<%= config.bin %> register --list --dataset-dir data --json',
  ]
  static override flags = {
    name: Flags.string({char: 'n', summary: 'Dataset name in dataset_info.json'}),
    'dataset-dir': Flags.string({default: 'data', summary: 'Folder holding dataset_info.json'}),
    copy: Flags.boolean({summary: 'Copy a file from outside into the dataset dir'}),
    'allow-outside': Flags.boolean({summary: 'Reference a file outside the dataset dir by absolute path'}),
    force: Flags.boolean({summary: 'Replace a different existing entry (keeps dataset_info.json.bak)'}),
    formatting: Flags.string({options: ['alpaca', 'sharegpt', 'openai'], summary: 'Override the formatting'}),
    ranking: Flags.boolean({allowNo: true, summary: 'Mark as preference data (ranking: true)'}),
    columns: Flags.string({multiple: true, summary: 'Column overrides, e.g. prompt=question,response=answer'}),
    tags: Flags.string({multiple: true, summary: 'Tag overrides, e.g. role_tag=role,content_tag=content'}),
    list: Flags.boolean({summary: 'List the registered datasets'}),
    remove: Flags.string({summary: 'Remove the named entry (keeps a .bak)'}),
    yaml: Flags.string({summary: 'Write or update this LF train YAML'}),
    model: Flags.string({summary: 'model_name_or_path for the YAML'}),
    template: Flags.string({summary: 'LF template (default: from the model name)'}),
    tokenizer: Flags.string({summary: 'Tokenizer for --cutoff-len auto (default: from the template)'}),
    'cutoff-len': Flags.string({summary: 'cutoff_len for the YAML, or auto (P99 from lfdata stats)'}),
    with: Flags.string({summary: 'Other registered datasets to train on too, comma-separated'}),
    mix: Flags.string({options: ['concat', 'interleave_under', 'interleave_over', 'interleave_once'], summary: 'mix_strategy'}),
    probs: Flags.string({summary: 'interleave_probs: auto | temperature:T | a=0.7,b=0.3'}),
    stage: Flags.string({options: ['pt', 'sft', 'rm', 'dpo', 'kto', 'ppo'], summary: 'Stage for the YAML (default: from the data)'}),
    'max-samples': Flags.integer({summary: 'max_samples for the YAML (omitted unless given)'}),
  }

  async run(): Promise<RegisterResult> {
    const {args, flags} = await this.parse(Register)
    const result = await register({
      file: args.file,
      name: flags.name,
      datasetDir: flags['dataset-dir'],
      copy: flags.copy,
      allowOutside: flags['allow-outside'],
      force: flags.force,
      formatting: flags.formatting as Formatting | undefined,
      ranking: flags.ranking,
      columns: pairs(flags.columns, '--columns'),
      tags: pairs(flags.tags, '--tags'),
      list: flags.list,
      remove: flags.remove,
      yaml: flags.yaml,
      model: flags.model,
      template: flags.template,
      tokenizer: flags.tokenizer,
      cutoffLen: flags['cutoff-len'],
      with: flags.with ? flags.with.split(',').map((s) => s.trim()).filter(Boolean) : [],
      mix: flags.mix as MixStrategy | undefined,
      probs: flags.probs,
      stage: flags.stage as Stage | undefined,
      maxSamples: flags['max-samples'],
    }, this.reporter())
    this.log(renderRegister(result))
    return result
  }
}

function renderRegister(r: RegisterResult): string {
  if (r.action === 'listed') return (r.entries ?? []).map((e) => `${e.name.padEnd(32)} ${e.formatting.padEnd(9)} ${e.source}`).join('\n')
  const lines = [`${r.action} ${r.name} in ${r.dataset_info}`]
  if (r.entry && r.action !== 'removed') lines.push(JSON.stringify(r.entry, null, 2))
  if (r.mix) {
    lines.push(`mix: ${r.mix.strategy}${r.mix.stopping ? ` (${r.mix.stopping})` : ''}`)
    for (const name of Object.keys(r.mix.sizes)) {
      const p = r.mix.probs ? ` p=${r.mix.probs[name]}` : ''
      lines.push(`  ${name.padEnd(24)} size ${String(r.mix.sizes[name]).padStart(8)}${p}  → ~${r.mix.expected[name]} drawn (${r.mix.epochs[name]}× seen)`)
    }
    lines.push(`  total ~${r.mix.total} examples per epoch`)
  }
  if (r.yaml) lines.push(`train config: ${r.yaml} (run: llamafactory-cli train ${r.yaml})`)
  return lines.join('\n')
}
