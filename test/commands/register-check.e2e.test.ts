// Issue 17: what register chooses (template, mix) must pass `lfdata check --config` without a warning, and every
// diagnostic's fix must be something to do, not a pointer back at the message.
import {copyFileSync, mkdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {describe, expect, it} from 'vitest'

import {CODES} from '../../src/check/codes.js'
import {lfdata} from '../e2e.js'
import {tempDir} from '../io/helpers.js'

const DEMO = fileURLToPath(new URL('../../fixtures/demo/', import.meta.url))

interface Diagnostic {
  code: string
  severity: string
}

describe('register → check on the demo data (spawned)', () => {
  it('a Qwen3 model without --template gets qwen3_nothink for data without thoughts, and the interleaved mix checks clean', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'data'))
    copyFileSync(join(DEMO, 'qa.csv'), join(dir, 'qa.csv'))
    copyFileSync(join(DEMO, 'chats.jsonl'), join(dir, 'chats.jsonl'))
    const steps = [
      ['convert', 'qa.csv', '-o', 'data/qa.jsonl', '--map', 'instruction=question', '--map', 'input=context', '--map', 'output=answer'],
      ['convert', 'chats.jsonl', '-o', 'data/chats.jsonl', '--fix-roles'],
      ['register', 'data/qa.jsonl', '--name', 'demo_qa', '--dataset-dir', 'data'],
      ['register', 'data/chats.jsonl', '--name', 'demo_chats', '--dataset-dir', 'data', '--with', 'demo_qa', '--yaml', 'train.yaml',
        '--model', 'Qwen/Qwen3-0.6B', '--mix', 'interleave_under', '--probs', 'auto'],
    ]
    for (const args of steps) {
      const r = await lfdata(args, {cwd: dir})
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0)
    }
    expect(readFileSync(join(dir, 'train.yaml'), 'utf8')).toContain('template: qwen3_nothink\n')
    const check = await lfdata(['check', '--config', 'train.yaml', '--json'], {cwd: dir})
    expect(check.code, check.stderr).toBe(0)
    const diags = (check.json as {diagnostics: Diagnostic[]}).diagnostics
    expect(diags.filter((d) => d.severity !== 'info')).toEqual([])
    expect(diags.map((d) => d.code).sort()).toEqual(['LF108', 'LF112'])
  }, 120_000)

  it('keeps an explicit --template qwen3 (and check then says why: LF109)', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'data'))
    copyFileSync(join(DEMO, 'chats.jsonl'), join(dir, 'chats.jsonl'))
    expect((await lfdata(['convert', 'chats.jsonl', '-o', 'data/chats.jsonl', '--fix-roles'], {cwd: dir})).code).toBe(0)
    const r = await lfdata(['register', 'data/chats.jsonl', '--name', 'c', '--dataset-dir', 'data', '--yaml', 'train.yaml', '--model', 'Qwen/Qwen3-0.6B', '--template', 'qwen3'], {cwd: dir})
    expect(r.code, r.stderr).toBe(0)
    expect(readFileSync(join(dir, 'train.yaml'), 'utf8')).toContain('template: qwen3\n')
    const check = await lfdata(['check', '--config', 'train.yaml', '--json'], {cwd: dir})
    expect((check.json as {diagnostics: Diagnostic[]}).diagnostics.map((d) => d.code)).toContain('LF109')
  }, 60_000)
})

describe('diagnostic fixes', () => {
  it.each(Object.entries(CODES))('%s has a fix that says what to do', (_, {fix}) => {
    expect(fix).not.toMatch(/see the message|as the message says|\(see the message\)/)
    // An action: starts with a verb in the imperative, not a statement about LF.
    expect(fix).not.toMatch(/^(LF|lfdata) /)
    expect(fix.length).toBeGreaterThan(10)
  })
})
