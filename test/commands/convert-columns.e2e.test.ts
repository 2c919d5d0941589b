import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {ERROR_TABLE} from '../../src/errors.js'
import {tempDir} from '../io/helpers.js'
import {lfdata} from '../e2e.js'

const readJsonl = (p: string) => readFileSync(p, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
const chat = (u: string, a: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({...extra, messages: [{role: 'user', content: u}, {role: 'assistant', content: a}]})

describe('convert: columns are the union over the input, never the first record', () => {
  it('keeps system prompts and tools that the first JSONL line does not have', async () => {
    const dir = tempDir()
    const input = join(dir, 'chats.jsonl')
    writeFileSync(input, [chat('hi', 'hello'), chat('q2', 'a2', {system: 'be brief', tools: '[{"name":"f"}]'})].join('\n') + '\n')
    const r = await lfdata(['convert', input, '-o', join(dir, 'out.jsonl'), '--json'], {cwd: dir})
    expect(r.code).toBe(0)
    expect(r.json.mapping).toEqual({messages: 'messages', system: 'system', tools: 'tools'})
    const rows = readJsonl(join(dir, 'out.jsonl'))
    expect(rows[0]).toMatchObject({system: '', tools: ''})
    expect(rows[1]).toMatchObject({system: 'be brief', tools: '[{"name":"f"}]'})
    expect(r.json.columns).toMatchObject({system: 'system', tools: 'tools'})
  })

  it('keeps a system column that only a later element of a JSON array has', async () => {
    const dir = tempDir()
    const input = join(dir, 'qa.json')
    writeFileSync(input, JSON.stringify([{instruction: 'a', output: 'b'}, {instruction: 'c', output: 'd', system: 'sys'}], null, 2))
    const r = await lfdata(['convert', input, '-o', join(dir, 'out.jsonl'), '--json'], {cwd: dir})
    expect(r.code).toBe(0)
    expect(readJsonl(join(dir, 'out.jsonl'))[1]).toEqual({instruction: 'c', input: '', output: 'd', system: 'sys'})
  })

  it('maps each file of a folder by its own header', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'in'))
    writeFileSync(join(dir, 'in', 'a.csv'), 'question,answer\nq1,a1\n')
    writeFileSync(join(dir, 'in', 'b.csv'), 'prompt,response,system\nq2,a2,s2\n')
    const r = await lfdata(['convert', 'in', '-o', 'out.jsonl'], {cwd: dir})
    expect(r.code).toBe(0)
    expect(r.stderr).toContain('mapping (in/a.csv): instruction ← question (auto), output ← answer (auto)')
    expect(r.stderr).toContain('mapping (in/b.csv): instruction ← prompt (auto), output ← response (auto), system ← system (auto)')
    expect(readJsonl(join(dir, 'out.jsonl'))).toEqual([
      {instruction: 'q1', input: '', output: 'a1', system: ''},
      {instruction: 'q2', input: '', output: 'a2', system: 's2'},
    ])
  })

  it('refuses inputs of different kinds (chats and flat rows) with exit 2', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'a.csv'), 'question,answer\nq1,a1\n')
    writeFileSync(join(dir, 'b.jsonl'), chat('q', 'a') + '\n')
    const r = await lfdata(['convert', 'a.csv', 'b.jsonl', '-o', 'out.jsonl'], {cwd: dir})
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/inputs hold different kinds of data: a\.csv is flat sft, b\.jsonl is chat sft/)
  })

  it('reads stdin ahead: a system column within the first 1000 records is kept', async () => {
    const dir = tempDir()
    const stdin = [chat('hi', 'hello'), chat('q2', 'a2', {system: 'sys'})].join('\n') + '\n'
    const r = await lfdata(['convert', '-', '--input-format', 'jsonl', '-o', 'out.jsonl'], {cwd: dir, stdin})
    expect(r.code).toBe(0)
    expect(readJsonl(join(dir, 'out.jsonl'))[1]!.system).toBe('sys')
  })

  it('stops (exit 3, naming the line) when a stdin record after the look-ahead brings a column that would be mapped', async () => {
    const dir = tempDir()
    const lines = Array.from({length: 1200}, (_, i) => chat(`q${i}`, `a${i}`, i === 1100 ? {system: 'late'} : {}))
    const stdin = lines.join('\n') + '\n'
    const r = await lfdata(['convert', '-', '--input-format', 'jsonl', '-o', 'out.jsonl'], {cwd: dir, stdin})
    expect(r.code).toBe(3)
    expect(r.stderr).toContain('column "system" first appears after the first 1000 records of stdin; it would be read as system')
    expect(r.stderr).toContain('-:1101')
    expect(r.stderr).toContain('--map system=system')
    // An unmapped new key is harmless, and --map takes the late column.
    const ok = await lfdata(['convert', '-', '--input-format', 'jsonl', '-o', 'out.jsonl', '--map', 'system=system', '--json'], {cwd: dir, stdin})
    expect(ok.code).toBe(0)
    expect(readJsonl(join(dir, 'out.jsonl'))[1100]!.system).toBe('late')
  })

  it('auto-maps real-world headers, and when unsure prints the --map flags that pin the mapping', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'a.csv'), '"Question Text","Agent Reply"\nq1,a1\n')
    const sure = await lfdata(['convert', 'a.csv', '-o', 'a.jsonl'], {cwd: dir})
    expect(sure.code).toBe(0)
    expect(sure.stderr).toContain('instruction ← Question Text (auto), output ← Agent Reply (auto)')
    expect(sure.stderr).not.toContain('Warning')
    writeFileSync(join(dir, 'b.csv'), 'id,Customer Question,Support Reply\n1,q1,a1\n')
    const unsure = await lfdata(['convert', 'b.csv', '-o', 'b.jsonl'], {cwd: dir})
    expect(unsure.code).toBe(0)
    expect(unsure.stderr).toContain("pin it with: --map 'instruction=Customer Question' --map 'output=Support Reply'")
    writeFileSync(join(dir, 'c.csv'), 'id,col a,col b\n1,q1,a1\n')
    const none = await lfdata(['convert', 'c.csv', '-o', 'c.jsonl'], {cwd: dir})
    expect(none.code).toBe(ERROR_TABLE.E_MAPPING) // the error table decides (2 or 3)
    expect(none.stderr).toContain("--map 'instruction=col a' --map 'output=col b'")
    // The suggestion pastes back as is.
    const pasted = await lfdata(['convert', 'c.csv', '-o', 'c.jsonl', '--map', 'instruction=col a', '--map', 'output=col b'], {cwd: dir})
    expect(pasted.code).toBe(0)
  })
})
