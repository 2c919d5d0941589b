/**
 * Facts about LF's templates that decide whether a dataset trains as intended, read off the template table
 * (src/templates/table.ts): which media each template's mm_plugin has a token for (any other media makes LF
 * fail: "This model does not support image input"), which templates are reasoning templates (they add an
 * empty thought block to every response that has none), and which use efficient_eos (LF rejects
 * train_on_prompt with them).
 */
import {isReasoning, TEMPLATES} from '../templates/templates.js'

export type Media = 'image' | 'video' | 'audio'

const all = Object.values(TEMPLATES)

export const TEMPLATE_MEDIA: Readonly<Record<string, readonly Media[]>> = Object.fromEntries(
  all.filter((t) => t.mm).map((t) => [t.name, (['image', 'video', 'audio'] as const).filter((m) => `${m}_token` in t.mm!)]),
)

export const REASONING_TEMPLATES: ReadonlySet<string> = new Set(all.filter(isReasoning).map((t) => t.name))

export const EFFICIENT_EOS_TEMPLATES: ReadonlySet<string> = new Set(all.filter((t) => t.efficientEos).map((t) => t.name))

/** The media a template accepts (none for text-only templates). */
export function templateMedia(template: string): readonly Media[] {
  return TEMPLATE_MEDIA[template] ?? []
}
