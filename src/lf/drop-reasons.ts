/**
 * Why LLaMA-Factory does not train on a record, by stable code. convert's rejects, stats' `dropped` counts
 * and check's diagnostics all use these codes. `effect` is what LF usually does: `skip` = it drops the
 * example with a warning (training silently uses fewer examples); `crash` = it raises and the run stops.
 * The verdict of one record says which applied (a converter skip is a crash for `pt`, for instance).
 */
export const LF_REASONS = {
  // Converter skips (converter.py: "Skipping this abnormal example").
  invalid_role_order: {effect: 'skip', text: 'turns are not user/assistant alternating (LF: "Invalid role tag", example skipped)'},
  invalid_message_count: {effect: 'skip', text: 'wrong number of turns: SFT needs an even count, ranking an odd one (LF: "Invalid message count")'},
  // Processor drops (processor/*.py: "Dropped invalid example").
  non_string_response: {effect: 'skip', text: 'the response is not a string (or is missing), so LF has nothing to train on ("Dropped invalid example")'},
  multiple_responses: {effect: 'skip', text: 'SFT needs exactly one response; a KTO-tagged or ranking record has two ("Dropped invalid example")'},
  invalid_prompt_length: {effect: 'skip', text: 'the prompt does not end on a user turn ("Dropped invalid example")'},
  missing_pair: {effect: 'skip', text: 'a ranking/KTO example without two responses ("Dropped invalid example")'},
  non_bool_kto_tag: {effect: 'skip', text: 'kto_tag is not a JSON boolean, so LF reads the row as SFT and the KTO processor drops it'},
  // Crashes.
  unknown_formatting: {effect: 'crash', text: 'formatting is not alpaca, sharegpt or openai (LF: "Dataset converter … not found")'},
  missing_column: {effect: 'crash', text: 'a column the dataset entry maps is not in the data, or was nulled by a partial columns block (LF: KeyError)'},
  non_string_prompt: {effect: 'crash', text: 'instruction or input is not a string (LF: TypeError joining the prompt)'},
  non_string_content: {effect: 'crash', text: 'a message content or system prompt is not a string (LF fails formatting it)'},
  invalid_history: {effect: 'crash', text: 'history is not a list of [prompt, response] pairs (LF fails unpacking it)'},
  invalid_message: {effect: 'crash', text: 'the messages are not a list of objects, a message lacks the role/content keys the tags name, or has a role no tag maps (LF: KeyError/TypeError)'},
  invalid_tool_json: {effect: 'crash', text: 'tools is not a JSON string of tool definitions the template can format (LF: "Invalid JSON format in tool description", or a KeyError)'},
  invalid_function_json: {effect: 'crash', text: 'a function-call turn is not JSON with name/arguments (LF: "Invalid JSON format in function message")'},
  no_text: {effect: 'crash', text: 'pre-training reads the first prompt message, and this example has none (LF: IndexError)'},
} as const

export type LfReason = keyof typeof LF_REASONS
/** The same codes under the name the brief for src/lf uses. */
export type DropReason = LfReason

export const isLfReason = (code: string): code is LfReason => Object.hasOwn(LF_REASONS, code)
