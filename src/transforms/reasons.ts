/**
 * Drop reasons that are lfdata's own filters (LF's drop rules live in src/lf/drop-reasons.ts). Each code is
 * stable: it appears in `dropped`, the rejects file and the manifest.
 */
export const FILTER_REASONS = {
  empty_prompt: 'the prompt (last user turn) is empty',
  empty_response: 'the response is empty',
  empty_turn: 'a turn in the middle of the conversation is empty',
  empty_text: 'the text (pre-training data) is empty',
  too_short: 'fewer characters than --min-chars',
  too_long: 'more characters than --max-chars',
  too_many_tokens: 'more tokens than --max-tokens',
  regex_match: 'matched --drop-regex',
  duplicate: 'exact duplicate of an earlier record',
  near_duplicate: 'near-duplicate of an earlier record (--dedup near)',
  missing_field: 'a mapped column is absent or null in this record',
  non_text_value: 'a text field holds an object or array',
  invalid_messages: 'the conversation is not a list of messages',
  invalid_history: 'history is not a list of [prompt, response] pairs',
  unknown_role: 'a message role lfdata does not recognise',
  non_text_content: 'a message holds non-text content (images, audio)',
  not_alpaca: 'the conversation has tool turns, which Alpaca cannot express (use --to sharegpt)',
  invalid_kto_tag: 'kto_tag is not a boolean (true/false)',
  parse_error: 'the line or row does not parse (--on-error skip)',
  lone_surrogate: 'a text holds a lone UTF-16 surrogate (\\ud800–\\udfff escape), which LF cannot load',
} as const

export type FilterReason = keyof typeof FILTER_REASONS
