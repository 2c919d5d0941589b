import type {ChatTemplate, Slot} from '../templates/templates.js'
import type {TokenCounter} from '../tokenize/counter.js'

/**
 * What a template needs from a tokenizer that it lacks, said the way LF's fix_special_tokens acts on it. A stop
 * word (the first one becomes EOS under replace_eos) that is not already one token is added as a new special
 * token: one token in LF's ids, and so in lfdata's count (templates/encode.ts), but a new embedding to train
 * (`resize_vocab: true`). A token slot naming a token the vocabulary lacks becomes the unknown token's id.
 * "Has" means encodes to exactly one token, the same test the count applies.
 */
export function missingTemplateTokens(template: ChatTemplate, counter: TokenCounter): string[] {
  const has = (token: string) => counter.count(token) === 1
  const warnings: string[] = []
  const added = template.stopWords.filter((w) => !has(w))
  if (added.length > 0) {
    warnings.push(`template ${template.name} needs ${added.join(', ')}, which tokenizer ${counter.name} lacks: LF adds ${added.length === 1 ? 'it as a new special token' : 'them as new special tokens'} (each counted as one token here; train with resize_vocab: true)`)
  }
  const slots: Slot[] = [...template.prefix, ...template.system, ...template.user, ...template.assistant, ...template.function.slots, ...template.observation]
  const named = [...new Set(slots.flatMap((s) => (typeof s === 'object' && 'token' in s ? [s.token] : [])))].filter((t) => !has(t))
  if (named.length > 0) warnings.push(`template ${template.name} names ${named.join(', ')}, which tokenizer ${counter.name} lacks: LF encodes ${named.length === 1 ? 'it' : 'them'} as the unknown token`)
  return warnings
}
