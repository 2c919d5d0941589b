import {mkdirSync, rmSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {afterAll} from 'vitest'

import {runCheck, type CheckOptions, type CheckResult} from '../../src/pipeline/check.js'
import {silentReporter} from '../../src/reporter.js'
import {tempDir} from '../io/helpers.js'

/** A file tree: path → content (strings and buffers as is, anything else as pretty JSON, like LF's demo files). */
export type Files = Record<string, string | Buffer | object>

export const jsonl = (rows: unknown[]): string => rows.map((r) => JSON.stringify(r)).join('\n') + '\n'
export const human = (value: string) => ({from: 'human', value})
export const gpt = (value: string) => ({from: 'gpt', value})
export const user = (content: string) => ({role: 'user', content})
export const assistant = (content: string) => ({role: 'assistant', content})
export const info = (entries: object): Files => ({'dataset_info.json': entries})

const created: string[] = []
afterAll(() => {
  for (const dir of created.splice(0)) rmSync(dir, {recursive: true, force: true})
})

/** Writes the tree into a fresh temp dir (removed after the test file); returns its path. */
export function tree(files: Files): string {
  const dir = tempDir('lfdata-check-')
  created.push(dir)
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name)
    mkdirSync(dirname(path), {recursive: true})
    writeFileSync(path, typeof content === 'string' || Buffer.isBuffer(content) ? content : JSON.stringify(content, null, 2))
  }
  return dir
}

export interface CheckRun {
  dir: string
  result: CheckResult
  /** The exit code the command would give. */
  exit: number
}

/**
 * Runs the check on a tree. `yaml` (if given) becomes DIR/train.yaml with `dataset_dir: DIR` prepended and
 * `{DIR}` replaced by the tree's path; otherwise `--dataset-dir DIR`.
 */
export async function check(files: Files, opts: Partial<CheckOptions> & {yaml?: string} = {}): Promise<CheckRun> {
  const dir = tree(files)
  const {yaml, ...rest} = opts
  let config: string | undefined
  if (yaml !== undefined) {
    config = join(dir, 'train.yaml')
    writeFileSync(config, `dataset_dir: ${dir}\n${yaml.replaceAll('{DIR}', dir)}`)
  }
  const result = await runCheck({datasetDir: config ? undefined : dir, datasets: [], config, ...rest}, silentReporter)
  return {dir, result, exit: result.errors > 0 ? 4 : 0}
}
