import {describe, expect, it} from 'vitest'

import {checkDataArgs, type DataArgsContext, DATA_ARGS_DEFAULTS, EFFICIENT_EOS_TEMPLATES, LF_ARG_KEYS, LF_MODE_ONLY_KEYS, LF_TEMPLATE_NAMES, mixStrategyToStopping, resolveDataArgs, splitArg} from '../../src/lf/data-args.js'

// Rules derived from hparams/data_args.py (__post_init__), hparams/parser.py (get_train_args),
// template.py (get_template_and_fix_tokenizer), data_utils.py (merge_dataset, split_dataset).
const base = {stage: 'sft', do_train: true, template: 'qwen', dataset: 'a'}
const rules = (args: Record<string, unknown>, ctx: DataArgsContext = {}) => checkDataArgs({...base, ...args}, ctx).map((p) => `${p.severity}:${p.rule}`)

describe('LF_ARG_KEYS and friends', () => {
  it('holds the keys of LF\'s example train YAMLs', () => {
    for (const k of ['model_name_or_path', 'trust_remote_code', 'stage', 'do_train', 'finetuning_type', 'lora_rank', 'lora_target', 'dataset', 'template', 'cutoff_len', 'max_samples', 'overwrite_cache', 'preprocessing_num_workers', 'dataloader_num_workers', 'output_dir', 'logging_steps', 'save_steps', 'plot_loss', 'overwrite_output_dir', 'save_only_model', 'report_to', 'per_device_train_batch_size', 'gradient_accumulation_steps', 'learning_rate', 'num_train_epochs', 'lr_scheduler_type', 'warmup_ratio', 'bf16', 'ddp_timeout', 'resume_from_checkpoint', 'val_size', 'per_device_eval_batch_size', 'eval_strategy', 'eval_steps', 'pref_beta', 'pref_loss', 'deepspeed', 'image_max_pixels', 'freeze_vision_tower', 'enable_thinking', 'packing', 'neat_packing']) {
      expect(LF_ARG_KEYS.has(k), k).toBe(true)
    }
  })
  it('leaves out keys the train parser rejects: removed HF keys, init=False fields, eval-only and Megatron-only keys', () => {
    for (const k of ['evaluation_strategy', 'model_max_length', 'compute_dtype', 'device_map', 'block_diag_attn', 'task', 'n_shot', 'kt_config', 'tensor_model_parallel_size', 'max_sample']) expect(LF_ARG_KEYS.has(k), k).toBe(false)
    expect(LF_MODE_ONLY_KEYS.get('tensor_model_parallel_size')).toContain('USE_MEGATRON_BRIDGE')
    expect(LF_MODE_ONLY_KEYS.get('n_shot')).toBe('llamafactory-cli eval')
  })
  it('template names are the 124 LF registers; efficient_eos templates are among them', () => {
    expect(LF_TEMPLATE_NAMES).toHaveLength(124)
    for (const t of ['qwen', 'qwen3', 'qwen3_nothink', 'llama3', 'chatml', 'default', 'empty', 'deepseek3', 'glm4', 'gemma', 'mistral', 'llama2', 'phi4']) expect(LF_TEMPLATE_NAMES).toContain(t)
    for (const t of EFFICIENT_EOS_TEMPLATES) expect(LF_TEMPLATE_NAMES).toContain(t)
  })
  it('mix strategies map to HF stopping strategies', () => {
    expect(['concat', 'interleave_under', 'interleave_over', 'interleave_once', 'interleave'].map(mixStrategyToStopping)).toEqual([null, 'first_exhausted', 'all_exhausted', 'all_exhausted_without_replacement', undefined])
  })
})

describe('resolveDataArgs: values after __post_init__ and get_train_args', () => {
  it('defaults: dataset_dir data, media_dir = dataset_dir, cutoff_len 2048, no packing for sft', () => {
    expect(resolveDataArgs({})).toMatchObject({datasetDir: 'data', mediaDir: 'data', cutoffLen: 2048, packing: false, mixStrategy: 'concat', valSize: 0})
    expect(DATA_ARGS_DEFAULTS.cutoff_len).toBe(2048)
  })
  it('explicit packing or neat_packing lowers cutoff_len by one; pt packs by default without the decrement', () => {
    expect(resolveDataArgs({packing: true, cutoff_len: 1024})).toMatchObject({packing: true, cutoffLen: 1023})
    expect(resolveDataArgs({neat_packing: true})).toMatchObject({packing: true, cutoffLen: 2047})
    expect(resolveDataArgs({stage: 'pt'})).toMatchObject({packing: true, cutoffLen: 2048})
    expect(resolveDataArgs({stage: 'pt', packing: false})).toMatchObject({packing: false})
  })
  it('split_arg strips items and keeps empty ones ("a,,b" names a dataset "")', () => {
    expect(splitArg(' a , b ')).toEqual(['a', 'b'])
    expect(splitArg('a,,b')).toEqual(['a', '', 'b'])
    expect(splitArg(['a', 'b'])).toEqual(['a', 'b'])
    expect(splitArg(null)).toBeUndefined()
  })
})

describe('checkDataArgs', () => {
  it('a plain SFT config has no problem', () => {
    expect(rules({})).toEqual([])
  })
  it('__post_init__: val_size needs a dataset and no eval_dataset', () => {
    expect(checkDataArgs({template: 'qwen', val_size: 0.1})).toContainEqual(expect.objectContaining({rule: 'val_size_no_dataset', message: 'Cannot specify `val_size` if `dataset` is None.'}))
    expect(rules({val_size: 0.1, eval_dataset: 'b'})).toContain('error:val_size_with_eval')
  })
  it('__post_init__: interleave_probs only with interleave, one per dataset and per eval dataset', () => {
    expect(rules({dataset: 'a,b', interleave_probs: '0.5,0.5'})).toContain('error:probs_concat')
    expect(rules({dataset: 'a,b', mix_strategy: 'interleave_under', interleave_probs: '0.5,0.3,0.2'})).toContain('error:probs_count')
    expect(rules({dataset: 'a,b', eval_dataset: 'c', mix_strategy: 'interleave_under', interleave_probs: '0.5,0.5', do_eval: true})).toContain('error:probs_eval_count')
    expect(rules({dataset: 'a,b', mix_strategy: 'interleave_under', interleave_probs: '0.5,x'})).toContain('error:probs_parse')
    expect(rules({dataset: 'a,b', mix_strategy: 'interleave_under', interleave_probs: [0.5, 0.5], streaming: true, max_steps: 100})).toEqual([])
  })
  it('probabilities must sum to 1 within numpy\'s tolerance, but only when more than one dataset is interleaved', () => {
    const two = {dataset: 'a,b', mix_strategy: 'interleave_over', streaming: true, max_steps: 10}
    expect(rules({...two, interleave_probs: '0.6,0.3'})).toContain('error:probs_sum')
    expect(rules({...two, interleave_probs: '0.1,0.9'})).toEqual([])
    expect(rules({...two, dataset: 'a,b,c', interleave_probs: '0.1,0.2,0.7'})).toEqual([])
    expect(rules({dataset: 'a', mix_strategy: 'interleave_over', interleave_probs: '0.5', streaming: true, max_steps: 10})).toEqual([])
  })
  it('streaming: integer val_size, no max_samples, max_steps required', () => {
    expect(rules({streaming: true, val_size: 0.1})).toEqual(expect.arrayContaining(['error:streaming_val_size', 'error:streaming_max_steps']))
    expect(rules({streaming: true, max_samples: 10, max_steps: 5})).toContain('error:streaming_max_samples')
  })
  it('mask_history with train_on_prompt; either flag, neat_packing or predict_with_generate outside SFT', () => {
    expect(rules({mask_history: true, train_on_prompt: true})).toContain('error:mask_history_train_on_prompt')
    expect(rules({stage: 'dpo', train_on_prompt: true})).toContain('error:prompt_flags_stage')
    expect(rules({stage: 'rm', neat_packing: true})).toContain('error:neat_packing_stage')
    expect(rules({stage: 'kto', predict_with_generate: true, val_size: 0.1})).toContain('error:predict_with_generate_stage')
  })
  it('get_train_args: do_predict needs predict_with_generate in SFT; PPO needs do_train; rm/ppo reject load_best_model_at_end', () => {
    expect(rules({do_predict: true, val_size: 0.1})).toContain('error:predict_without_generate')
    expect(rules({stage: 'ppo', do_train: false})).toContain('error:ppo_without_train')
    expect(rules({stage: 'rm', load_best_model_at_end: true})).toContain('error:load_best_stage')
  })
  it('training needs a dataset; evaluation needs eval_dataset or val_size (eval_strategy implies do_eval)', () => {
    expect(checkDataArgs({do_train: true, template: 'qwen'}).map((p) => p.rule)).toContain('no_dataset')
    expect(rules({eval_strategy: 'steps'})).toContain('error:eval_without_data')
    expect(rules({eval_strategy: 'steps', val_size: 0.1})).toEqual([])
    expect(rules({eval_strategy: 'no'})).toEqual([])
  })
  it('template: unknown name, unset (LF parses the tokenizer\'s chat template: fine), train_on_prompt with an efficient_eos template', () => {
    expect(checkDataArgs({...base, template: 'qwen2'})).toContainEqual({rule: 'template', severity: 'error', key: 'template', message: 'Template qwen2 does not exist.'})
    expect(rules({template: undefined})).toEqual([])
    expect(rules({template: 'glm4', train_on_prompt: true})).toContain('error:train_on_prompt_template')
    expect(rules({template: 'qwen', train_on_prompt: true})).toEqual([])
  })
  it('tool_format must be one of tool_utils.TOOLS; stage one of the six', () => {
    expect(rules({tool_format: 'hermes'})).toContain('error:tool_format')
    expect(rules({tool_format: 'qwen'})).toEqual([])
    expect(rules({stage: 'orpo'})).toContain('error:stage')
  })
  it('mix_strategy unknown: an error when datasets are mixed, a warning with one dataset (merge_dataset never runs)', () => {
    expect(rules({dataset: 'a,b', mix_strategy: 'interleave'})).toContain('error:mix_strategy')
    expect(rules({mix_strategy: 'interleave'})).toEqual(['warning:mix_strategy'])
  })
  it('merge_dataset warnings: interleave without streaming, concat with streaming', () => {
    expect(rules({dataset: 'a,b', mix_strategy: 'interleave_under'})).toEqual(['warning:interleave_non_streaming'])
    expect(rules({dataset: 'a,b', streaming: true, max_steps: 10})).toEqual(['warning:concat_streaming'])
  })
  it('argument types: a string where LF compares numbers or tests truthiness', () => {
    expect(rules({cutoff_len: '2048'})).toContain('error:arg_type')
    expect(rules({streaming: 'false'})).toContain('error:arg_type')
    expect(rules({val_size: '0.1'})).toContain('error:arg_type')
  })
  it('val_size against the row count (train_test_split), with max_samples applied per dataset', () => {
    expect(rules({val_size: 0.1}, {datasetSizes: {a: 1}})).toContain('error:val_size_rows')
    expect(rules({val_size: 0.1}, {datasetSizes: {a: 100}})).toEqual([])
    expect(rules({val_size: 200}, {datasetSizes: {a: 100}})).toContain('error:val_size_rows')
    expect(rules({val_size: 50, max_samples: 40}, {datasetSizes: {a: 100}})).toEqual(expect.arrayContaining(['error:val_size_rows', 'warning:max_samples_truncates']))
  })
  it('val_size 1 is one row when written 1, and 100% (an error) when written 1.0; the text decides', () => {
    expect(rules({val_size: 1})).toEqual([])
    expect(rules({val_size: 1}, {valSizeText: '1'})).toEqual([])
    expect(rules({val_size: 1}, {valSizeText: '1.0'})).toEqual(['error:val_size_fraction_one'])
  })
  it('tokenized_path: an existing one overrides the data; a new one cannot be written while streaming', () => {
    expect(rules({tokenized_path: 'tok'}, {tokenizedPathExists: true})).toEqual(['warning:tokenized_path_used'])
    expect(rules({tokenized_path: 'tok', streaming: true, max_steps: 10}, {tokenizedPathExists: false})).toContain('error:tokenized_path_streaming')
  })
})
