import * as hf from '@huggingface/tokenizers'

/**
 * @huggingface/tokenizers as lfdata uses it: the one module that imports the library. Its typings do not
 * resolve under NodeNext (types/index.d.ts re-exports extensionless paths), so TypeScript would see `any`;
 * the surface used is typed here. Counting also reads runtime fields the typings mark private: the package is
 * pinned to an exact version, and checkTokenizerInternals (run by test/tokenize/hf-internals.test.ts and on
 * every load) fails loudly when an upgrade changes their shape.
 */

/** The public part: full encoding (the exactness reference) and token strings (the report's token view). */
export interface HfTokenizer {
  encode(text: string, options?: {add_special_tokens?: boolean}): {ids: number[]}
  tokenize(text: string, options?: {add_special_tokens?: boolean}): string[]
}

/** The private fields counting reuses. */
export interface TokenizerInternals {
  added_tokens: {content: string; normalized: boolean}[]
  added_tokens_map: Map<string, {lstrip: boolean; rstrip: boolean}>
  normalizer: ((text: string) => string) | null
  /** Also read by raw-pieces.ts: Sequence `tokenizers`, ByteLevel/Split `pattern`, `pre_tokenize`. */
  pre_tokenizer: ((text: string, opts: {section_index: number}) => string[]) | null
  model: (pieces: string[]) => string[]
  /** tokenizer_config.json's remove_space, copied as is (undefined when the config has none). */
  remove_space: boolean | undefined
  do_lowercase_and_remove_accent: boolean
}

export type Tokenizer = HfTokenizer & TokenizerInternals
export const Tokenizer = (hf as unknown as {Tokenizer: new (json: Record<string, unknown>, config: Record<string, unknown>) => Tokenizer}).Tokenizer

const fnOrNull = (v: unknown) => v === null || typeof v === 'function'

/**
 * Throws when the library's private fields no longer look as TokenizerInternals says (an upgrade moved them):
 * counting would silently go wrong otherwise.
 */
export function checkTokenizerInternals(t: unknown): asserts t is Tokenizer {
  const o = t as Record<string, unknown>
  const added = o.added_tokens
  const problems = [
    Array.isArray(added) && added.every((a: unknown) => typeof (a as {content?: unknown}).content === 'string' && typeof (a as {normalized?: unknown}).normalized === 'boolean') ? '' : 'added_tokens is not a list of {content, normalized}',
    o.added_tokens_map instanceof Map ? '' : 'added_tokens_map is not a Map',
    fnOrNull(o.normalizer) ? '' : 'normalizer is not a function or null',
    fnOrNull(o.pre_tokenizer) ? '' : 'pre_tokenizer is not a function or null',
    typeof o.model === 'function' ? '' : 'model is not a function',
    Object.hasOwn(o, 'remove_space') && (o.remove_space === undefined || typeof o.remove_space === 'boolean') ? '' : 'remove_space is not an own boolean field',
    typeof o.do_lowercase_and_remove_accent === 'boolean' ? '' : 'do_lowercase_and_remove_accent is not a boolean',
    typeof o.encode === 'function' ? '' : 'encode is not a function',
  ].filter(Boolean)
  if (problems.length > 0) {
    throw new Error(`@huggingface/tokenizers changed the private fields lfdata's token counting reads (${problems.join('; ')}): keep the version pinned in package.json or update src/tokenize/hf-tokenizer.ts`)
  }
}
