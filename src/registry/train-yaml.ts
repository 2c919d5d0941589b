import {existsSync} from 'node:fs'
import {readFile} from 'node:fs/promises'

import {LineCounter, parseDocument, type Document, type Tags} from 'yaml'

import {writeFileAtomic} from '../io/atomic.js'
import {firstDuplicateKey} from '../io/yaml-keys.js'
import {InputError, UsageError} from '../errors.js'
import {checkDataArgs} from '../lf/data-args.js'
import type {Stage} from '../lf/types.js'

export interface TrainYamlOptions {
  model: string
  stage: Stage
  template: string
  datasets: string[]
  datasetDir: string
  cutoffLen: number
  mixStrategy?: string
  interleaveProbs?: number[]
  maxSamples?: number
}

/** A new train config in LF's example layout (examples/train_lora/*.yaml), for a LoRA run. */
function freshYaml(o: TrainYamlOptions): string {
  const short = o.model.split('/').pop()!.toLowerCase()
  const stageKeys = o.stage === 'dpo' ? 'pref_beta: 0.1\npref_loss: sigmoid  # choices: [sigmoid (dpo), orpo, simpo]\n' : o.stage === 'kto' ? 'pref_beta: 0.1\n' : ''
  return `### model
model_name_or_path: ${o.model}
trust_remote_code: true

### method
stage: ${o.stage}
do_train: true
finetuning_type: lora
lora_rank: 8
lora_target: all
${stageKeys}
### dataset
dataset: ${o.datasets.join(',')}
dataset_dir: ${o.datasetDir}
template: ${o.template}
cutoff_len: ${o.cutoffLen}
overwrite_cache: true
preprocessing_num_workers: 16
dataloader_num_workers: 4

### output
output_dir: saves/${short}/lora/${o.stage}
logging_steps: 10
save_steps: 500
plot_loss: true
overwrite_output_dir: true
save_only_model: false
report_to: none  # choices: [none, wandb, tensorboard, swanlab, mlflow]

### train
per_device_train_batch_size: 1
gradient_accumulation_steps: 8
learning_rate: ${o.stage === 'sft' || o.stage === 'pt' ? '1.0e-4' : '5.0e-6'}
num_train_epochs: 3.0
lr_scheduler_type: cosine
warmup_ratio: 0.1
bf16: true
ddp_timeout: 180000000
resume_from_checkpoint: null

### eval
# eval_dataset: ${o.datasets[0]}
# val_size: 0.1
# per_device_eval_batch_size: 1
# eval_strategy: steps
# eval_steps: 500
`
}

/**
 * The core schema's number tags, but an unchanged number is written back exactly as it was typed
 * (`1.0e-4` stays `1.0e-4`, not `1e-4`). Only the core schema's own tags: no custom or language tags.
 */
const keepNumberSource = (tags: Tags): Tags =>
  tags.map((tag) => {
    if (typeof tag === 'string' || !('tag' in tag) || (tag.tag !== 'tag:yaml.org,2002:float' && tag.tag !== 'tag:yaml.org,2002:int') || !tag.stringify) return tag
    const original = tag.stringify
    return {...tag, stringify: (item, ctx, onComment, onChompKeep) => {
      const source = (item).source
      return typeof source === 'string' && Number(source) === Number((item).value) ? source : original(item, ctx, onComment, onChompKeep)
    }}
  })

/** Sets the dataset keys of a document, keeping every other key, the order and the comments. */
function setDatasetKeys(doc: Document, o: TrainYamlOptions): void {
  doc.set('dataset', o.datasets.join(','))
  doc.set('dataset_dir', o.datasetDir)
  doc.set('template', o.template)
  doc.set('cutoff_len', o.cutoffLen)
  if (o.mixStrategy && o.mixStrategy !== 'concat') doc.set('mix_strategy', o.mixStrategy)
  else doc.delete('mix_strategy')
  if (o.interleaveProbs) doc.set('interleave_probs', o.interleaveProbs.join(','))
  else doc.delete('interleave_probs')
  if (o.maxSamples !== undefined) doc.set('max_samples', o.maxSamples)
}

/**
 * Writes (or updates in place) the train YAML. An existing file keeps its comments, key order and unrelated
 * keys: only the dataset keys change. A config LF would reject is refused with LF's reason.
 */
export async function writeTrainYaml(path: string, o: TrainYamlOptions): Promise<{created: boolean; config: Record<string, unknown>}> {
  const created = !existsSync(path)
  const counter = new LineCounter()
  const doc = parseDocument(created ? freshYaml(o) : await readFile(path, 'utf8'), {schema: 'core', customTags: keepNumberSource, uniqueKeys: false, lineCounter: counter})
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!
    throw new InputError('E_YAML', `cannot parse ${path}: ${e.message.split('\n')[0]}`, {location: {file: path, line: e.linePos?.[0]?.line}})
  }
  const duplicate = firstDuplicateKey(doc)
  if (duplicate) throw new InputError('E_YAML', `cannot parse ${path}: key "${duplicate.key}" appears twice in one mapping`, {location: {file: path, line: counter.linePos(duplicate.offset).line}})
  setDatasetKeys(doc, o)
  const config = (doc.toJS() ?? {}) as Record<string, unknown>
  const errors = checkDataArgs(config).filter((p) => p.severity === 'error')
  if (errors.length > 0) throw new UsageError(`LLaMA-Factory would reject this config: ${errors.map((e) => e.message).join('; ')}`, {code: 'E_DATA_ARGS'})
  await writeFileAtomic(path, doc.toString({lineWidth: 0}))
  return {created, config}
}
