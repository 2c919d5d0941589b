import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {nearDedup} from '../../src/transforms/near-dedup.js'
import {tempDir} from '../io/helpers.js'
import {lfdata} from '../e2e.js'

const FIX = new URL('../../fixtures/demo/', import.meta.url).pathname
/** An output or rejects line as these tests read it (the assertions check the shapes). */
interface Line {instruction: string; output: string; reason: string; line: number; near_duplicate_of: string; conversations: {from: string; value: string}[]}
const readJsonl = (p: string) => readFileSync(p, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Line)

describe('lfdata convert (spawned)', () => {
  it('converts a messy CSV to Alpaca with counts that add up', async () => {
    const dir = tempDir()
    const out = join(dir, 'qa.jsonl')
    const rej = join(dir, 'rej.jsonl')
    const r = await lfdata(['convert', join(FIX, 'qa.csv'), '-o', out, '--map', 'instruction=question', '--map', 'input=context', '--map', 'output=answer', '--rejects', rej, '--json'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const res = r.json
    expect(res.records_in).toBe(39)
    expect(res.dropped).toEqual({duplicate: 3, empty_response: 2})
    expect(res.records_out).toBe(34)
    expect(res.formatting).toBe('alpaca')
    const rows = readJsonl(out)
    expect(rows).toHaveLength(34)
    // Every field is a string in every row, with the same keys.
    for (const row of rows) {
      expect(Object.keys(row)).toEqual(['instruction', 'input', 'output'])
      for (const v of Object.values(row)) expect(typeof v).toBe('string')
    }
    // Embedded newlines and quotes survive; CRLF became LF.
    expect(rows.some((x) => x.output === 'Soft rain on the roof,\nquiet streets begin to shine,\nthe city exhales.')).toBe(true)
    expect(rows.some((x) => x.instruction === 'Write a haiku about "rain".')).toBe(true)
    const rejects = readJsonl(rej)
    expect(rejects.map((x) => x.reason).sort()).toEqual(['duplicate', 'duplicate', 'duplicate', 'empty_response', 'empty_response'])
    for (const x of rejects) expect(x).toMatchObject({source: expect.stringContaining('qa.csv'), line: expect.any(Number), record: expect.any(Object)})
    const manifest = JSON.parse(readFileSync(`${out}.lfdata.json`, 'utf8')) as {output: {sha256: string}}
    expect(manifest).toMatchObject({formatting: 'alpaca', records_in: 39, records_out: 34, columns: {prompt: 'instruction', query: 'input', response: 'output'}})
    expect(manifest.output.sha256).toBe(res.sha256)
  })

  it('auto-detects the mapping and prints it', async () => {
    const dir = tempDir()
    const r = await lfdata(['convert', join(FIX, 'qa.csv'), '-o', join(dir, 'o.jsonl')])
    expect(r.code).toBe(0)
    expect(r.stderr).toContain('mapping: instruction ← question (auto), input ← context (auto), output ← answer (auto)')
    expect(r.stdout).toContain('39 records in → 34 written')
  })

  it('converts OpenAI chats to ShareGPT, dropping what LF would skip', async () => {
    const dir = tempDir()
    const out = join(dir, 'c.jsonl')
    const r = await lfdata(['convert', join(FIX, 'chats.jsonl'), '-o', out, '--rejects', join(dir, 'rej.jsonl'), '--json'])
    expect(r.code).toBe(0)
    expect(r.json.formatting).toBe('sharegpt')
    expect(r.json.tags).toMatchObject({role_tag: 'from', content_tag: 'value', system_tag: 'system'})
    const rows = readJsonl(out)
    expect(rows[0]).toEqual({conversations: [{from: 'human', value: 'Hi!'}, {from: 'gpt', value: 'Hello! How can I help?'}], system: 'You are a helpful assistant.'})
    const tool = rows.find((x) => x.conversations.some((m) => m.from === 'function_call'))
    expect(tool?.conversations.map((m) => m.from)).toEqual(['human', 'function_call', 'observation', 'gpt'])
    expect(r.json.records_in).toBe(10)
    const dropped = Object.values(r.json.dropped).reduce((a, b) => a + b, 0)
    expect(r.json.records_out + dropped).toBe(10)
    expect(r.json.dropped.empty_response).toBe(1)
  })

  it('repairs conversations with --fix-roles', async () => {
    const dir = tempDir()
    const out = join(dir, 'c.jsonl')
    const r = await lfdata(['convert', join(FIX, 'chats.jsonl'), '-o', out, '--fix-roles', '--json'])
    expect(r.code).toBe(0)
    const rows = readJsonl(out)
    const joke = rows.find((x) => x.conversations[0]?.value === 'Tell me a joke.')
    expect(joke?.conversations).toEqual([{from: 'human', value: 'Tell me a joke.'}, {from: 'gpt', value: 'Why did the chicken cross the road?\n\nTo get to the other side!'}])
    const brief = rows.find((x) => x.conversations.at(-1)?.value === 'Blue.')
    expect(brief?.conversations[0]?.value).toBe('Be brief.\n\nAnswer in one word.\n\nColour of the sky?')
    expect(r.json.repaired?.merged_turns).toBeGreaterThanOrEqual(1)
  })

  it('reads stdin and writes stdout', async () => {
    const r = await lfdata(['convert', '-', '-o', '-', '--input-format', 'jsonl'], {stdin: '{"prompt":"a","completion":"b"}\n'})
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual({instruction: 'a', input: '', output: 'b'})
  })

  it('fails on malformed input with exit 3, one line, and no output left behind', async () => {
    const dir = tempDir()
    const bad = join(dir, 'bad.csv')
    writeFileSync(bad, 'question,answer\nx,y\n"open,z\n')
    const r = await lfdata(['convert', bad, '-o', join(dir, 'out.jsonl')])
    expect(r.code).toBe(3)
    expect(r.stderr).toMatch(/^Error: unterminated quoted field — .*bad\.csv:3\n {2}hint: /m)
    expect(r.stderr).not.toContain('    at ')
    expect(readdirSync(dir)).toEqual(['bad.csv'])
  })

  it('--dedup near on a large input (hashed on worker threads) keeps the first copy, as in-process hashing does, run after run', async () => {
    // 6,000 records (the workers start after 4,096), a fifth of them light edits of an earlier one.
    let seed = 99
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32)
    const words = Array.from({length: 3000}, () => Array.from({length: 4 + Math.floor(rand() * 6)}, () => String.fromCharCode(97 + Math.floor(rand() * 26))).join(''))
    const records: {instruction: string; output: string}[] = []
    for (let i = 0; i < 6000; i++) {
      if (i > 10 && rand() < 0.2) {
        const o = records[Math.floor(rand() * records.length)]!
        records.push({instruction: o.instruction.toUpperCase(), output: o.output.replace(/ \w+ /, ' changed ')})
      } else {
        const text = (n: number) => Array.from({length: n}, () => words[Math.floor(rand() * words.length)]).join(' ')
        records.push({instruction: text(10), output: text(40)})
      }
    }
    const dir = tempDir()
    const input = join(dir, 'in.jsonl')
    writeFileSync(input, records.map((r) => JSON.stringify(r)).join('\n') + '\n')
    const outputs = []
    for (const n of [1, 2]) {
      const out = join(dir, `out${n}.jsonl`)
      const r = await lfdata(['convert', input, '-o', out, '--dedup', 'near', '--rejects', join(dir, `rej${n}.jsonl`), '--json'])
      expect(r.code).toBe(0)
      outputs.push(readFileSync(out, 'utf8'))
      const near = readJsonl(join(dir, `rej${n}.jsonl`)).filter((x) => x.reason === 'near_duplicate')
      expect(near.length).toBeGreaterThan(500)
      for (const x of near) expect(Number(x.near_duplicate_of.split(':').pop())).toBeLessThan(x.line)
    }
    expect(outputs[1]).toBe(outputs[0])
    const inProcess: string[] = []
    const stage = nearDedup<{instruction: string; output: string}>({workers: 0}, (r) => `${r.instruction}\n${r.output}`, () => ({source: '', line: 0}), () => {})
    for await (const r of stage((async function* () { for (const x of records) yield await Promise.resolve(x) })())) inProcess.push(r.instruction)
    expect(readJsonl(join(dir, 'out1.jsonl')).map((r) => r.instruction)).toEqual(inProcess)
    expect(inProcess.length).toBeLessThan(5000)
  })

  it('--near-fields decides what is compared: by default prompt + response, so a shared system prompt does not make records alike', async () => {
    // Two long system prompts of 150 made-up words each, different words in each.
    const policy = (seed: number) => Array.from({length: 150}, (_, i) => Array.from({length: 7}, (_, k) => String.fromCharCode(97 + ((seed * 31 + i * 7 + k * k * 13 + i * k) % 26))).join('')).join(' ')
    const records = [
      {system: policy(1), instruction: 'What is the capital of France?', output: 'Paris.'},
      {system: policy(1), instruction: 'Name a prime number above ten.', output: 'Eleven.'},
      {system: policy(2), instruction: 'What is the capital of France?', output: 'Paris!'},
    ]
    const dir = tempDir()
    const input = join(dir, 'in.jsonl')
    writeFileSync(input, records.map((r) => JSON.stringify(r)).join('\n') + '\n')
    const run = async (extra: string[]) => {
      const out = join(dir, 'out.jsonl')
      const rej = join(dir, 'rej.jsonl')
      const r = await lfdata(['convert', input, '-o', out, '--dedup', 'near', '--rejects', rej, '--json', ...extra])
      expect(r.code).toBe(0)
      return readJsonl(rej).map((x) => `${x.line}~${x.near_duplicate_of.split(':').pop()}`)
    }
    // Default: line 3 repeats line 1's question and answer under another system prompt.
    expect(await run([])).toEqual(['3~1'])
    // With the system prompt compared, the two unrelated questions under one long policy collapse instead.
    expect(await run(['--near-fields', 'prompt,response,system'])).toEqual(['2~1'])
    expect((await lfdata(['convert', input, '-o', join(dir, 'x.jsonl'), '--dedup', 'near', '--near-fields', 'answer'])).code).toBe(2)
  })

  it('exits 2 on usage errors', async () => {
    const dir = tempDir()
    const r = await lfdata(['convert', join(FIX, 'qa.csv'), '-o', join(dir, 'o.jsonl'), '--map', 'instruction=nope'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('no column "nope"')
    expect(existsSync(join(dir, 'o.jsonl'))).toBe(false)
  })
})
