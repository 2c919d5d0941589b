import {readFileSync, writeFileSync} from 'node:fs'
import {join, resolve} from 'node:path'

import {PRESETS, presetTokenizerJson} from '../../src/tokenize/load.js'
import {tempDir} from '../io/helpers.js'

/** The tokenizer.json a preset stands for: its package's, or a temp copy with the preset's renames applied. */
export function presetTokenizerPath(name: string): string {
  const path = resolve(`node_modules/${PRESETS[name]!.pkg}/models/tokenizer.json`)
  if (!PRESETS[name]!.rename) return path
  const dir = tempDir('lfdata-preset-')
  writeFileSync(join(dir, 'tokenizer_config.json'), readFileSync(path.replace(/tokenizer\.json$/, 'tokenizer_config.json')))
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(presetTokenizerJson(name, JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>)))
  return join(dir, 'tokenizer.json')
}
