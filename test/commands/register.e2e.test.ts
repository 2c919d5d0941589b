import {spawn} from 'node:child_process'
import {existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'

import {tempDir} from '../io/helpers.js'
import {lfdata} from '../e2e.js'
import {lfStyleInfo} from '../registry/registry.test.js'

const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n'

function fixture() {
  const dir = tempDir()
  const data = join(dir, 'data')
  mkdirSync(data)
  writeFileSync(join(data, 'a.jsonl'), jsonl([{instruction: 'q', input: '', output: 'a'}, {instruction: 'q2', input: '', output: 'a2'}]))
  writeFileSync(join(data, 'b.jsonl'), jsonl([{messages: [{role: 'user', content: 'hi'}, {role: 'assistant', content: 'yo'}]}]))
  return {dir, data}
}

describe('lfdata register (spawned)', () => {
  it('registers into a fresh and then an existing dataset_info.json, sniffing OpenAI chats as sharegpt with full tags', async () => {
    const {dir, data} = fixture()
    const a = await lfdata(['register', 'data/a.jsonl', '--name', 'a', '--json'], {cwd: dir})
    expect(a.code, a.stderr).toBe(0)
    expect(a.json).toMatchObject({action: 'added', entry: {file_name: 'a.jsonl', columns: {prompt: 'instruction', query: 'input', response: 'output'}}})
    const b = await lfdata(['register', 'data/b.jsonl', '--name', 'b', '--json'], {cwd: dir})
    expect(b.json.entry).toEqual({
      file_name: 'b.jsonl', formatting: 'sharegpt', columns: {messages: 'messages'},
      tags: {role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant', observation_tag: 'tool', function_tag: 'function_call', system_tag: 'system'},
    })
    const info = JSON.parse(readFileSync(join(data, 'dataset_info.json'), 'utf8')) as Record<string, unknown>
    expect(Object.keys(info)).toEqual(['a', 'b'])
    // Same entry again: no change, exit 0. Different entry: refused unless --force (which keeps a .bak).
    expect((await lfdata(['register', 'data/a.jsonl', '--name', 'a', '--json'], {cwd: dir})).json.action).toBe('unchanged')
    const clash = await lfdata(['register', 'data/b.jsonl', '--name', 'a'], {cwd: dir})
    expect(clash.code).toBe(2)
    expect(clash.stderr).toContain('already registered')
    expect((await lfdata(['register', 'data/b.jsonl', '--name', 'a', '--force', '--json'], {cwd: dir})).json.action).toBe('updated')
    expect(existsSync(join(data, 'dataset_info.json.bak'))).toBe(true)
  })

  it('keeps a 104-entry dataset_info.json byte-for-byte apart from the new entry', async () => {
    const {dir, data} = fixture()
    const original = lfStyleInfo(104)
    writeFileSync(join(data, 'dataset_info.json'), original)
    const r = await lfdata(['register', 'data/a.jsonl', '--name', 'mine'], {cwd: dir})
    expect(r.code, r.stderr).toBe(0)
    const after = readFileSync(join(data, 'dataset_info.json'), 'utf8')
    const parsed = JSON.parse(original) as Record<string, unknown>
    expect(after).toBe(JSON.stringify({...parsed, mine: (JSON.parse(after) as Record<string, unknown>).mine}, null, 2) + '\n')
  })

  it('refuses a broken dataset_info.json with line and column, and never overwrites it', async () => {
    const {dir, data} = fixture()
    const broken = '{\n  "x": {"file_name": "x.json"},\n}\n'
    writeFileSync(join(data, 'dataset_info.json'), broken)
    const r = await lfdata(['register', 'data/a.jsonl', '--name', 'a'], {cwd: dir})
    expect(r.code).toBe(3)
    expect(r.stderr).toMatch(/line 3 column 1 .*— data\/dataset_info\.json:3/)
    expect(readFileSync(join(data, 'dataset_info.json'), 'utf8')).toBe(broken)
  })

  it('refuses files outside the dataset dir, including through a symlink, unless allowed', async () => {
    const {dir, data} = fixture()
    writeFileSync(join(dir, 'outside.jsonl'), jsonl([{instruction: 'q', output: 'a'}]))
    symlinkSync(join(dir, 'outside.jsonl'), join(data, 'link.jsonl'))
    for (const file of ['outside.jsonl', 'data/link.jsonl', 'data/../outside.jsonl']) {
      const r = await lfdata(['register', file, '--name', 'o'], {cwd: dir})
      expect(r.code, file).toBe(2)
      expect(r.stderr).toContain('outside the dataset dir')
    }
    const ok = await lfdata(['register', 'outside.jsonl', '--name', 'o', '--allow-outside', '--json'], {cwd: dir})
    expect(ok.json.entry?.file_name).toBe(join(dir, 'outside.jsonl'))
    const copied = await lfdata(['register', 'outside.jsonl', '--name', 'c', '--copy', '--json'], {cwd: dir})
    expect(copied.json.entry?.file_name).toBe('outside.jsonl')
    expect(existsSync(join(data, 'outside.jsonl'))).toBe(true)
  })

  it('20 concurrent registers lose no entry', async () => {
    const {dir} = fixture()
    const runs = await Promise.all(Array.from({length: 20}, (_, i) => lfdata(['register', 'data/a.jsonl', '--name', `n${i}`], {cwd: dir})))
    for (const r of runs) expect(r.code, r.stderr).toBe(0)
    const info = JSON.parse(readFileSync(join(dir, 'data', 'dataset_info.json'), 'utf8')) as Record<string, unknown>
    expect(Object.keys(info).sort()).toEqual(Array.from({length: 20}, (_, i) => `n${i}`).sort())
  }, 120_000)

  it('writes a 3-dataset interleave YAML that passes LF\'s data-args rules, and returns the mix plan', async () => {
    const {dir} = fixture()
    await lfdata(['register', 'data/a.jsonl', '--name', 'a'], {cwd: dir})
    await lfdata(['register', 'data/b.jsonl', '--name', 'b'], {cwd: dir})
    const r = await lfdata(['register', 'data/a.jsonl', '--name', 'a2', '--with', 'a,b', '--mix', 'interleave_over', '--probs', 'a2=0.5,a=0.3,b=0.2',
      '--yaml', 'train.yaml', '--model', 'meta-llama/Llama-3.1-8B-Instruct', '--json'], {cwd: dir})
    expect(r.code, r.stderr).toBe(0)
    expect(r.json).toMatchObject({yaml: 'train.yaml', mix: {strategy: 'interleave_over', probs: {a2: 0.5, a: 0.3, b: 0.2}, total: expect.any(Number)}})
    // all_exhausted: ~max(n/p) = max(2/0.5, 2/0.3, 1/0.2) = 6.67 draws, split by the probabilities.
    expect(r.json.mix?.expected).toEqual({a2: 3, a: 2, b: 1})
    const yaml = readFileSync(join(dir, 'train.yaml'), 'utf8')
    expect(yaml).toContain('### dataset\ndataset: a2,a,b\ndataset_dir: data\ntemplate: llama3\ncutoff_len: 2048')
    expect(yaml).toMatch(/mix_strategy: interleave_over\ninterleave_probs: 0.5,0.3,0.2/)
    const bad = await lfdata(['register', 'data/a.jsonl', '--name', 'a2', '--with', 'a', '--probs', 'auto'], {cwd: dir})
    expect(bad.code).toBe(2)
  })

  it('updates an existing YAML in place, keeping comments, order, number spelling and other keys', async () => {
    const {dir} = fixture()
    writeFileSync(join(dir, 't.yaml'), '# top\nmodel_name_or_path: x  # mine\nlearning_rate: 1.0e-4\ndataset: old\nmix_strategy: interleave_under\n')
    const r = await lfdata(['register', 'data/a.jsonl', '--name', 'a', '--yaml', 't.yaml', '--template', 'qwen'], {cwd: dir})
    expect(r.code, r.stderr).toBe(0)
    expect(readFileSync(join(dir, 't.yaml'), 'utf8')).toBe('# top\nmodel_name_or_path: x # mine\nlearning_rate: 1.0e-4\ndataset: a\ndataset_dir: data\ntemplate: qwen\ncutoff_len: 2048\n')
  })

  it('kill -9 during register leaves dataset_info.json old or new, never torn', async () => {
    const {dir, data} = fixture()
    const before = lfStyleInfo(300)
    const original = JSON.parse(before) as Record<string, unknown>
    writeFileSync(join(data, 'dataset_info.json'), before)
    const bin = fileURLToPath(new URL('../../bin/run.js', import.meta.url))
    for (let k = 0; k < 8; k++) {
      const child = spawn(process.execPath, [bin, 'register', 'data/a.jsonl', '--name', `k${k}`], {cwd: dir})
      await new Promise((r) => setTimeout(r, 120 + k * 40))
      child.kill('SIGKILL')
      await new Promise((r) => child.on('close', r))
      // Old or new: it parses, every original entry is intact, and the only possible addition is this run's.
      const info = JSON.parse(readFileSync(join(data, 'dataset_info.json'), 'utf8')) as Record<string, unknown>
      const extra = Object.keys(info).filter((name) => !(name in original))
      for (const name of Object.keys(original)) expect(info[name]).toEqual(original[name])
      expect(extra.every((name) => /^k\d$/.test(name))).toBe(true)
    }
  })
})

describe('register edits any valid dataset_info.json (spawned)', () => {
  it('one-line file: --force replaces, --remove removes and says so only when it did', async () => {
    const {dir, data} = fixture()
    const path = join(data, 'dataset_info.json')
    writeFileSync(path, '{"x": {"file_name": "a.jsonl"}, "y": {"file_name": "b.jsonl"}}')
    const forced = await lfdata(['register', 'data/a.jsonl', '--name', 'y', '--force', '--json'], {cwd: dir})
    expect(forced.code, forced.stderr).toBe(0)
    expect(forced.json.action).toBe('updated')
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({x: {file_name: 'a.jsonl'}, y: forced.json.entry})
    expect(readFileSync(path, 'utf8').startsWith('{"x": {"file_name": "a.jsonl"}, "y": ')).toBe(true)
    const removed = await lfdata(['register', '--remove', 'x', '--dataset-dir', 'data'], {cwd: dir})
    expect(removed.code, removed.stderr).toBe(0)
    expect(removed.stdout).toContain('removed x')
    expect(Object.keys(JSON.parse(readFileSync(path, 'utf8')) as object)).toEqual(['y'])
    const again = await lfdata(['register', '--remove', 'x', '--dataset-dir', 'data'], {cwd: dir})
    expect(again.code).toBe(2)
    expect(again.stdout).not.toContain('removed')
    expect(again.stderr).toContain('no dataset named x')
  })

  it('tab-indented CRLF file: the new entry uses tabs and CRLF, the old bytes stay', async () => {
    const {dir, data} = fixture()
    const before = '{\r\n\t"x": {\r\n\t\t"file_name": "a.jsonl"\r\n\t}\r\n}\r\n'
    writeFileSync(join(data, 'dataset_info.json'), before)
    const r = await lfdata(['register', 'data/b.jsonl', '--name', 'z'], {cwd: dir})
    expect(r.code, r.stderr).toBe(0)
    const after = readFileSync(join(data, 'dataset_info.json'), 'utf8')
    expect(after.startsWith('{\r\n\t"x": {\r\n\t\t"file_name": "a.jsonl"\r\n\t},\r\n\t"z": {\r\n\t\t"file_name": "b.jsonl",')).toBe(true)
    expect(after.replace(/\r\n/g, '')).not.toContain('\n')
  })

  it('names like __proto__ and constructor are ordinary names, never "already registered"', async () => {
    const {dir, data} = fixture()
    for (const name of ['__proto__', 'constructor', 'hasOwnProperty', 'prototype', 'toString']) {
      const r = await lfdata(['register', 'data/a.jsonl', '--name', name, '--json'], {cwd: dir})
      expect(r.code, r.stderr).toBe(0)
      expect(r.json.action).toBe('added')
    }
    const text = readFileSync(join(data, 'dataset_info.json'), 'utf8')
    expect(Object.keys(JSON.parse(text) as object)).toEqual(['__proto__', 'constructor', 'hasOwnProperty', 'prototype', 'toString'])
    const mixed = await lfdata(['register', 'data/b.jsonl', '--name', 'b', '--with', '__proto__,constructor', '--mix', 'interleave_under', '--probs', 'b=0.5,__proto__=0.3,constructor=0.2', '--json'], {cwd: dir})
    expect(mixed.code, mixed.stderr).toBe(0)
    expect(mixed.json.mix?.probs).toEqual(JSON.parse('{"b": 0.5, "__proto__": 0.3, "constructor": 0.2}'))
    const removed = await lfdata(['register', '--remove', '__proto__', '--dataset-dir', 'data'], {cwd: dir})
    expect(removed.code, removed.stderr).toBe(0)
    expect(Object.hasOwn(JSON.parse(readFileSync(join(data, 'dataset_info.json'), 'utf8')) as object, '__proto__')).toBe(false)
  })

  it('a symlinked dataset_info.json is updated in its target and the link survives', async () => {
    const {dir, data} = fixture()
    mkdirSync(join(data, 'meta'))
    writeFileSync(join(data, 'meta', 'info.json'), '{}\n')
    symlinkSync('meta/info.json', join(data, 'dataset_info.json'))
    const r = await lfdata(['register', 'data/a.jsonl', '--name', 'a'], {cwd: dir})
    expect(r.code, r.stderr).toBe(0)
    expect(lstatSync(join(data, 'dataset_info.json')).isSymbolicLink()).toBe(true)
    expect(Object.keys(JSON.parse(readFileSync(join(data, 'meta', 'info.json'), 'utf8')) as object)).toEqual(['a'])
  })

  it('a symlinked dataset_info.json pointing out of the dataset dir is refused (exit 2), the target untouched', async () => {
    const {dir, data} = fixture()
    writeFileSync(join(dir, 'elsewhere.json'), '{}\n')
    symlinkSync(join(dir, 'elsewhere.json'), join(data, 'dataset_info.json'))
    const r = await lfdata(['register', 'data/a.jsonl', '--name', 'a'], {cwd: dir})
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/dataset_info\.json is a symlink to .*elsewhere\.json, outside data; lfdata does not write through it/)
    expect(readFileSync(join(dir, 'elsewhere.json'), 'utf8')).toBe('{}\n')
    expect(lstatSync(join(data, 'dataset_info.json')).isSymbolicLink()).toBe(true)
  })
})
