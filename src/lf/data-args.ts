/**
 * LF's data arguments: defaults, the DataArguments.__post_init__ rules and the cross-argument rules of
 * hparams/parser.py, template.py, data_utils.py and loader.py, as checks that return problems instead of
 * raising. register refuses to write a YAML with an error; check reports them all.
 */
import type {Stage} from './types.js'

const words = (s: string): string[] => s.trim().split(/\s+/)

/** hparams/model_args.py ModelArguments and its mixins (init=False fields excluded: the parser rejects them). */
const MODEL_KEYS = words(`
  model_name_or_path adapter_name_or_path adapter_folder cache_dir use_fast_tokenizer resize_vocab split_special_tokens
  add_tokens add_special_tokens new_special_tokens_config init_special_tokens model_revision low_cpu_mem_usage rope_scaling
  flash_attn shift_attn mixture_of_depths use_unsloth use_unsloth_gc enable_liger_kernel moe_aux_loss_coef
  disable_gradient_checkpointing use_reentrant_gc upcast_layernorm upcast_lmhead_output train_from_scratch infer_backend
  offload_folder use_kv_cache use_v1_kernels infer_dtype hf_hub_token ms_hub_token om_hub_token print_param_status
  trust_remote_code quantization_method quantization_bit quantization_type double_quantization quantization_device_map
  image_max_pixels image_min_pixels image_do_pan_and_scan crop_to_patches video_max_pixels video_min_pixels video_fps
  video_maxlen use_audio_in_video audio_sampling_rate export_dir export_size export_device export_quantization_bit
  export_quantization_dataset export_quantization_nsamples export_quantization_maxlen export_legacy_format
  export_hub_model_id vllm_maxlen vllm_gpu_util vllm_enforce_eager vllm_max_lora_rank vllm_config sglang_maxlen
  sglang_mem_fraction sglang_tp_size sglang_config sglang_lora_backend use_kt kt_cpu_activation kt_weight_path
  kt_non_expert_weight_path kt_expert_checkpoint_path kt_use_lora_experts kt_lora_expert_num kt_lora_expert_intermediate_size`)

/** hparams/data_args.py DataArguments. */
const DATA_KEYS = words(`
  template dataset eval_dataset dataset_dir media_dir cutoff_len train_on_prompt mask_history streaming buffer_size
  mix_strategy interleave_probs overwrite_cache preprocessing_batch_size preprocessing_num_workers max_samples
  eval_num_beams ignore_pad_token_for_loss val_size eval_on_each_dataset packing neat_packing tool_format default_system
  enable_thinking preserve_thinking tokenized_path data_shared_file_system`)

/** hparams/finetuning_args.py FinetuningArguments and its mixins. */
const FINETUNING_KEYS = words(`
  pure_bf16 stage finetuning_type use_llama_pro use_adam_mini use_mca use_megatron_bridge megatron_bridge_args
  use_hyper_parallel hyper_parallel_args hyper_parallel_cp_size use_muon use_dft_loss use_asft_loss asft_alpha
  use_eaft_loss eaft_alpha freeze_vision_tower freeze_multi_modal_projector freeze_language_model compute_accuracy
  disable_shuffling early_stopping_steps plot_loss include_effective_tokens_per_second
  freeze_trainable_layers freeze_trainable_modules freeze_extra_modules
  additional_target lora_alpha lora_dropout lora_rank lora_target loraplus_lr_ratio loraplus_lr_embedding use_rslora
  use_dora pissa_init pissa_iter pissa_convert create_new_adapter module_dropout oft_rank oft_block_size oft_target
  pref_beta pref_ftx pref_bco_weight pref_loss dpo_label_smoothing kto_chosen_weight kto_rejected_weight simpo_gamma
  ppo_buffer_size ppo_epochs ppo_score_norm ppo_target ppo_whiten_rewards ref_model ref_model_adapters
  ref_model_quantization_bit reward_model reward_model_adapters reward_model_quantization_bit reward_model_type ld_alpha
  use_galore galore_target galore_rank galore_update_interval galore_scale galore_proj_type galore_layerwise
  use_apollo apollo_target apollo_rank apollo_update_interval apollo_scale apollo_proj apollo_proj_type
  apollo_scale_type apollo_layerwise apollo_scale_front use_badam badam_mode badam_start_block badam_switch_mode
  badam_switch_interval badam_update_ratio badam_mask_mode badam_verbose use_swanlab swanlab_project swanlab_workspace
  swanlab_run_name swanlab_mode swanlab_api_key swanlab_logdir swanlab_lark_webhook_url swanlab_lark_secret`)

/** hparams/generating_args.py GeneratingArguments. */
const GENERATING_KEYS = words('do_sample temperature top_p top_k num_beams max_length max_new_tokens repetition_penalty length_penalty skip_special_tokens')

/** hparams/training_args.py: LF's own TrainingArguments fields (ray, profiler, fp8, overwrite_output_dir). */
const LF_TRAINING_KEYS = words(`
  overwrite_output_dir ray_num_workers ray_init_kwargs master_addr master_port enable_torch_profiler profiler_output_dir
  profiler_wait_steps profiler_warmup_steps profiler_active_steps profiler_repeat profiler_record_shapes
  profiler_profile_memory profiler_with_stack profile_modules fp8 fp8_backend fp8_enable_fsdp_float8_all_gather`)

/**
 * transformers' Seq2SeqTrainingArguments over the versions LF supports (>=4.55, <=5.8): the union, so a
 * key valid on one supported version is not flagged. `evaluation_strategy` was removed in 4.46.
 */
const HF_TRAINING_KEYS = words(`
  output_dir do_train do_eval do_predict eval_strategy prediction_loss_only per_device_train_batch_size
  per_device_eval_batch_size per_gpu_train_batch_size per_gpu_eval_batch_size gradient_accumulation_steps
  eval_accumulation_steps eval_delay torch_empty_cache_steps learning_rate weight_decay adam_beta1 adam_beta2 adam_epsilon
  max_grad_norm num_train_epochs max_steps lr_scheduler_type lr_scheduler_kwargs warmup_ratio warmup_steps log_level
  log_level_replica log_on_each_node logging_dir logging_strategy logging_first_step logging_steps logging_nan_inf_filter
  save_strategy save_steps save_total_limit save_safetensors save_on_each_node save_only_model
  restore_callback_states_from_checkpoint no_cuda use_cpu use_mps_device seed data_seed jit_mode_eval use_ipex bf16 fp16
  fp16_opt_level half_precision_backend bf16_full_eval fp16_full_eval tf32 local_rank ddp_backend tpu_num_cores
  tpu_metrics_debug debug dataloader_drop_last eval_steps dataloader_num_workers dataloader_prefetch_factor past_index
  run_name disable_tqdm remove_unused_columns label_names load_best_model_at_end metric_for_best_model greater_is_better
  ignore_data_skip fsdp fsdp_min_num_params fsdp_config fsdp_transformer_layer_cls_to_wrap accelerator_config
  parallelism_config deepspeed label_smoothing_factor optim optim_args adafactor group_by_length length_column_name
  report_to project trackio_space_id ddp_find_unused_parameters ddp_bucket_cap_mb ddp_broadcast_buffers
  dataloader_pin_memory dataloader_persistent_workers skip_memory_metrics use_legacy_prediction_loop push_to_hub
  resume_from_checkpoint hub_model_id hub_strategy hub_token hub_private_repo hub_always_push hub_revision
  gradient_checkpointing gradient_checkpointing_kwargs include_inputs_for_metrics include_for_metrics
  eval_do_concat_batches fp16_backend push_to_hub_model_id push_to_hub_organization push_to_hub_token mp_parameters
  auto_find_batch_size full_determinism torchdynamo ray_scope ddp_timeout torch_compile torch_compile_backend
  torch_compile_mode include_tokens_per_second include_num_input_tokens_seen neftune_noise_alpha optim_target_modules
  batch_eval_metrics eval_on_start use_liger_kernel liger_kernel_config eval_use_gather_object
  average_tokens_across_devices use_cache enable_jit_checkpoint train_sampling_strategy
  sortish_sampler predict_with_generate generation_max_length generation_num_beams generation_config`)

/** Every key LF's HfArgumentParser accepts in a train YAML (model, data, training, finetuning, generating args). */
export const LF_ARG_KEYS: ReadonlySet<string> = new Set([...MODEL_KEYS, ...DATA_KEYS, ...FINETUNING_KEYS, ...GENERATING_KEYS, ...LF_TRAINING_KEYS, ...HF_TRAINING_KEYS])
/** Keys only another LF mode accepts, and which: a train YAML using them fails unless launched that way. */
export const LF_MODE_ONLY_KEYS: ReadonlyMap<string, string> = new Map([
  ...words(`
    tensor_model_parallel_size pipeline_model_parallel_size expert_model_parallel_size context_parallel_size
    virtual_pipeline_model_parallel_size sequence_parallel recompute_granularity recompute_method recompute_num_layers
    account_for_embedding_in_pipeline_split account_for_loss_in_pipeline_split bias_activation_fusion apply_rope_fusion
    masked_softmax_fusion cross_entropy_loss_fusion moe_grouped_gemm moe_token_dispatcher_type calculate_per_token_loss
    use_distributed_optimizer overlap_param_gather overlap_grad_reduce use_packed_sequences mixed_precision
    megatron_pretrained_checkpoint export_hf_on_finish extra_config`).map((k) => [k, 'Megatron training (USE_MEGATRON_BRIDGE=1 or USE_MCA=1)'] as const),
  ...words('task task_dir batch_size lang n_shot save_dir download_mode').map((k) => [k, 'llamafactory-cli eval'] as const),
  ['kt_config', 'llamafactory-cli chat/api/eval with KTransformers'],
])
/** The DataArguments fields alone. */
export const LF_DATA_ARG_KEYS: ReadonlySet<string> = new Set(DATA_KEYS)

/** Every template name LF registers (data/template.py). */
export const LF_TEMPLATE_NAMES: readonly string[] = words(`
  alpaca bailing bailing_v2 breeze chatglm3 chatml chatml_de cohere cpm4 dbrx deepseek deepseek3 deepseekr1 hy3
  deepseekcoder default dots_ocr empty ernie ernie_nothink ernie_vl exaone falcon falcon_h1 fewshot gemma gemma2 gemma3
  gemma3n gemma4 gemma4n glm4 glm4_moe glm4v glm4_5v glm_ocr glm4_7 glmz1 gpt_oss granite3 granite3_vision granite4 index
  hunyuan hunyuan_small hy_dense_1_8b hy_dense_7b intern2 intern_vl intern_s1 keye_vl kimi_vl lfm2 lfm2_vl llama2
  llama2_zh llama3 llama4 mllama moonlight moss_vl llava llava_next llava_next_llama3 llava_next_mistral llava_next_qwen
  llava_next_yi llava_next_video llava_next_video_mistral llava_next_video_yi mimo mimo_v2 mimo_vl minicpm_v
  minicpm_v_4_6 minicpm_o minimax1 minimax2 ministral mistral mistral_small ministral3 olmo openchat openchat-3.6
  opencoder paligemma paligemma_chat phi phi_small phi4 phi4_mini pixtral qwen qwen3 qwen3_nothink qwen2_audio
  qwen2_omni qwen3_omni qwen3_omni_nothink qwen2_vl qwen3_vl qwen3_vl_nothink qwen3_5 qwen3_5_nothink qwen3_6 sailor
  seed_coder seed_oss smollm smollm2 solar starchat telechat2 vicuna video_llava xuanyuan yi yi_vl youtu youtu_vl yuan
  zephyr aeva`)

/** Templates registered with efficient_eos (LF: "Current template does not support `train_on_prompt`."). */
export const EFFICIENT_EOS_TEMPLATES: ReadonlySet<string> = new Set(words(`
  bailing bailing_v2 breeze chatglm3 dots_ocr falcon fewshot gemma2 glm4 glm4_moe glm4v glm4_5v glm_ocr glm4_7 glmz1
  gpt_oss index hy_dense_1_8b hy_dense_7b solar yi_vl aeva`))

/** data/tool_utils.py TOOLS: the valid `tool_format` values. */
export const LF_TOOL_FORMATS: readonly string[] = words('default gemma4 glm4 llama3 lfm2 minimax1 minimax2 mistral qwen qwen3_5 glm4_moe seed_oss ling')

export const LF_STAGES: readonly Stage[] = ['pt', 'sft', 'rm', 'ppo', 'dpo', 'kto']

export const MIX_STRATEGIES = ['concat', 'interleave_under', 'interleave_over', 'interleave_once'] as const
export type MixStrategy = (typeof MIX_STRATEGIES)[number]

/** HF datasets' stopping strategy for each LF mix strategy (null: concatenate_datasets). */
export const STOPPING: Record<MixStrategy, string | null> = {
  concat: null,
  interleave_under: 'first_exhausted',
  interleave_over: 'all_exhausted',
  interleave_once: 'all_exhausted_without_replacement',
}

/** The interleave_datasets stopping strategy for a mix strategy; null for concat, undefined when LF does not know it. */
export function mixStrategyToStopping(strategy: string): string | null | undefined {
  return (MIX_STRATEGIES as readonly string[]).includes(strategy) ? STOPPING[strategy as MixStrategy] : undefined
}

/** DataArguments defaults (hparams/data_args.py). */
export const DATA_ARGS_DEFAULTS = {
  template: null, dataset: null, eval_dataset: null, dataset_dir: 'data', media_dir: null, cutoff_len: 2048,
  train_on_prompt: false, mask_history: false, streaming: false, buffer_size: 16384, mix_strategy: 'concat',
  interleave_probs: null, overwrite_cache: false, preprocessing_batch_size: 1000, preprocessing_num_workers: null,
  max_samples: null, eval_num_beams: null, ignore_pad_token_for_loss: true, val_size: 0, eval_on_each_dataset: false,
  packing: null, neat_packing: false, tool_format: null, default_system: null, enable_thinking: true,
  preserve_thinking: false, tokenized_path: null, data_shared_file_system: false,
} as const

/**
 * LF reads the YAML with OmegaConf (whose floats include `1e-4`, unlike plain PyYAML) and hands the values to
 * HfArgumentParser.parse_dict, which converts nothing: `per_device_train_batch_size: 1.5` or
 * `num_train_epochs: three` reach transformers as they are and crash training later.
 */
const INT_KEYS = ['cutoff_len', 'buffer_size', 'preprocessing_batch_size', 'preprocessing_num_workers', 'max_samples', 'eval_num_beams', 'max_steps',
  'per_device_train_batch_size', 'per_device_eval_batch_size', 'gradient_accumulation_steps', 'seed', 'dataloader_num_workers', 'save_total_limit', 'lora_rank']
const FLOAT_KEYS = ['learning_rate', 'num_train_epochs', 'weight_decay', 'warmup_ratio', 'max_grad_norm', 'adam_beta1', 'adam_beta2', 'adam_epsilon', 'lora_dropout']
const BOOL_KEYS = ['train_on_prompt', 'mask_history', 'streaming', 'overwrite_cache', 'ignore_pad_token_for_loss', 'eval_on_each_dataset', 'packing', 'neat_packing', 'enable_thinking', 'preserve_thinking', 'data_shared_file_system', 'do_train', 'do_eval', 'do_predict', 'predict_with_generate']

/** DataArguments' split_arg: a string is split on "," and each item stripped (empty items stay); a list passes through. */
export function splitArg(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined
  if (typeof v === 'string') return v.split(',').map((s) => s.trim())
  return Array.isArray(v) ? v.map(String) : [String(v)]
}

/** The values LF trains with once __post_init__ and get_train_args have run. */
export interface EffectiveDataArgs {
  stage: string
  dataset?: string[]
  evalDataset?: string[]
  datasetDir: string
  mediaDir: string
  mixStrategy: string
  streaming: boolean
  valSize: number
  maxSamples?: number
  /** packing as training uses it: explicit, forced by neat_packing, else on for pt only. */
  packing: boolean
  /** cutoff_len after __post_init__: one less when packing or neat_packing is set in the config (not for pt's default packing). */
  cutoffLen: number
}

const num = (v: unknown, fallback: number): number => (typeof v === 'number' && !Number.isNaN(v) ? v : fallback)
const isSet = (v: unknown) => v !== undefined && v !== null

export function resolveDataArgs(args: Record<string, unknown>): EffectiveDataArgs {
  const datasetDir = typeof args.dataset_dir === 'string' ? args.dataset_dir : DATA_ARGS_DEFAULTS.dataset_dir
  const explicitPacking = args.neat_packing === true || args.packing === true
  const stage = typeof args.stage === 'string' ? args.stage : 'sft'
  const cutoff = num(args.cutoff_len, DATA_ARGS_DEFAULTS.cutoff_len)
  return {
    stage,
    dataset: splitArg(args.dataset),
    evalDataset: splitArg(args.eval_dataset),
    datasetDir,
    mediaDir: typeof args.media_dir === 'string' ? args.media_dir : datasetDir,
    mixStrategy: typeof args.mix_strategy === 'string' ? args.mix_strategy : 'concat',
    streaming: args.streaming === true,
    valSize: num(args.val_size, 0),
    maxSamples: typeof args.max_samples === 'number' ? args.max_samples : undefined,
    packing: explicitPacking || (args.packing === undefined || args.packing === null ? stage === 'pt' : false),
    cutoffLen: explicitPacking ? cutoff - 1 : cutoff,
  }
}

export interface ArgProblem {
  /** Stable rule id (e.g. "probs_count"); "template" is the unknown-template rule. */
  rule: string
  severity: 'error' | 'warning'
  /** The YAML key to point at. */
  key: string
  message: string
}

export interface DataArgsContext {
  /** Rows LF loads per dataset name (after num_samples), for the val_size and max_samples rules. */
  datasetSizes?: Record<string, number>
  /** Whether tokenized_path already holds a saved dataset (LF then ignores the data arguments). */
  tokenizedPathExists?: boolean
  /** val_size as written in the YAML ("1" or "1.0"), which the parsed number cannot tell apart. */
  valSizeText?: string
}

/** numpy's tolerance for probabilities summing to 1 (sqrt of float64 epsilon). */
const PROB_ATOL = Math.sqrt(2 ** -52)

/** HF train_test_split's checks, as split_dataset calls it. */
function valSizeProblem(valSize: number, rows: number): string | null {
  const test = valSize > 1 ? Math.trunc(valSize) : valSize
  const isInt = valSize > 1 || Number.isInteger(valSize)
  if ((isInt && (test >= rows || test <= 0)) || (!isInt && (test <= 0 || test >= 1))) {
    return `test_size=${test} should be either positive and smaller than the number of samples ${rows} or a float in the (0, 1) range`
  }
  const nTest = isInt ? test : Math.ceil(test * rows)
  if (rows - nTest <= 0) return `With n_samples=${rows}, test_size=${test} and train_size=None, the resulting train set will be empty. Adjust any of the aforementioned parameters.`
  return null
}

/**
 * The data-args rules for a train config (the YAML's key → value map), in LF's wording. Errors are what LF
 * raises; warnings what it logs or silently does differently than written.
 */
export function checkDataArgs(args: Record<string, unknown>, ctx: DataArgsContext = {}): ArgProblem[] {
  const out: ArgProblem[] = []
  const err = (rule: string, key: string, message: string) => out.push({rule, severity: 'error', key, message})
  const warn = (rule: string, key: string, message: string) => out.push({rule, severity: 'warning', key, message})
  const eff = resolveDataArgs(args)
  const {dataset, evalDataset, streaming, valSize, stage} = eff

  for (const key of INT_KEYS) if (isSet(args[key]) && !Number.isInteger(args[key])) err('arg_type', key, `\`${key}\` must be an integer, got ${JSON.stringify(args[key])}`)
  for (const key of FLOAT_KEYS) if (isSet(args[key]) && typeof args[key] !== 'number') err('arg_type', key, `\`${key}\` must be a number, got ${JSON.stringify(args[key])}`)
  for (const key of BOOL_KEYS) if (isSet(args[key]) && typeof args[key] !== 'boolean') err('arg_type', key, `\`${key}\` must be true or false, got ${JSON.stringify(args[key])} (a non-empty string is true in Python)`)
  if (isSet(args.val_size) && typeof args.val_size !== 'number') err('arg_type', 'val_size', `\`val_size\` must be a number, got ${JSON.stringify(args.val_size)}`)
  if (!(LF_STAGES as readonly string[]).includes(stage)) err('stage', 'stage', `Unknown task: ${stage}. (stage must be one of ${LF_STAGES.join(', ')})`)

  // DataArguments.__post_init__
  if (dataset === undefined && valSize > 1e-6) err('val_size_no_dataset', 'val_size', 'Cannot specify `val_size` if `dataset` is None.')
  if (evalDataset !== undefined && valSize > 1e-6) err('val_size_with_eval', 'val_size', 'Cannot specify `val_size` if `eval_dataset` is not None.')
  let probs: number[] | undefined
  if (isSet(args.interleave_probs)) {
    if (eff.mixStrategy === 'concat') err('probs_concat', 'interleave_probs', '`interleave_probs` is only valid for interleaved mixing.')
    else if (typeof args.interleave_probs === 'number') err('probs_parse', 'interleave_probs', "TypeError: 'float' object is not iterable (write interleave_probs as \"0.5,0.5\" or a list)")
    else {
      const items = splitArg(args.interleave_probs)!
      const bad = items.find((p) => p.trim() === '' || Number.isNaN(Number(p)))
      if (bad !== undefined) err('probs_parse', 'interleave_probs', `could not convert string to float: '${bad}'`)
      else {
        probs = items.map(Number)
        if (dataset && dataset.length !== probs.length) err('probs_count', 'interleave_probs', 'The length of dataset and interleave probs should be identical.')
        if (evalDataset && evalDataset.length !== probs.length) err('probs_eval_count', 'interleave_probs', 'The length of eval dataset and interleave probs should be identical.')
      }
    }
  }
  if (streaming && valSize > 1e-6 && valSize < 1) err('streaming_val_size', 'val_size', 'Streaming mode should have an integer val size.')
  if (streaming && isSet(args.max_samples)) err('streaming_max_samples', 'max_samples', '`max_samples` is incompatible with `streaming`.')
  if (args.mask_history === true && args.train_on_prompt === true) err('mask_history_train_on_prompt', 'mask_history', '`mask_history` is incompatible with `train_on_prompt`.')

  // hparams/parser.py get_train_args
  if (stage !== 'sft') {
    if (args.predict_with_generate === true) err('predict_with_generate_stage', 'predict_with_generate', '`predict_with_generate` cannot be set as True except SFT.')
    if (args.neat_packing === true) err('neat_packing_stage', 'neat_packing', '`neat_packing` cannot be set as True except SFT.')
    if (args.train_on_prompt === true || args.mask_history === true) err('prompt_flags_stage', args.train_on_prompt === true ? 'train_on_prompt' : 'mask_history', '`train_on_prompt` or `mask_history` cannot be set as True except SFT.')
  }
  if (stage === 'sft' && args.do_predict === true && args.predict_with_generate !== true) err('predict_without_generate', 'do_predict', 'Please enable `predict_with_generate` to save model predictions.')
  if ((stage === 'rm' || stage === 'ppo') && args.load_best_model_at_end === true) err('load_best_stage', 'load_best_model_at_end', 'RM and PPO stages do not support `load_best_model_at_end`.')
  if (stage === 'ppo' && args.do_train !== true) err('ppo_without_train', 'do_train', 'PPO training does not support evaluation, use the SFT stage to evaluate models.')
  if (streaming && num(args.max_steps, -1) === -1) err('streaming_max_steps', 'max_steps', 'Please specify `max_steps` in streaming mode.')
  if (args.do_train === true && dataset === undefined) err('no_dataset', 'dataset', 'Please specify dataset for training.')
  const doEval = args.do_eval === true || (isSet(args.eval_strategy) && args.eval_strategy !== 'no')
  if ((doEval || args.do_predict === true || args.predict_with_generate === true) && evalDataset === undefined && valSize < 1e-6) {
    err('eval_without_data', 'val_size', 'Please make sure eval_dataset be provided or val_size >1e-6')
  }

  // template.py get_template_and_fix_tokenizer, tool_utils.get_tool_utils
  if (isSet(args.template) && !LF_TEMPLATE_NAMES.includes(String(args.template))) err('template', 'template', `Template ${String(args.template)} does not exist.`)
  else if (args.train_on_prompt === true && EFFICIENT_EOS_TEMPLATES.has(String(args.template))) err('train_on_prompt_template', 'train_on_prompt', 'Current template does not support `train_on_prompt`.')
  if (isSet(args.tool_format) && !LF_TOOL_FORMATS.includes(String(args.tool_format))) err('tool_format', 'tool_format', `Tool utils \`${String(args.tool_format)}\` not found.`)

  // data_utils.merge_dataset: mixing only happens with more than one dataset.
  const mixing = Math.max(dataset?.length ?? 0, evalDataset?.length ?? 0) > 1
  if (mixStrategyToStopping(eff.mixStrategy) === undefined) {
    const message = `Unknown mixing strategy: ${eff.mixStrategy}. (one of ${MIX_STRATEGIES.join(', ')})`
    if (mixing) err('mix_strategy', 'mix_strategy', message)
    else warn('mix_strategy', 'mix_strategy', `${message}; ignored with a single dataset`)
  } else if (mixing && eff.mixStrategy !== 'concat' && !streaming) {
    warn('interleave_non_streaming', 'mix_strategy', 'We recommend using `mix_strategy=concat` in non-streaming mode.')
  } else if (mixing && eff.mixStrategy === 'concat' && streaming) {
    warn('concat_streaming', 'mix_strategy', 'The samples between different datasets will not be mixed in streaming mode.')
  }
  if (probs && mixing && eff.mixStrategy.startsWith('interleave')) {
    if (probs.some((p) => p < 0)) err('probs_negative', 'interleave_probs', 'probabilities are not non-negative (numpy, via datasets.interleave_datasets)')
    const sum = probs.reduce((a, b) => a + b, 0)
    if (Math.abs(sum - 1) > PROB_ATOL) err('probs_sum', 'interleave_probs', `probabilities do not sum to 1 (they sum to ${sum}; numpy, via datasets.interleave_datasets)`)
  }

  // data_utils.split_dataset and loader.get_dataset
  // YAML 1 and 1.0 parse to the same number; only the text says whether LF sees one row or 100%.
  if (valSize === 1 && !streaming && ctx.valSizeText !== undefined && /[.eE]/.test(ctx.valSizeText)) {
    err('val_size_fraction_one', 'val_size', 'val_size 1.0 is a fraction: test_size=1.0 should be either positive and smaller than the number of samples or a float in the (0, 1) range')
  }
  const sizes = ctx.datasetSizes
  if (sizes && dataset && !streaming && valSize > 1e-6 && eff.mixStrategy === 'concat' && dataset.every((d) => sizes[d] !== undefined)) {
    const rows = dataset.reduce((n, d) => n + Math.min(sizes[d]!, eff.maxSamples ?? Infinity), 0)
    const problem = valSizeProblem(valSize, rows)
    if (problem) err('val_size_rows', 'val_size', problem)
  }
  if (sizes && eff.maxSamples !== undefined && !streaming) {
    for (const d of [...(dataset ?? []), ...(evalDataset ?? [])]) {
      const n = sizes[d]
      if (n !== undefined && eff.maxSamples < n) warn('max_samples_truncates', 'max_samples', `max_samples keeps the first ${eff.maxSamples} of ${n} rows of ${d}`)
    }
  }
  if (isSet(args.tokenized_path)) {
    if (ctx.tokenizedPathExists) warn('tokenized_path_used', 'tokenized_path', 'Loading dataset from disk will ignore other data arguments.')
    else if (streaming && ctx.tokenizedPathExists === false) err('tokenized_path_streaming', 'streaming', 'Turn off `streaming` when saving dataset to disk.')
  }
  return out
}
