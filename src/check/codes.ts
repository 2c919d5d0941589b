/**
 * Every diagnostic lfdata check can emit: a stable code, its severity, a title and the fix. The README lists
 * this table; tests and CI scripts match on the codes, so codes are never reused or renumbered.
 */
export type Severity = 'error' | 'warning' | 'info'

export const CODES = {
  // Config (train YAML)
  LF101: {severity: 'error', title: 'train YAML does not parse', fix: 'fix the YAML syntax at the reported line'},
  LF102: {severity: 'error', title: 'key unknown to LLaMA-Factory ("Some keys are not used by the HfArgumentParser")', fix: 'remove or rename the key'},
  LF103: {severity: 'error', title: 'template does not exist', fix: 'use a template name from LF\'s data/template.py'},
  LF104: {severity: 'error', title: 'data arguments LLaMA-Factory rejects', fix: 'change the arguments as the message says'},
  LF105: {severity: 'warning', title: 'data-argument combination LLaMA-Factory warns about', fix: 'see the message'},
  LF106: {severity: 'warning', title: 'max_samples keeps only the first N rows of each dataset', fix: 'remove max_samples to train on all rows'},
  LF107: {severity: 'warning', title: 'tokenized_path exists: LF loads it and ignores every data argument and the data files', fix: 'delete the tokenized_path folder after changing the data'},
  LF108: {severity: 'info', title: 'where dataset_dir resolves', fix: 'LF resolves dataset_dir relative to the directory you launch it from'},
  LF109: {severity: 'warning', title: 'reasoning template on data without <think>: LF adds an empty thought block to every response', fix: 'use the _nothink template (e.g. qwen3_nothink) for a non-reasoning model'},
  // dataset_info.json
  LF201: {severity: 'error', title: 'dataset_info.json not found ("Cannot open data/dataset_info.json")', fix: 'point --dataset-dir (or dataset_dir) at the folder holding dataset_info.json'},
  LF202: {severity: 'error', title: 'dataset_info.json is not valid JSON', fix: 'fix the JSON at the reported line and column (no trailing commas or comments)'},
  LF203: {severity: 'error', title: 'dataset_info.json entry does not match the schema', fix: 'fix the key as the message says'},
  LF204: {severity: 'warning', title: 'unknown key in a dataset_info.json entry (LF ignores it silently)', fix: 'remove it, or use the key LF reads (e.g. num_samples, not max_samples)'},
  LF205: {severity: 'error', title: 'partial columns block: a column the data uses is nulled', fix: 'list every column the data uses in "columns" (lfdata register writes complete blocks)'},
  LF206: {severity: 'error', title: 'partial tags block: a tag the data uses is nulled', fix: 'list all seven tags in "tags" (system_tag, observation_tag, function_tag included)'},
  LF207: {severity: 'error', title: 'dataset is not registered ("Undefined dataset … in dataset_info.json")', fix: 'register it (lfdata register) or fix the name'},
  LF208: {severity: 'error', title: 'ranking does not match the stage ("The dataset is not applicable in the current training stage")', fix: 'ranking: true for rm/dpo, false otherwise'},
  LF209: {severity: 'error', title: 'conversation data without formatting: sharegpt (read as alpaca, every row dropped)', fix: 'add "formatting": "sharegpt" and tags'},
  LF210: {severity: 'info', title: 'hub or script dataset: not checked offline', fix: 'check it on a machine that has it downloaded'},
  // Files
  LF301: {severity: 'error', title: 'data file not found ("File … not found")', fix: 'fix file_name (it is relative to dataset_dir)'},
  LF302: {severity: 'error', title: 'file type LF does not load ("Allowed file types: arrow,csv,json,jsonl,parquet,txt")', fix: 'convert it with lfdata convert'},
  LF303: {severity: 'error', title: 'folder breaks LF\'s folder rules ("File types should be identical")', fix: 'keep only data files of one type in the folder (no README, dotfiles or sub-folders)'},
  LF304: {severity: 'error', title: 'file has no records', fix: 'remove the entry or fill the file'},
  LF305: {severity: 'error', title: 'file is not valid UTF-8 (LF: UnicodeDecodeError)', fix: 'convert with lfdata convert --encoding gb18030 (or the real encoding)'},
  LF306: {severity: 'error', title: 'file is not readable as its type (malformed JSON/CSV, wrong top-level shape)', fix: 'fix the file at the reported line'},
  LF307: {severity: 'error', title: '.txt file holds JSON: LF reads it as plain text lines', fix: 'rename it to .json/.jsonl'},
  LF308: {severity: 'error', title: 'mapped column missing from the data (LF: KeyError)', fix: 'fix "columns" to name columns the file has'},
  LF309: {severity: 'warning', title: 'file starts with a UTF-8 BOM', fix: 'lfdata convert writes files without one'},
  // Records
  LF401: {severity: 'warning', title: 'examples LF skips: wrong role order ("Invalid role tag")', fix: 'lfdata convert --fix-roles repairs most of them'},
  LF402: {severity: 'warning', title: 'examples LF skips: wrong message count ("Invalid message count")', fix: 'end SFT conversations on an assistant turn (ranking: on a user turn)'},
  LF403: {severity: 'warning', title: 'examples LF drops: response missing or not a string ("Dropped invalid example")', fix: 'make the response a non-empty string'},
  LF404: {severity: 'warning', title: 'examples LF drops: prompt does not end on a user turn', fix: 'fix the turn order'},
  LF405: {severity: 'warning', title: 'ranking/KTO examples without two responses', fix: 'give chosen and rejected (or kto_tag) in the right types'},
  LF410: {severity: 'error', title: 'record makes LF crash: a mapped column is null or absent (KeyError)', fix: 'fix the columns mapping or the record'},
  LF411: {severity: 'error', title: 'record makes LF crash: instruction/input not a string (TypeError)', fix: 'make them strings (lfdata convert does)'},
  LF412: {severity: 'error', title: 'record makes LF crash: message content or system not a string', fix: 'make every content a string'},
  LF413: {severity: 'error', title: 'record makes LF crash: history is not [prompt, response] pairs', fix: 'fix the history list'},
  LF414: {severity: 'error', title: 'record makes LF crash: message lacks the role/content keys or has a role no tag maps', fix: 'fix tags.role_tag/content_tag/*_tag to match the data'},
  LF415: {severity: 'error', title: 'tools is not valid JSON ("Invalid JSON format in tool description")', fix: 'use "" or "[]" for no tools, a JSON list otherwise'},
  LF416: {severity: 'error', title: 'function-call turn is not JSON with name/arguments', fix: 'write function turns as {"name": …, "arguments": …}'},
  LF420: {severity: 'error', title: 'no example survives ("Cannot find valid samples")', fix: 'see the other diagnostics for why every example is dropped'},
  LF421: {severity: 'error', title: 'a field changes type between rows (pyarrow: "changed from … to …")', fix: 'give the field one type in every row (lfdata convert does)'},
  LF422: {severity: 'warning', title: 'empty prompt or response: LF trains on it anyway', fix: 'drop them (lfdata convert does by default)'},
  LF423: {severity: 'warning', title: 'exact duplicate records', fix: 'deduplicate (lfdata convert does by default)'},
  LF424: {severity: 'warning', title: 'CSV cell pandas reads as null (NA, N/A, None, null, nan, …): the example is dropped or its prompt emptied', fix: 'convert the CSV to JSONL with lfdata convert, which keeps them as text'},
  LF425: {severity: 'error', title: 'CSV text column holds only numbers: pandas reads numbers, LF drops or crashes', fix: 'convert the CSV to JSONL with lfdata convert, which writes strings'},
  LF426: {severity: 'error', title: 'media count differs from <image>/<video>/<audio> placeholders ("The number of images does not match")', fix: 'put one placeholder per media file in the messages'},
  LF427: {severity: 'error', title: 'media file not found under media_dir (LF: FileNotFoundError)', fix: 'fix the path or set media_dir'},
  LF428: {severity: 'warning', title: 'kto_tag is not a JSON boolean: the row is treated as SFT and dropped by KTO', fix: 'write true/false, not "true" or 0/1'},
  LF429: {severity: 'warning', title: 'KTO data has only one label ("Your dataset only has one preference type")', fix: 'include both desirable and undesirable examples'},
  LF430: {severity: 'warning', title: 'chosen equals rejected', fix: 'remove pairs that teach nothing'},
  // Tokens
  LF501: {severity: 'warning', title: 'examples longer than cutoff_len are truncated', fix: 'raise cutoff_len (lfdata stats suggests one) or drop long examples'},
  LF502: {severity: 'warning', title: 'with packing, examples longer than cutoff_len are dropped ("Dropped lengthy example")', fix: 'raise cutoff_len or shorten the examples'},
} as const satisfies Record<string, {severity: Severity; title: string; fix: string}>

export type Code = keyof typeof CODES

/** Which code a dropped/crashing record gets, by LF drop reason (src/lf/drop-reasons.ts). */
export const REASON_CODE: Record<string, Code> = {
  invalid_role_order: 'LF401', invalid_message_count: 'LF402', non_string_response: 'LF403', invalid_prompt_length: 'LF404',
  missing_pair: 'LF405', missing_column: 'LF410', non_string_prompt: 'LF411', non_string_content: 'LF412', invalid_history: 'LF413',
  invalid_message: 'LF414', invalid_tool_json: 'LF415', invalid_function_json: 'LF416',
}
