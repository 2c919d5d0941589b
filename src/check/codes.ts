import type {LfReason} from '../lf/drop-reasons.js'

/**
 * Every diagnostic lfdata check can emit: a stable code, its severity, a title and the fix. The README lists
 * this table; tests and CI scripts match on the codes, so a code is never reused or renumbered.
 *
 * Severity policy: `error` = LF fails, or silently trains on less or different data than the files hold
 * (skipped examples, nulled columns); `warning` = LF trains, but probably not as intended; `info` = context.
 */
export type Severity = 'error' | 'warning' | 'info'

export interface CodeInfo {
  severity: Severity
  title: string
  fix: string
}

export const CODES = {
  // Train YAML (--config)
  LF101: {severity: 'error', title: 'train YAML does not parse', fix: 'fix the YAML syntax at the reported line'},
  LF102: {severity: 'error', title: 'key unknown to LLaMA-Factory ("Some keys are not used by the HfArgumentParser")', fix: 'remove or rename the key'},
  LF103: {severity: 'error', title: 'template does not exist ("Template … does not exist")', fix: 'use a template name from LF\'s data/template.py'},
  LF104: {severity: 'error', title: 'data arguments LLaMA-Factory rejects', fix: 'change or remove the key on the reported line so the rule in the message holds (lfdata register writes configs that pass)'},
  LF105: {severity: 'warning', title: 'mix_strategy LLaMA-Factory ignores or does not mix as written', fix: 'set mix_strategy to concat, interleave_under, interleave_over or interleave_once; with streaming: true use an interleave_* strategy to mix the datasets'},
  LF106: {severity: 'warning', title: 'max_samples keeps only the first N rows of each dataset', fix: 'remove max_samples to train on every row (num_samples in dataset_info.json samples at random)'},
  LF107: {severity: 'warning', title: 'tokenized_path holds data: LF loads it and ignores the data files and data arguments', fix: 'delete the tokenized_path folder after changing the data'},
  LF108: {severity: 'info', title: 'where dataset_dir resolves', fix: 'launch llamafactory-cli from the directory named in the message, or make dataset_dir (and media_dir) absolute'},
  LF109: {severity: 'warning', title: 'reasoning template on data without thought blocks: LF adds an empty one to every response', fix: 'use the _nothink variant (e.g. qwen3_nothink) unless you train a reasoning model'},
  LF110: {severity: 'error', title: 'media in the data but the template has no slot for it ("This model does not support image input")', fix: 'use the multimodal template of the model (e.g. qwen2_vl)'},
  LF111: {severity: 'warning', title: 'dataset listed twice: LF keys datasets by name and loads it once', fix: 'list each dataset once; use num_samples in dataset_info.json to oversample'},
  LF112: {severity: 'info', title: 'interleaved mixing outside streaming mode: LF logs "We recommend using mix_strategy=concat"', fix: 'keep it to sample the datasets in the interleave_probs proportions; set mix_strategy: concat to train on every example exactly once'},
  LF113: {severity: 'info', title: 'no template set: LF parses the tokenizer\'s chat_template, or uses the empty template', fix: 'set `template` to the LF template of the model family for the layout it was trained with'},
  // dataset_info.json
  LF201: {severity: 'error', title: 'dataset_info.json not found ("Cannot open … dataset_info.json")', fix: 'point --dataset-dir (or dataset_dir) at the folder holding dataset_info.json'},
  LF202: {severity: 'error', title: 'dataset_info.json is not valid JSON', fix: 'fix the JSON at the reported line and column (no trailing commas or comments)'},
  LF203: {severity: 'error', title: 'dataset_info.json entry does not match the schema', fix: 'give the key named in the message a value of the type it names (lfdata register writes valid entries)'},
  LF204: {severity: 'warning', title: 'unknown key in a dataset_info.json entry (LF ignores it silently)', fix: 'remove it, or use the key LF reads (num_samples, not max_samples)'},
  LF205: {severity: 'error', title: 'partial columns block: a column the data uses is nulled', fix: 'list every column the data uses in "columns" (lfdata register writes complete blocks)'},
  LF206: {severity: 'error', title: 'partial tags block: a role the data uses is nulled', fix: 'list all seven tags in "tags" (system_tag, observation_tag, function_tag included)'},
  LF207: {severity: 'error', title: 'dataset is not registered ("Undefined dataset … in dataset_info.json")', fix: 'register it (lfdata register) or fix the name'},
  LF208: {severity: 'error', title: 'ranking does not match the stage ("The dataset is not applicable in the current training stage")', fix: 'ranking: true for rm/dpo (and orpo/simpo), false for every other stage'},
  LF209: {severity: 'error', title: 'conversation data without formatting: sharegpt (read as alpaca, every example dropped)', fix: 'add "formatting": "sharegpt" and the tags the data uses'},
  LF210: {severity: 'info', title: 'hub, script or cloud dataset: not checked offline', fix: 'download it, register the local copy (lfdata register FILE --name NAME) and check that'},
  LF211: {severity: 'error', title: 'unknown key inside columns or tags: LF ignores it and the key you meant stays null', fix: 'rename the key to the one the message suggests (the keys LF reads are listed with it)'},
  LF212: {severity: 'warning', title: 'formatting openai appends "detailed thinking off" to the system prompt of examples without tools', fix: 'use formatting sharegpt with role/content tags for OpenAI-style data'},
  LF213: {severity: 'warning', title: 'dataset defined twice in dataset_info.json: LF uses the last definition', fix: 'keep one entry per name'},
  // Files
  LF301: {severity: 'error', title: 'data file not found ("File … not found")', fix: 'fix file_name (relative to dataset_dir)'},
  LF302: {severity: 'error', title: 'file type LF does not load ("Allowed file types: arrow,csv,json,jsonl,parquet,txt")', fix: 'convert it with lfdata convert'},
  LF303: {severity: 'error', title: 'folder breaks LF\'s folder rules ("File types should be identical")', fix: 'keep only data files of one type in the folder (no README, dotfiles, sub-folders or manifests)'},
  LF304: {severity: 'error', title: 'file has no records', fix: 'remove the entry or fill the file'},
  LF305: {severity: 'error', title: 'file is not valid UTF-8 (LF: UnicodeDecodeError)', fix: 'convert with lfdata convert --encoding gb18030 (or the real encoding)'},
  LF306: {severity: 'error', title: 'file is not readable as its type (malformed JSON/CSV, wrong top-level shape)', fix: 'fix the file at the reported line'},
  LF307: {severity: 'error', title: '.txt file holds JSON: LF reads it as plain text lines', fix: 'rename it to .json/.jsonl'},
  LF308: {severity: 'error', title: 'mapped column missing from the file (LF: KeyError)', fix: 'fix "columns" to name columns the file has'},
  LF309: {severity: 'warning', title: 'file starts with a UTF-8 BOM (HF datasets reads plain utf-8)', fix: 'rewrite it without the BOM (lfdata convert does)'},
  LF310: {severity: 'error', title: 'files of a folder dataset have different columns (datasets: "All the data files must have the same columns")', fix: 'give every file the same columns'},
  LF311: {severity: 'warning', title: 'data file lies outside the dataset dir (absolute file_name, "..", or a symlink out)', fix: 'move or copy the file into the dataset dir (lfdata register --copy), or keep it if you meant it'},
  // Records
  LF401: {severity: 'error', title: 'examples LF skips: wrong role order ("Invalid role tag")', fix: 'run lfdata convert --fix-roles, which repairs most of them; reorder the rest to alternate user and assistant turns'},
  LF402: {severity: 'error', title: 'examples LF skips: wrong message count ("Invalid message count")', fix: 'end SFT conversations on an assistant turn (ranking data: on a user turn)'},
  LF403: {severity: 'error', title: 'examples LF drops: response missing or not a string ("Dropped invalid example")', fix: 'make the response a non-empty string'},
  LF404: {severity: 'error', title: 'examples LF drops: prompt does not end on a user turn', fix: 'fix the turn order'},
  LF405: {severity: 'error', title: 'examples LF drops: ranking/KTO example without two responses', fix: 'give chosen and rejected (or a boolean kto_tag) in the right types'},
  LF410: {severity: 'error', title: 'record makes LF crash: a mapped column is null or absent (KeyError)', fix: 'fix the columns mapping or the record'},
  LF411: {severity: 'error', title: 'record makes LF crash: instruction/input not a string (TypeError)', fix: 'make them strings (lfdata convert does)'},
  LF412: {severity: 'error', title: 'record makes LF crash: message content or system not a string', fix: 'make every content a string'},
  LF413: {severity: 'error', title: 'record makes LF crash: history is not [prompt, response] pairs', fix: 'fix the history list'},
  LF414: {severity: 'error', title: 'record makes LF crash: message lacks the role/content keys or has a role no tag maps', fix: 'fix tags.role_tag/content_tag/*_tag to match the data'},
  LF415: {severity: 'error', title: 'tools is not a JSON string ("Invalid JSON format in tool description")', fix: 'use "" or "[]" for no tools, otherwise a JSON-encoded list of tools, each with a name and parameters.properties'},
  LF416: {severity: 'error', title: 'function-call turn is not JSON with name/arguments ("Invalid JSON format in function message")', fix: 'write function turns as {"name": …, "arguments": …}'},
  LF417: {severity: 'error', title: 'pre-training example without text: LF reads the first prompt message and crashes (IndexError)', fix: 'drop empty records, or map columns.prompt to the text column'},
  LF420: {severity: 'error', title: 'no example survives ("Cannot find valid samples")', fix: 'fix the errors reported for this dataset above (each names why its examples are dropped), or run lfdata convert on the source data'},
  LF421: {severity: 'error', title: 'a field changes type between rows (pyarrow: "changed from … to …", or a failed cast)', fix: 'give the field one type in every row (lfdata convert does)'},
  LF422: {severity: 'warning', title: 'empty prompt or response: LF trains on it anyway', fix: 'drop them (lfdata convert does by default)'},
  LF423: {severity: 'warning', title: 'exact duplicate examples: LF trains on each copy', fix: 'deduplicate (lfdata convert does by default)'},
  LF424: {severity: 'warning', title: 'CSV cell pandas reads as null (NA, N/A, None, null, nan, …): its text is lost', fix: 'convert the CSV to JSONL with lfdata convert, which keeps such cells as text'},
  LF425: {severity: 'error', title: 'CSV text column holds only numbers: pandas reads numbers, so LF drops the examples or crashes', fix: 'convert the CSV to JSONL with lfdata convert, which writes strings'},
  LF426: {severity: 'error', title: 'media count differs from the <image>/<video>/<audio> placeholders ("The number of images does not match")', fix: 'put one placeholder per media file in the messages'},
  LF427: {severity: 'error', title: 'media file not found in media_dir nor at its own path (LF: FileNotFoundError)', fix: 'fix the path, or set media_dir to the folder the paths are relative to'},
  LF428: {severity: 'error', title: 'kto_tag is not a JSON boolean: LF reads the row as SFT and the KTO processor drops it', fix: 'write true/false, not "true" or 0/1'},
  LF429: {severity: 'warning', title: 'KTO data has only one label ("Your dataset only has one preference type")', fix: 'include both desirable and undesirable examples'},
  LF430: {severity: 'warning', title: 'chosen equals rejected', fix: 'remove pairs that teach nothing'},
  LF418: {severity: 'error', title: 'record makes LF crash while the template renders it (tool or function-call formatting, unexpected role)', fix: 'fix the record as the Python exception in the detail says, or drop it'},
  LF431: {severity: 'info', title: 'the exact-duplicate check stopped at its memory bound', fix: 'run lfdata convert --dedup exact, which compares every record'},
  LF432: {severity: 'error', title: 'string holds a lone UTF-16 surrogate (a "\\ud800"-style escape with no partner): it has no UTF-8 form and LF\'s loader fails on it', fix: 'repair or drop the record (lfdata convert drops it as lone_surrogate)'},
  // Tokens (--tokenizer)
  LF501: {severity: 'warning', title: 'examples longer than cutoff_len are truncated (with packing: cutoff_len - 1)', fix: 'raise cutoff_len (lfdata stats suggests one) or drop long examples'},
  LF503: {severity: 'error', title: 'pre-training text too short to fill one block ("Cannot find sufficient samples")', fix: 'add data or lower cutoff_len'},
  LF504: {severity: 'info', title: 'pre-training packing: blocks produced and tokens lost at batch tails (LF packs each preprocessing batch on its own and drops its remainder)', fix: 'raise preprocessing_batch_size to lose fewer tokens at batch tails'},
  LF505: {severity: 'info', title: 'examples with media are not measured: their token count depends on the model\'s image processor', fix: 'check their length with LF itself (llamafactory-cli train with a small max_samples)'},
} as const satisfies Record<string, CodeInfo>

export type Code = keyof typeof CODES

/** The code of each reason LF drops or crashes on a record (src/lf/drop-reasons.ts). */
export const REASON_CODE: Record<LfReason, Code> = {
  invalid_role_order: 'LF401', invalid_message_count: 'LF402', non_string_response: 'LF403', invalid_prompt_length: 'LF404',
  missing_pair: 'LF405', missing_column: 'LF410', non_string_prompt: 'LF411', non_string_content: 'LF412', invalid_history: 'LF413',
  invalid_message: 'LF414', invalid_tool_json: 'LF415', invalid_function_json: 'LF416',
  multiple_responses: 'LF403', non_bool_kto_tag: 'LF428', unknown_formatting: 'LF203', no_text: 'LF417',
}
