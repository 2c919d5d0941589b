// Security: paths that escape the dataset dir, YAML tags, prototype keys in data, and user regexes.
import {existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {convert} from '../../src/pipeline/convert.js'
import {silentReporter} from '../../src/reporter.js'
import {DEFAULT_NORMALIZE} from '../../src/transforms/normalize.js'
import {lfdata} from '../e2e.js'
import {tempDir} from '../io/helpers.js'

const RECORD = '{"instruction":"q","output":"a"}\n'

/** A project dir with data/in.jsonl, elsewhere/x.jsonl, and data/link.jsonl → ../elsewhere/x.jsonl. */
function project(): string {
  const dir = tempDir()
  mkdirSync(join(dir, 'data'))
  mkdirSync(join(dir, 'elsewhere'))
  writeFileSync(join(dir, 'data', 'in.jsonl'), RECORD)
  writeFileSync(join(dir, 'elsewhere', 'x.jsonl'), RECORD)
  symlinkSync(join('..', 'elsewhere', 'x.jsonl'), join(dir, 'data', 'link.jsonl'))
  return dir
}

describe('file_name escaping the dataset dir', () => {
  const escapes = (dir: string) => ({
    'an absolute path': join(dir, 'elsewhere', 'x.jsonl'),
    'a ../ path': 'data/../elsewhere/x.jsonl',
    'a symlink pointing out': 'data/link.jsonl',
  })

  it('register refuses each way out (E_OUTSIDE, exit 2) and leaves dataset_info.json alone', async () => {
    const dir = project()
    for (const [how, file] of Object.entries(escapes(dir))) {
      const r = await lfdata(['register', file, '--name', 'x'], {cwd: dir})
      expect(r.code, `${how}: ${r.stderr}`).toBe(2)
      expect(r.stderr, how).toMatch(/outside the dataset dir/)
    }
    expect(existsSync(join(dir, 'data', 'dataset_info.json'))).toBe(false)
    const missing = await lfdata(['register', '../../etc/passwd', '--name', 'x'], {cwd: dir})
    expect(missing.code).toBe(2)
  })

  it('register accepts them only with --allow-outside, by their real absolute path', async () => {
    const dir = project()
    const r = await lfdata(['register', 'data/link.jsonl', '--name', 'x', '--allow-outside', '--json'], {cwd: dir})
    expect(r.code, r.stderr).toBe(0)
    const info = JSON.parse(readFileSync(join(dir, 'data', 'dataset_info.json'), 'utf8')) as Record<string, {file_name: string}>
    expect(info.x?.file_name).toMatch(/elsewhere[/\\]x\.jsonl$/)
  })

  it('check flags each way out (LF311)', async () => {
    const dir = project()
    const ways = escapes(dir)
    const info = {abs: {file_name: ways['an absolute path']}, up: {file_name: '../elsewhere/x.jsonl'}, link: {file_name: 'link.jsonl'}, inside: {file_name: 'in.jsonl'}}
    writeFileSync(join(dir, 'data', 'dataset_info.json'), JSON.stringify(info))
    const r = await lfdata(['check', '--dataset-dir', 'data', '--json'], {cwd: dir})
    expect([0, 4]).toContain(r.code)
    const flagged = (name: string) => r.json.diagnostics.some((d: {dataset?: string; message: string; detail?: string}) => d.dataset === name && /outside|escape/i.test(`${d.message} ${d.detail ?? ''}`))
    expect(['abs', 'up', 'link'].filter((n) => !flagged(n))).toEqual([])
    expect(flagged('inside')).toBe(false)
  })
})

describe('YAML is data, never code', () => {
  const TAGS = (dir: string) => [
    'model_name_or_path: Qwen/Qwen2.5-7B',
    `hook: !!js/function "function () { require('fs').writeFileSync('${join(dir, 'pwned-js')}', 'x') }"`,
    `other: !!python/object/apply:os.system ["touch ${join(dir, 'pwned-py')}"]`,
    'dataset: d',
    'dataset_dir: data',
    '',
  ].join('\n')

  it('check reads a train YAML with custom tags without running them', async () => {
    const dir = project()
    writeFileSync(join(dir, 'data', 'dataset_info.json'), '{"d": {"file_name": "in.jsonl"}}')
    writeFileSync(join(dir, 'train.yaml'), TAGS(dir))
    const r = await lfdata(['check', '--config', 'train.yaml', '--json'], {cwd: dir})
    expect([0, 4], r.stderr).toContain(r.code)
    expect(existsSync(join(dir, 'pwned-js')) || existsSync(join(dir, 'pwned-py'))).toBe(false)
  })

  it('register --yaml updates such a YAML without running the tags, keeping them as written', async () => {
    const dir = project()
    writeFileSync(join(dir, 'train.yaml'), TAGS(dir))
    const r = await lfdata(['register', 'data/in.jsonl', '--name', 'd', '--yaml', 'train.yaml'], {cwd: dir})
    expect(r.code, r.stderr).toBe(0)
    expect(existsSync(join(dir, 'pwned-js')) || existsSync(join(dir, 'pwned-py'))).toBe(false)
    expect(readFileSync(join(dir, 'train.yaml'), 'utf8')).toContain('!!js/function')
  })
})

describe('__proto__ and constructor keys are plain data', () => {
  const INPUTS: Record<string, string> = {
    'p.jsonl': '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"instruction":"q","output":"a"}\n',
    'p.json': '[{"__proto__":{"polluted":"yes"},"instruction":"q","output":"a"}]\n',
    'm.jsonl': '{"messages":[{"role":"user","content":"hi","__proto__":{"role":"assistant","polluted":"yes"}},{"role":"assistant","content":"yo"}]}\n',
  }

  it('in-process convert leaves Object.prototype alone and keeps the records', async () => {
    const dir = tempDir()
    for (const [name, text] of Object.entries(INPUTS)) {
      writeFileSync(join(dir, name), text)
      const out = join(dir, `${name}.out.jsonl`)
      const r = await convert({inputs: [join(dir, name)], output: out, map: {}, normalize: DEFAULT_NORMALIZE, filters: {dropEmpty: true}, fixRoles: false, dedup: 'exact', nearThreshold: 0.8, nearFields: ['prompt', 'response']}, silentReporter)
      expect(r.records_out, name).toBe(1)
      expect(({} as Record<string, unknown>).polluted, name).toBeUndefined()
      expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false)
    }
    expect(readFileSync(join(dir, 'p.jsonl.out.jsonl'), 'utf8')).toBe('{"instruction":"q","input":"","output":"a"}\n')
    expect(readFileSync(join(dir, 'm.jsonl.out.jsonl'), 'utf8')).toContain('"value":"hi"')
  })

  it('columns named __proto__ and constructor can be mapped, and their values survive (CSV and JSONL)', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'p.csv'), '__proto__,constructor,output\nq1,c1,a1\n')
    writeFileSync(join(dir, 'p2.jsonl'), '{"__proto__":"q2","constructor":"c2","output":"a2"}\n')
    for (const [input, n] of [['p.csv', 1], ['p2.jsonl', 2]] as const) {
      const r = await lfdata(['convert', input, '-o', `o${n}.jsonl`, '--map', 'instruction=__proto__', '--map', 'input=constructor'], {cwd: dir})
      expect(r.code, r.stderr).toBe(0)
      expect(readFileSync(join(dir, `o${n}.jsonl`), 'utf8')).toBe(`{"instruction":"q${n}","input":"c${n}","output":"a${n}"}\n`)
    }
  })
})

describe('user regexes cannot hang a run', () => {
  it('a catastrophic-backtracking --drop-regex finishes fast on a pathological input', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'a.jsonl'), Array.from({length: 200}, (_, i) => JSON.stringify({instruction: 'a'.repeat(5000 + i) + 'b', output: 'x'})).join('\n') + '\n')
    // A backtracking engine would not finish 200 such records in any test timeout; the linear one does at once.
    const r = await lfdata(['convert', 'a.jsonl', '-o', 'o.jsonl', '--drop-regex', '(a+)+$', '--json'], {cwd: dir})
    expect(r.code, r.stderr).toBe(0)
    expect(r.json.records_out).toBe(200)
  })

  it('patterns the linear-time engine cannot run (backreferences, lookarounds) are refused up front (exit 2)', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'a.jsonl'), RECORD)
    for (const pattern of ['(a)\\1', '(?=a)a', '(?<!b)a']) {
      const r = await lfdata(['convert', 'a.jsonl', '-o', 'o.jsonl', '--drop-regex', pattern], {cwd: dir})
      expect(r.code, `${pattern}: ${r.stderr}`).toBe(2)
      expect(existsSync(join(dir, 'o.jsonl'))).toBe(false)
    }
  })
})
