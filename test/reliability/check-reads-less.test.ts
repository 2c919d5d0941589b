// Issue 15 item 10: check names an escaped file but never prints its content, and flags the YAML values LF
// would hand to transformers unconverted.
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {lfdata} from '../e2e.js'
import {tempDir} from '../io/helpers.js'

interface Diagnostic {
  code: string
  line?: number
  message: string
  detail?: string
}
const diagnostics = (json: unknown) => (json as {diagnostics: Diagnostic[]}).diagnostics

describe('check (spawned)', () => {
  it.each([
    ['not JSON at all', 'password=hunter2 top secret\n'],
    ['records LF drops', '{"instruction": "hunter2", "output": ""}\n{"instruction": "hunter2", "output": ""}\n'],
  ])('a file_name escaping the dataset dir (%s) is named, its content never printed', async (_, content) => {
    const dir = tempDir()
    mkdirSync(join(dir, 'data'))
    writeFileSync(join(dir, 'secret.jsonl'), content)
    writeFileSync(join(dir, 'data', 'dataset_info.json'), '{"x": {"file_name": "../secret.jsonl"}}')
    writeFileSync(join(dir, 't.yaml'), 'dataset: x\ntemplate: qwen\nstage: sft\ndataset_dir: data\n')
    for (const json of [[], ['--json']]) {
      const r = await lfdata(['check', '--config', 't.yaml', ...json], {cwd: dir})
      expect(r.stdout + r.stderr).toContain('secret.jsonl')
      expect(r.stdout + r.stderr).not.toContain('hunter2')
      expect(r.stdout + r.stderr).toContain('LF311')
    }
  })

  it('flags YAML values of the wrong type with their line; 1e-4 is a float for LF (OmegaConf), not flagged', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'data'))
    writeFileSync(join(dir, 'data', 'a.jsonl'), '{"instruction": "q", "output": "a"}\n')
    writeFileSync(join(dir, 'data', 'dataset_info.json'), '{"a": {"file_name": "a.jsonl"}}')
    writeFileSync(join(dir, 't.yaml'), 'dataset: a\ntemplate: qwen\nstage: sft\nper_device_train_batch_size: 1.5\nnum_train_epochs: three\nlearning_rate: 1e-4\n')
    const r = await lfdata(['check', '--config', 't.yaml', '--json'], {cwd: dir})
    expect(r.code).toBe(4)
    const types = diagnostics(r.json).filter((d) => d.code === 'LF104').map((d) => [d.line, d.message])
    expect(types).toEqual([[4, '`per_device_train_batch_size` must be an integer, got 1.5'], [5, '`num_train_epochs` must be a number, got "three"']])
  })
})
