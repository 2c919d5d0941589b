import {execFileSync} from 'node:child_process'
import {chmodSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs'
import {join, resolve} from 'node:path'

import {describe, expect, it} from 'vitest'
import {parseAllDocuments} from 'yaml'

import {tempDir} from '../io/helpers.js'

const ROOT = resolve('.')
const DOC = readFileSync(join(ROOT, 'docs/scale-out.md'), 'utf8')

/** The fenced block after `<!-- recipe: NAME -->` in docs/scale-out.md. */
function recipe(name: string): string {
  const m = new RegExp(`<!-- recipe: ${name} -->\\s*\`\`\`sh\\n([\\s\\S]*?)\`\`\``).exec(DOC)
  if (!m) throw new Error(`no recipe ${name} in docs/scale-out.md`)
  return m[1]!
}

/** A work folder with the bundled samples and an `lfdata` on PATH that runs this checkout's build. */
function sandbox(): {cwd: string; env: NodeJS.ProcessEnv} {
  const cwd = tempDir()
  symlinkSync(join(ROOT, 'fixtures'), join(cwd, 'fixtures'))
  const bin = join(cwd, '.bin')
  mkdirSync(bin)
  writeFileSync(join(bin, 'lfdata'), `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, 'bin/run.js')}" "$@"\n`)
  chmodSync(join(bin, 'lfdata'), 0o755)
  mkdirSync(join(cwd, 'logs'))
  return {cwd, env: {...process.env, PATH: `${bin}:${process.env.PATH}`, NO_COLOR: '1'}}
}

const sh = (script: string, box: {cwd: string; env: NodeJS.ProcessEnv}, extra: Record<string, string> = {}) =>
  execFileSync('sh', ['-c', `set -e\n${script}`], {cwd: box.cwd, env: {...box.env, ...extra}, stdio: ['ignore', 'pipe', 'pipe']}).toString()

const parts = (dir: string) => Buffer.concat(readdirSync(dir).sort().map((p) => readFileSync(join(dir, p))))

describe('docs/scale-out.md recipes (run as documented)', () => {
  it('xargs -P over 4 shards gives the one-process bytes, rejects and a folder stats merge agrees on', () => {
    const box = sandbox()
    sh(recipe('one-process'), box)
    sh(recipe('xargs'), box)
    expect(readdirSync(join(box.cwd, 'out/qa')).every((n) => /^part-\d-of-4\.jsonl$/.test(n))).toBe(true)
    expect(parts(join(box.cwd, 'out/qa')).equals(readFileSync(join(box.cwd, 'one.jsonl')))).toBe(true)
    expect(readFileSync(join(box.cwd, 'out/qa.rejects.jsonl'), 'utf8')).toBe(readFileSync(join(box.cwd, 'one.rejects.jsonl'), 'utf8'))
    const single = JSON.parse(sh('lfdata stats fixtures/demo/qa.csv --tokenizer qwen --json', box))
    const merged = JSON.parse(sh(`mkdir -p stats\n${recipe('stats').replace(/^(seq .*)$/m, '$1 >/dev/null').replace(/lfdata stats merge (.*)$/m, 'lfdata stats merge $1 --json')}`, box))
    expect({...merged, seconds: 0}).toEqual({...single, seconds: 0})
  })

  it('the Slurm array script, run per task with SLURM_ARRAY_TASK_ID, then the merge script', () => {
    const box = sandbox()
    const convert = readFileSync(join(ROOT, 'docs/scale-out/convert.sbatch'), 'utf8')
    const last = Number(/#SBATCH --array=0-(\d+)/.exec(convert)![1])
    expect(Number(/^SHARDS=(\d+)/m.exec(convert)![1])).toBe(last + 1)
    const env = {INPUT: 'fixtures/demo/qa.csv', OUT: join(box.cwd, 'prepared/train')}
    for (let task = 0; task <= last; task++) sh(`bash ${join(ROOT, 'docs/scale-out/convert.sbatch')}`, box, {...env, SLURM_ARRAY_TASK_ID: String(task)})
    sh(`bash ${join(ROOT, 'docs/scale-out/merge.sbatch')}`, box, env)
    // The same flags in one process.
    const flags = /lfdata convert "\$INPUT" -o "\$OUT" --shard "\$SLURM_ARRAY_TASK_ID\/\$SHARDS" (.*)$/m.exec(convert)![1]!
    sh(`lfdata convert fixtures/demo/qa.csv -o one.jsonl ${flags.replace('"$OUT.rejects.jsonl"', 'one.rejects.jsonl')}`, box)
    expect(parts(env.OUT).equals(readFileSync(join(box.cwd, 'one.jsonl')))).toBe(true)
    expect(readFileSync(`${env.OUT}.rejects.jsonl`, 'utf8')).toBe(readFileSync(join(box.cwd, 'one.rejects.jsonl'), 'utf8'))
    expect((JSON.parse(readFileSync(`${env.OUT}.lfdata.json`, 'utf8')) as {parts: unknown[]}).parts.length).toBeGreaterThan(0)
  })

  it('the Kubernetes Indexed Job, run per index with JOB_COMPLETION_INDEX, then the merge Job', () => {
    const box = sandbox()
    const command = (file: string) => {
      const docs = parseAllDocuments(readFileSync(join(ROOT, 'docs/scale-out', file), 'utf8')).map((d) => d.toJS() as {kind?: string; spec: {completionMode?: string; completions?: number; template: {spec: {containers: {command: string[]}[]}}}} | null)
      const job = docs.find((d) => d?.kind === 'Job')!
      const c = job.spec.template.spec.containers[0]!.command
      expect(c.slice(0, 2)).toEqual(['sh', '-c'])
      // /data is the shared volume; here it is the sandbox, with the raw data where the manifest expects it.
      return {job, script: c[2]!.replaceAll('/data/', `${box.cwd}/data/`)}
    }
    mkdirSync(join(box.cwd, 'data/raw'), {recursive: true})
    symlinkSync(join(ROOT, 'fixtures/demo/qa.csv'), join(box.cwd, 'data/raw/qa.csv'))
    const convert = command('indexed-job.yaml')
    expect(convert.job.spec.completionMode).toBe('Indexed')
    const n = convert.job.spec.completions as number
    expect(convert.script).toContain(`$JOB_COMPLETION_INDEX/${n}`)
    for (let index = 0; index < n; index++) sh(convert.script, box, {JOB_COMPLETION_INDEX: String(index)})
    sh(command('merge-job.yaml').script, box)
    // The same command in one process: the documented one without -o DIR --shard, into one file.
    sh(convert.script.replace(/-o \S+ --shard \S+/, '-o one.jsonl').replace(/--rejects \S+/, '--rejects one.rejects.jsonl'), box)
    expect(parts(join(box.cwd, 'data/prepared/qa')).equals(readFileSync(join(box.cwd, 'one.jsonl')))).toBe(true)
    expect(readFileSync(join(box.cwd, 'data/prepared/qa.rejects.jsonl'), 'utf8')).toBe(readFileSync(join(box.cwd, 'one.rejects.jsonl'), 'utf8'))
  })
})
