/**
 * What LLaMA-Factory does with a record it cannot use, by stable code. `skip` = LF drops it with a warning
 * (training silently uses fewer examples); `crash` = LF raises and the whole run stops.
 */
export const LF_REASONS = {
  invalid_role_order: {effect: 'skip', text: 'turns are not user/assistant alternating (LF: "Invalid role tag", example skipped)'},
  invalid_message_count: {effect: 'skip', text: 'wrong number of turns: SFT needs an even count, ranking an odd one (LF: "Invalid message count")'},
  non_string_response: {effect: 'skip', text: 'the response is not a string (or is missing), so LF has nothing to train on ("Dropped invalid example")'},
  invalid_prompt_length: {effect: 'skip', text: 'the prompt does not end on a user turn ("Dropped invalid example")'},
  missing_pair: {effect: 'skip', text: 'a ranking/KTO example without two responses ("Dropped invalid example")'},
  missing_column: {effect: 'crash', text: 'a column the dataset entry maps is not in the data (LF: KeyError)'},
  non_string_prompt: {effect: 'crash', text: 'instruction or input is not a string (LF: TypeError joining the prompt)'},
  non_string_content: {effect: 'crash', text: 'a message content or system prompt is not a string (LF fails formatting it)'},
  invalid_history: {effect: 'crash', text: 'history is not a list of [prompt, response] pairs (LF fails unpacking it)'},
  invalid_message: {effect: 'crash', text: 'a message lacks the role/content keys the tags name, or has an unmapped role (LF: KeyError)'},
  invalid_tool_json: {effect: 'crash', text: 'tools is not valid JSON (LF: "Invalid JSON format in tool description")'},
  invalid_function_json: {effect: 'crash', text: 'a function-call turn is not JSON with name/arguments (LF: "Invalid JSON format in function message")'},
} as const

export type LfReason = keyof typeof LF_REASONS
