// Issue 15 item 9: a train YAML with 40,000 keys. Parsing used to compare every key with every earlier one
// (yaml's uniqueKeys; 61 s) and check computed a "did you mean" for each unknown key; both are linear now.
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {parseDocument} from 'yaml'
import {describe, expect, it} from 'vitest'

import {firstDuplicateKey} from '../../src/io/yaml-keys.js'
import {lfdata} from '../e2e.js'
import {tempDir} from '../io/helpers.js'

interface Diagnostic {
  code: string
  count: number
  line?: number
  detail?: string
}
const diagnostics = (json: unknown) => (json as {diagnostics: Diagnostic[]}).diagnostics
const KEYS = 40_000
const HEAD = ['model_name_or_path: x', 'stage: sft', 'do_train: true', 'template: qwen', 'dataset: a', 'dataset_dir: data']

function bigYaml(dir: string, extra: string[] = []): string {
  const lines = [...HEAD, ...Array.from({length: KEYS}, (_, i) => `key_${i}: ${i}`), ...extra]
  writeFileSync(join(dir, 'train.yaml'), lines.join('\n') + '\n')
  return join(dir, 'train.yaml')
}

function project(): string {
  const dir = tempDir()
  writeFileSync(join(dir, 'a.jsonl'), '{"instruction":"q","output":"a"}\n')
  return dir
}

describe(`a train YAML with ${KEYS} keys`, () => {
  it('check reports every unknown key in one group with its first lines', async () => {
    const dir = project()
    bigYaml(dir)
    await lfdata(['register', 'a.jsonl', '--name', 'a', '--dataset-dir', '.'], {cwd: dir})
    writeFileSync(join(dir, 'train.yaml'), readFileSync(join(dir, 'train.yaml'), 'utf8').replace('dataset_dir: data', 'dataset_dir: .'))
    const r = await lfdata(['check', '--config', 'train.yaml', '--json'], {cwd: dir})
    expect(r.code, r.stderr).toBe(4)
    const lf102 = diagnostics(r.json).filter((d) => d.code === 'LF102')
    expect(lf102).toHaveLength(1)
    expect(lf102[0]).toMatchObject({count: KEYS, line: HEAD.length + 1, detail: '"key_0"'})
  }, 120_000)

  it('register --yaml updates it in place, keeping all of its keys', async () => {
    const dir = project()
    const path = bigYaml(dir)
    const r = await lfdata(['register', 'a.jsonl', '--name', 'a', '--dataset-dir', '.', '--yaml', 'train.yaml'], {cwd: dir})
    expect(r.code, r.stderr).toBe(0)
    const text = readFileSync(path, 'utf8')
    expect(text.split('\n').filter((l) => l.startsWith('key_'))).toHaveLength(KEYS)
    expect(text).toContain('dataset_dir: .\n')
  }, 120_000)

  it('a key repeated at the end is refused by register and check with its line', async () => {
    const dir = project()
    bigYaml(dir, ['key_7: again'])
    const line = HEAD.length + KEYS + 1
    const reg = await lfdata(['register', 'a.jsonl', '--name', 'a', '--dataset-dir', '.', '--yaml', 'train.yaml'], {cwd: dir})
    expect(reg.code).toBe(3)
    expect(reg.stderr).toContain(`key "key_7" appears twice in one mapping — train.yaml:${line}`)
    const check = await lfdata(['check', '--config', 'train.yaml', '--json'], {cwd: dir})
    expect(diagnostics(check.json)[0]).toMatchObject({code: 'LF101', line, detail: 'Map keys must be unique: "key_7" appears twice'})
  }, 120_000)

  it('firstDuplicateKey looks inside nested mappings too', () => {
    expect(firstDuplicateKey(parseDocument('a: 1\nb:\n  c: 1\n  c: 2\n', {uniqueKeys: false}))).toEqual({key: 'c', offset: 17})
    expect(firstDuplicateKey(parseDocument('a: 1\nb: {c: 1, d: 2}\n', {uniqueKeys: false}))).toBeUndefined()
  })
})
