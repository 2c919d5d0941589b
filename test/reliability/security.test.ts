import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {tempDir} from '../io/helpers.js'
import {lfdata} from '../e2e.js'

describe('security', () => {
  it('register refuses file_names that escape the dataset dir', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'data'))
    for (const file of ['/etc/passwd', 'data/../../etc/hosts']) {
      const r = await lfdata(['register', file, '--name', 'x', '--formatting', 'alpaca'], {cwd: dir})
      expect(r.code, file).toBe(2)
      expect(r.stderr).toMatch(/outside the dataset dir|not found/)
    }
  })

  it('YAML with language-specific tags is data, never code', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'dataset_info.json'), '{"d": {"file_name": "d.jsonl"}}')
    writeFileSync(join(dir, 'd.jsonl'), '{"instruction":"q","output":"a"}\n')
    writeFileSync(join(dir, 'train.yaml'), `dataset: d\ndataset_dir: ${dir}\ntemplate: !!js/function "function () { require('fs').writeFileSync('${join(dir, 'pwned')}', 'x') }"\n`)
    const r = await lfdata(['check', '--config', join(dir, 'train.yaml'), '--json'])
    expect([0, 4]).toContain(r.code)
    expect(() => readFileSync(join(dir, 'pwned'))).toThrow()
  })

  it('__proto__ keys in JSON stay data through convert', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'a.jsonl'), '{"__proto__":{"polluted":"yes"},"instruction":"q","output":"a"}\n')
    const r = await lfdata(['convert', join(dir, 'a.jsonl'), '-o', join(dir, 'o.jsonl'), '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(readFileSync(join(dir, 'o.jsonl'), 'utf8')).toBe('{"instruction":"q","input":"","output":"a"}\n')
  })

  it('a pathological --drop-regex cannot hang a run', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'a.jsonl'), Array.from({length: 200}, () => JSON.stringify({instruction: 'a'.repeat(5000) + 'b', output: 'x'})).join('\n') + '\n')
    const started = Date.now()
    const r = await lfdata(['convert', join(dir, 'a.jsonl'), '-o', join(dir, 'o.jsonl'), '--drop-regex', '(a+)+$', '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(Date.now() - started).toBeLessThan(15_000)
    const refused = await lfdata(['convert', join(dir, 'a.jsonl'), '-o', join(dir, 'o2.jsonl'), '--drop-regex', '(a)\\1'])
    expect(refused.code).toBe(2)
  })
})
