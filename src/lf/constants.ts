import {extname, join} from 'node:path'

/** LF's FILEEXT2TYPE (extras/constants.py): file extension → HF datasets builder. */
export const FILEEXT2TYPE: Readonly<Record<string, LfFileType>> = {arrow: 'arrow', csv: 'csv', json: 'json', jsonl: 'json', parquet: 'parquet', txt: 'text'}
export type LfFileType = 'arrow' | 'csv' | 'json' | 'parquet' | 'text'
/** The extensions LF loads, in the order its "Allowed file types" message lists them. */
export const ALLOWED_FILE_EXTENSIONS: readonly string[] = Object.keys(FILEEXT2TYPE)

/** LF's DATA_CONFIG. */
export const DATA_CONFIG = 'dataset_info.json'
/** Media placeholders (LF reads IMAGE_PLACEHOLDER etc. from the environment, with these defaults). */
export const IMAGE_PLACEHOLDER = '<image>'
export const VIDEO_PLACEHOLDER = '<video>'
export const AUDIO_PLACEHOLDER = '<audio>'
/** Rows per `dataset.map(batched=True)` batch in LF's preprocessing (data_args.preprocessing_batch_size). */
export const PREPROCESSING_BATCH_SIZE = 1000

/** The builder LF picks for a file name (os.path.splitext semantics: ".env" has no extension), or null. */
export function lfFileType(name: string): LfFileType | null {
  return FILEEXT2TYPE[extname(name).slice(1)] ?? null
}

export type FolderResult =
  | {ok: true; files: string[]; type: LfFileType}
  /**
   * empty: LF fails with IndexError. not_allowed: no entry has an allowed type ("Allowed file types: …").
   * mixed: entries of different types, or stray entries (README, dotfiles, sub-folders): LF raises "File types
   * should be identical." or "Allowed file types", depending on which entry os.listdir returns first.
   */
  | {ok: false; code: 'empty' | 'not_allowed' | 'mixed'; message: string; offender?: string}

/**
 * The files LF loads for a folder `file_name`, given its os.listdir `entries` (non-recursive; dotfiles,
 * README files and sub-folders included): all of one type. LF takes the type from the first entry of an
 * unordered listing; lfdata sorts the listing and fails on any entry that breaks the one-type rule, since
 * with another order LF would. (src/io/dataset-files.ts lists the folder.)
 */
export function lfFolderRule(dir: string, entries: readonly string[]): FolderResult {
  const names = [...entries].sort()
  if (names.length === 0) return {ok: false, code: 'empty', message: 'folder is empty (LF fails with IndexError)'}
  const type = names.map(lfFileType).find((t) => t !== null)
  if (!type) {
    return {ok: false, code: 'not_allowed', message: `no file LF can load in the folder (Allowed file types: ${ALLOWED_FILE_EXTENSIONS.join(',')}.)`, offender: names[0]}
  }
  const odd = names.find((n) => lfFileType(n) !== type)
  if (odd !== undefined) {
    return {ok: false, code: 'mixed', message: `"${odd}" is not a ${type} file like the rest (LF: "File types should be identical." or "Allowed file types")`, offender: odd}
  }
  return {ok: true, files: names.map((n) => join(dir, n)), type}
}
