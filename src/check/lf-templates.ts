/**
 * Two facts about LF's templates (data/template.py at the LF version lfdata targets) that decide whether a
 * dataset trains as intended: which media each template's mm_plugin has a token for (any other media makes
 * LF fail: "This model does not support image input"), and which templates are reasoning templates (they add
 * an empty thought block to every response that has none), and which use efficient_eos (LF rejects
 * train_on_prompt with them).
 */
export type Media = 'image' | 'video' | 'audio'

const I: Media[] = ['image']
const IV: Media[] = ['image', 'video']
const IA: Media[] = ['image', 'audio']
const IVA: Media[] = ['image', 'video', 'audio']

export const TEMPLATE_MEDIA: Readonly<Record<string, readonly Media[]>> = {
  dots_ocr: IV, ernie_vl: IV, gemma3: I, gemma3n: IA, gemma4: IV, gemma4n: IVA, glm4v: IV, glm4_5v: IV, glm_ocr: IV,
  granite3_vision: I, intern_vl: IV, intern_s1: IV, keye_vl: IV, kimi_vl: I, lfm2_vl: I, llama4: I, mllama: I, moss_vl: IV,
  llava: I, llava_next: I, llava_next_llama3: I, llava_next_mistral: I, llava_next_qwen: I, llava_next_yi: I,
  llava_next_video: IV, llava_next_video_mistral: IV, llava_next_video_yi: IV, mimo_vl: IV, minicpm_v: IV, minicpm_v_4_6: IV,
  minicpm_o: IVA, mistral_small: I, ministral3: I, paligemma: I, paligemma_chat: I, pixtral: I, qwen2_audio: ['audio'],
  qwen2_omni: IVA, qwen3_omni: IVA, qwen3_omni_nothink: IVA, qwen2_vl: IV, qwen3_vl: IV, qwen3_vl_nothink: IV, qwen3_5: IV,
  qwen3_5_nothink: IV, qwen3_6: IV, video_llava: IV, yi_vl: I, youtu_vl: IV,
}

export const REASONING_TEMPLATES: ReadonlySet<string> = new Set([
  'deepseekr1', 'hy3', 'ernie_vl', 'gemma4', 'gemma4n', 'glm4_moe', 'glm4v', 'glm4_5v', 'glmz1', 'gpt_oss', 'keye_vl', 'kimi_vl',
  'mimo', 'mimo_v2', 'mimo_vl', 'minimax2', 'qwen3', 'qwen3_omni', 'qwen3_vl', 'qwen3_5', 'qwen3_6', 'seed_oss', 'youtu',
])

export const EFFICIENT_EOS_TEMPLATES: ReadonlySet<string> = new Set([
  'aeva', 'bailing', 'bailing_v2', 'breeze', 'chatglm3', 'dots_ocr', 'falcon', 'fewshot', 'gemma2', 'glm4', 'glm4_moe', 'glm4v',
  'glm4_5v', 'glm_ocr', 'glm4_7', 'glmz1', 'gpt_oss', 'index', 'hy_dense_1_8b', 'hy_dense_7b', 'solar', 'yi_vl',
])

/** The media a template accepts (none for text-only templates). */
export function templateMedia(template: string): readonly Media[] {
  return TEMPLATE_MEDIA[template] ?? []
}
