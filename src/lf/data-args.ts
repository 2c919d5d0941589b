/**
 * LF's data arguments: defaults, the __post_init__ rules and the cross-argument rules of hparams/parser.py
 * and template.py, as checks that return problems instead of raising. register refuses to write a YAML with
 * an error; check reports them.
 */

/** Fields of LF's argument dataclasses (hparams/*.py at the LF version lfdata targets). */
const LF_OWN_KEYS = 'adapter_folder adapter_name_or_path add_special_tokens add_tokens additional_target apollo_layerwise apollo_proj apollo_proj_type apollo_rank apollo_scale apollo_scale_front apollo_scale_type apollo_target apollo_update_interval asft_alpha audio_sampling_rate badam_mask_mode badam_mode badam_start_block badam_switch_interval badam_switch_mode badam_update_ratio badam_verbose batch_size block_diag_attn buffer_size cache_dir compute_accuracy compute_dtype create_new_adapter crop_to_patches cutoff_len data_shared_file_system dataset dataset_dir default_system device_map disable_gradient_checkpointing disable_shuffling do_sample double_quantization download_mode dpo_label_smoothing eaft_alpha early_stopping_steps enable_liger_kernel enable_thinking enable_torch_profiler eval_dataset eval_num_beams eval_on_each_dataset export_device export_dir export_hub_model_id export_legacy_format export_quantization_bit export_quantization_dataset export_quantization_maxlen export_quantization_nsamples export_size finetuning_type flash_attn fp8 fp8_backend fp8_enable_fsdp_float8_all_gather freeze_extra_modules freeze_language_model freeze_multi_modal_projector freeze_trainable_layers freeze_trainable_modules freeze_vision_tower galore_layerwise galore_proj_type galore_rank galore_scale galore_target galore_update_interval hf_hub_token hyper_parallel_args hyper_parallel_cp_size ignore_pad_token_for_loss image_do_pan_and_scan image_max_pixels image_min_pixels include_effective_tokens_per_second infer_backend infer_dtype init_special_tokens interleave_probs kt_cpu_activation kt_expert_checkpoint_path kt_lora_expert_intermediate_size kt_lora_expert_num kt_non_expert_weight_path kt_use_lora_experts kt_weight_path kto_chosen_weight kto_rejected_weight lang ld_alpha length_penalty lora_alpha lora_dropout lora_rank lora_target loraplus_lr_embedding loraplus_lr_ratio low_cpu_mem_usage mask_history master_addr master_port max_length max_new_tokens max_samples media_dir megatron_bridge_args mix_strategy mixture_of_depths model_max_length model_name_or_path model_revision module_dropout moe_aux_loss_coef ms_hub_token n_shot neat_packing new_special_tokens_config num_beams offload_folder oft_block_size oft_rank oft_target om_hub_token overwrite_cache overwrite_output_dir packing pissa_convert pissa_init pissa_iter plot_loss ppo_buffer_size ppo_epochs ppo_score_norm ppo_target ppo_whiten_rewards pref_bco_weight pref_beta pref_ftx pref_loss preprocessing_batch_size preprocessing_num_workers preserve_thinking print_param_status profile_modules profiler_active_steps profiler_output_dir profiler_profile_memory profiler_record_shapes profiler_repeat profiler_wait_steps profiler_warmup_steps profiler_with_stack pure_bf16 quantization_bit quantization_device_map quantization_method quantization_type ray_init_kwargs ray_num_workers ref_model ref_model_adapters ref_model_quantization_bit repetition_penalty resize_vocab reward_model reward_model_adapters reward_model_quantization_bit reward_model_type rope_scaling save_dir seed sglang_config sglang_lora_backend sglang_maxlen sglang_mem_fraction sglang_tp_size shift_attn simpo_gamma skip_special_tokens split_special_tokens stage streaming swanlab_api_key swanlab_lark_secret swanlab_lark_webhook_url swanlab_logdir swanlab_mode swanlab_project swanlab_run_name swanlab_workspace task task_dir temperature template tokenized_path tool_format top_k top_p train_from_scratch train_on_prompt trust_remote_code upcast_layernorm upcast_lmhead_output use_adam_mini use_apollo use_asft_loss use_audio_in_video use_badam use_dft_loss use_dora use_eaft_loss use_fast_tokenizer use_galore use_hyper_parallel use_kt use_kv_cache use_llama_pro use_mca use_megatron_bridge use_muon use_reentrant_gc use_rslora use_swanlab use_unsloth use_unsloth_gc use_v1_kernels val_size video_fps video_max_pixels video_maxlen video_min_pixels vllm_config vllm_enforce_eager vllm_gpu_util vllm_max_lora_rank vllm_maxlen '.trim().split(' ')

/** transformers' Seq2SeqTrainingArguments fields that LF configs use. */
const HF_TRAINING_KEYS = (
  'output_dir overwrite_output_dir do_train do_eval do_predict eval_strategy evaluation_strategy prediction_loss_only ' +
  'per_device_train_batch_size per_device_eval_batch_size gradient_accumulation_steps eval_accumulation_steps eval_delay ' +
  'learning_rate weight_decay adam_beta1 adam_beta2 adam_epsilon max_grad_norm num_train_epochs max_steps lr_scheduler_type ' +
  'lr_scheduler_kwargs warmup_ratio warmup_steps log_level logging_dir logging_strategy logging_first_step logging_steps ' +
  'logging_nan_inf_filter save_strategy save_steps save_total_limit save_safetensors save_on_each_node save_only_model seed ' +
  'data_seed bf16 fp16 tf32 local_rank ddp_backend dataloader_drop_last eval_steps dataloader_num_workers dataloader_prefetch_factor ' +
  'dataloader_persistent_workers dataloader_pin_memory run_name disable_tqdm remove_unused_columns label_names load_best_model_at_end ' +
  'metric_for_best_model greater_is_better ignore_data_skip fsdp fsdp_config deepspeed label_smoothing_factor optim optim_args ' +
  'group_by_length length_column_name report_to ddp_find_unused_parameters ddp_timeout push_to_hub hub_model_id hub_token hub_strategy ' +
  'hub_private_repo gradient_checkpointing gradient_checkpointing_kwargs resume_from_checkpoint include_num_input_tokens_seen ' +
  'neftune_noise_alpha torch_compile torch_compile_backend torch_compile_mode predict_with_generate generation_max_length ' +
  'generation_num_beams generation_config sortish_sampler full_determinism use_cpu accelerator_config average_tokens_across_devices ' +
  'eval_on_start batch_eval_metrics torch_empty_cache_steps auto_find_batch_size skip_memory_metrics include_tokens_per_second ' +
  'use_liger_kernel restore_callback_states_from_checkpoint bf16_full_eval fp16_full_eval jit_mode_eval past_index ' +
  'ray_run_name ray_storage_path ray_storage_filesystem ray_num_workers resources_per_worker placement_strategy ray_init_kwargs'
).split(' ')

/** Every key LF's HfArgumentParser accepts in a train YAML. */
export const LF_ARG_KEYS: ReadonlySet<string> = new Set([...LF_OWN_KEYS, ...HF_TRAINING_KEYS])

/** Every template name LF registers (data/template.py). */
export const LF_TEMPLATE_NAMES: readonly string[] = 'alpaca bailing bailing_v2 breeze chatglm3 chatml chatml_de cohere cpm4 dbrx deepseek deepseek3 deepseekr1 hy3 deepseekcoder default dots_ocr empty ernie ernie_nothink ernie_vl exaone falcon falcon_h1 fewshot gemma gemma2 gemma3 gemma3n gemma4 gemma4n glm4 glm4_moe glm4v glm4_5v glm_ocr glm4_7 glmz1 gpt_oss granite3 granite3_vision granite4 index hunyuan hunyuan_small hy_dense_1_8b hy_dense_7b intern2 intern_vl intern_s1 keye_vl kimi_vl lfm2 lfm2_vl llama2 llama2_zh llama3 llama4 mllama moonlight moss_vl llava llava_next llava_next_llama3 llava_next_mistral llava_next_qwen llava_next_yi llava_next_video llava_next_video_mistral llava_next_video_yi mimo mimo_v2 mimo_vl minicpm_v minicpm_v_4_6 minicpm_o minimax1 minimax2 ministral mistral mistral_small ministral3 olmo openchat openchat-3.6 opencoder paligemma paligemma_chat phi phi_small phi4 phi4_mini pixtral qwen qwen3 qwen3_nothink qwen2_audio qwen2_omni qwen3_omni qwen3_omni_nothink qwen2_vl qwen3_vl qwen3_vl_nothink qwen3_5 qwen3_5_nothink qwen3_6 sailor seed_coder seed_oss smollm smollm2 solar starchat telechat2 vicuna video_llava xuanyuan yi yi_vl youtu youtu_vl yuan zephyr '.trim().split(' ')

export const MIX_STRATEGIES = ['concat', 'interleave_under', 'interleave_over', 'interleave_once'] as const
export type MixStrategy = (typeof MIX_STRATEGIES)[number]

/** HF datasets' stopping strategy for each LF mix strategy. */
export const STOPPING: Record<MixStrategy, string | null> = {
  concat: null,
  interleave_under: 'first_exhausted',
  interleave_over: 'all_exhausted',
  interleave_once: 'all_exhausted_without_replacement',
}

export interface ArgProblem {
  rule: string
  severity: 'error' | 'warning'
  key: string
  message: string
}

const names = (v: unknown): string[] | undefined =>
  v === undefined || v === null ? undefined : Array.isArray(v) ? v.map(String) : String(v).split(',').map((s) => s.trim()).filter(Boolean)

const num = (v: unknown, fallback: number): number => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : fallback)

/** The data-args rules for a train config (the YAML's key → value map). */
export function checkDataArgs(args: Record<string, unknown>): ArgProblem[] {
  const out: ArgProblem[] = []
  const err = (rule: string, key: string, message: string) => out.push({rule, severity: 'error', key, message})
  const warn = (rule: string, key: string, message: string) => out.push({rule, severity: 'warning', key, message})
  const dataset = names(args.dataset)
  const evalDataset = names(args.eval_dataset)
  const valSize = num(args.val_size, 0)
  const stage = String(args.stage ?? 'sft')
  const streaming = args.streaming === true
  const mix = args.mix_strategy === undefined ? 'concat' : String(args.mix_strategy)

  if (!(MIX_STRATEGIES as readonly string[]).includes(mix)) err('mix_strategy', 'mix_strategy', `Unknown mixing strategy: ${mix} (one of ${MIX_STRATEGIES.join(', ')})`)
  if (dataset === undefined && valSize > 1e-6) err('val_size_no_dataset', 'val_size', 'Cannot specify `val_size` if `dataset` is None.')
  if (evalDataset !== undefined && valSize > 1e-6) err('val_size_with_eval', 'val_size', 'Cannot specify `val_size` if `eval_dataset` is not None.')
  if (args.interleave_probs !== undefined && args.interleave_probs !== null) {
    const probs = names(args.interleave_probs)!.map(Number)
    if (mix === 'concat') err('probs_concat', 'interleave_probs', '`interleave_probs` is only valid for interleaved mixing.')
    if (probs.some((p) => Number.isNaN(p) || p < 0 || p > 1)) err('probs_range', 'interleave_probs', 'every interleave probability must be a number in [0, 1]')
    if (dataset && dataset.length !== probs.length) err('probs_count', 'interleave_probs', 'The length of dataset and interleave probs should be identical.')
    if (evalDataset && evalDataset.length !== probs.length) err('probs_eval_count', 'interleave_probs', 'The length of eval dataset and interleave probs should be identical.')
    const sum = probs.reduce((a, b) => a + b, 0)
    if (Math.abs(sum - 1) > 1e-6) err('probs_sum', 'interleave_probs', `interleave probabilities sum to ${sum}, not 1 (numpy: probabilities do not sum to 1)`)
  }
  if (streaming && valSize > 1e-6 && valSize < 1) err('streaming_val_size', 'val_size', 'Streaming mode should have an integer val size.')
  if (streaming && args.max_samples !== undefined && args.max_samples !== null) err('streaming_max_samples', 'max_samples', '`max_samples` is incompatible with `streaming`.')
  if (streaming && num(args.max_steps, -1) === -1) err('streaming_max_steps', 'max_steps', 'Please specify `max_steps` in streaming mode.')
  if (args.mask_history === true && args.train_on_prompt === true) err('mask_history_train_on_prompt', 'mask_history', '`mask_history` is incompatible with `train_on_prompt`.')
  if (stage !== 'sft' && args.neat_packing === true) err('neat_packing_stage', 'neat_packing', '`neat_packing` cannot be set as True except SFT.')
  if (stage !== 'sft' && (args.train_on_prompt === true || args.mask_history === true)) err('prompt_flags_stage', 'train_on_prompt', '`train_on_prompt` or `mask_history` cannot be set as True except SFT.')
  if (args.do_train === true && dataset === undefined) err('no_dataset', 'dataset', 'Please specify dataset for training.')
  const evalWanted = args.do_eval === true || args.do_predict === true || args.predict_with_generate === true || (args.eval_strategy !== undefined && args.eval_strategy !== 'no')
  if (evalWanted && evalDataset === undefined && valSize < 1e-6) err('eval_without_data', 'val_size', 'Please make sure eval_dataset be provided or val_size >1e-6')
  if (mix !== 'concat' && !streaming && dataset && dataset.length > 1) warn('interleave_non_streaming', 'mix_strategy', 'LF recommends mix_strategy=concat in non-streaming mode')
  if (mix === 'concat' && streaming && dataset && dataset.length > 1) warn('concat_streaming', 'mix_strategy', 'The samples between different datasets will not be mixed in streaming mode.')
  if (args.template !== undefined && !LF_TEMPLATE_NAMES.includes(String(args.template))) err('template', 'template', `Template ${String(args.template)} does not exist.`)
  return out
}
