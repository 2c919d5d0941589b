import {createWriteStream, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {once} from 'node:events'
import {describe, expect, it} from 'vitest'

import {lfDemoDir} from '../check/lf-demo.js'
import {gpt, human, info, jsonl, tree, type Files} from '../check/helpers.js'
import {lfdata, validateJson, type CommandJson} from '../e2e.js'

/** stdout must be exactly one JSON object that follows the published schema. */
function resultOf(stdout: string) {
  const json = JSON.parse(stdout) as CommandJson['check']
  validateJson('check', json)
  return json
}

interface Broken {
  name: string
  files: Files
  yaml?: string
  code: string
  file?: string
  line?: number
}

const BROKEN: Broken[] = [
  {name: 'dataset_info.json with a trailing comma', files: {'dataset_info.json': '{\n  "d": {"file_name": "d.json"},\n}\n'}, code: 'LF202', file: 'dataset_info.json', line: 3},
  {name: 'assistant turn first', files: {...info({d: {file_name: 'd.jsonl', formatting: 'sharegpt'}}), 'd.jsonl': jsonl([{conversations: [human('a'), gpt('b')]}, {conversations: [gpt('x'), human('y')]}])}, code: 'LF401', file: 'd.jsonl', line: 2},
  {name: 'CSV answer "NA"', files: {...info({d: {file_name: 'd.csv'}}), 'd.csv': 'instruction,input,output\nq,,a\nq2,,NA\n'}, code: 'LF424', file: 'd.csv', line: 3},
  {name: 'GB18030 bytes', files: {...info({d: {file_name: 'd.jsonl'}}), 'd.jsonl': Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc4, 0xe3, 0x22, 0x7d, 0x0a])}, code: 'LF305', file: 'd.jsonl'},
  {name: 'misspelt YAML key and unregistered dataset', files: {...info({d: {file_name: 'd.json'}}), 'd.json': [{instruction: 'q', input: '', output: 'a'}]}, yaml: 'dataset: d,missing\ncutof_len: 1024\n', code: 'LF102', file: 'train.yaml', line: 3},
  {name: 'image path that does not resolve', files: {...info({d: {file_name: 'd.json', formatting: 'sharegpt', columns: {messages: 'messages', images: 'images'}, tags: {role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant'}}}), 'd.json': [{messages: [{role: 'user', content: '<image>?'}, {role: 'assistant', content: 'a'}], images: ['nope.png']}]}, code: 'LF427', file: 'd.json', line: 2},
  {name: 'parallel function calls under glm4 (LF raises while rendering)', files: {...info({d: {file_name: 'd.jsonl', formatting: 'sharegpt'}}), 'd.jsonl': jsonl([{conversations: [human('a'), gpt('b')]}, {conversations: [human('q'), {from: 'function_call', value: '[{"name": "f", "arguments": {}}, {"name": "g", "arguments": {}}]'}, {from: 'observation', value: 'r'}, gpt('a')]}])}, yaml: 'dataset: d\ntemplate: glm4\n', code: 'LF418', file: 'd.jsonl', line: 2},
]

function args(dir: string, c: {yaml?: string}): string[] {
  if (c.yaml === undefined) return ['check', '--dataset-dir', dir]
  writeFileSync(join(dir, 'train.yaml'), `dataset_dir: ${dir}\n${c.yaml}`)
  return ['check', '--config', join(dir, 'train.yaml')]
}

describe('lfdata check (spawned)', () => {
  it('exits 0 on LF\'s demo datasets as LF registers them; --json follows the schema', async () => {
    const dir = tree(lfDemoDir())
    const r = await lfdata(['check', '--dataset-dir', dir, '--json'])
    expect(r.code, r.stderr).toBe(0)
    const json = resultOf(r.stdout)
    expect(json.errors).toBe(0)
    expect(json.datasets).toHaveLength(14)
    const human = await lfdata(['check', '--dataset-dir', dir])
    expect(human.code).toBe(0)
    expect(human.stdout).toContain('alpaca_en_demo (sft, inferred): would train on 2 of 2 examples')
    expect(human.stdout).toMatch(/0 errors, 0 warnings\n$/)
  })

  it.each(BROKEN)('$name: exit 4, $code at the right place, one JSON object on stdout', async (c) => {
    const dir = tree(c.files)
    const j = await lfdata([...args(dir, c), '--json'])
    expect(j.code, j.stderr).toBe(4)
    const hit = resultOf(j.stdout).diagnostics.find((d) => d.code === c.code)
    expect(hit, j.stdout).toBeDefined()
    if (c.file) expect(hit!.file).toBe(join(dir, c.file))
    if (c.line) expect(hit!.line).toBe(c.line)
    const h = await lfdata(args(dir, c))
    expect(h.code).toBe(4)
    expect(h.stdout).toContain(c.code)
    expect(h.stdout).toContain(c.line ? `${join(dir, c.file!)}:${c.line}` : join(dir, c.file!))
    expect(h.stderr).toMatch(/check found \d+ errors?/)
  })

  it("applies the YAML's enable_thinking, mask_history and cutoff_len to its token counts", async () => {
    const turns = [human('Q1'), gpt('<think>\nstep one two three four five six seven\n</think>\n\nA1 with a few words'), human('Q2'), gpt('A2 is also a reply with words')]
    const dir = tree({...info({d: {file_name: 'd.jsonl', formatting: 'sharegpt'}}), 'd.jsonl': jsonl([{conversations: turns}])})
    const tokens = async (yaml: string) => {
      const r = await lfdata([...args(dir, {yaml: `dataset: d\ntemplate: qwen3\ncutoff_len: 40\n${yaml}`}), '--tokenizer', 'qwen', '--json'])
      expect(r.stderr).not.toContain('Error: E')
      return (JSON.parse(r.stdout) as {datasets: {tokens: {max: number; trained_tokens_lost?: number}}[]}).datasets[0]!.tokens
    }
    const base = await tokens('')
    const off = await tokens('enable_thinking: false\n')
    expect(off.max).toBeLessThan(base.max)
    // mask_history keeps the last turn and cuts the history from the front: no trained token is lost.
    const masked = await tokens('mask_history: true\n')
    expect(base.trained_tokens_lost).toBeGreaterThan(0)
    expect(masked.trained_tokens_lost).toBe(0)
    expect(masked.max).toBeLessThan(base.max)
  })

  it('a YAML without template measures with what LF picks: the parsed chat_template (LF113)', async () => {
    const dir = tree({...info({d: {file_name: 'd.jsonl', formatting: 'sharegpt'}}), 'd.jsonl': jsonl([{conversations: [human('Q'), gpt('A')]}])})
    const r = await lfdata([...args(dir, {yaml: 'dataset: d\ncutoff_len: 4\n'}), '--tokenizer', 'qwen'])
    expect(r.stdout).toContain('LF113 no template set: LF picks one from the tokenizer')
    expect(r.stdout).toContain("template: parsed from the tokenizer's chat_template")
    expect(r.stdout).toContain('LF501')
  })

  it('counts examples with media apart instead of guessing their length (LF505)', async () => {
    const entry = {file_name: 'd.json', formatting: 'sharegpt', columns: {messages: 'messages', images: 'images'}, tags: {role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant'}}
    const dir = tree({...info({d: entry}), 'd.json': [{messages: [{role: 'user', content: '<image>What?'}, {role: 'assistant', content: 'A cat.'}], images: ['cat.png']}], 'cat.png': 'not really a png'})
    const r = await lfdata([...args(dir, {yaml: 'dataset: d\ntemplate: qwen2_vl\n'}), '--tokenizer', 'qwen', '--json'])
    const json = resultOf(r.stdout)
    expect(json.diagnostics.map((d) => d.code)).toContain('LF505')
    expect((JSON.parse(r.stdout) as {datasets: {tokens: {media_examples?: number}}[]}).datasets[0]!.tokens.media_examples).toBe(1)
  })

  it('groups repeated problems and prints a per-dataset summary', async () => {
    const bad = {conversations: [gpt('x'), human('y')]}
    const dir = tree({...info({d: {file_name: 'd.jsonl', formatting: 'sharegpt'}}), 'd.jsonl': jsonl([bad, bad, {conversations: [human('a'), gpt('b')]}, {conversations: [human('c'), gpt('d')]}])})
    const r = await lfdata(['check', '--dataset-dir', dir, '--locations', '1'])
    expect(r.code).toBe(4)
    expect(r.stdout).toContain('LF401 turns are not user/assistant alternating')
    expect(r.stdout).toContain('(2×)')
    expect(r.stdout).toContain('… and 1 more')
    expect(r.stdout).toContain('d (sft, inferred): would train on 2 of 4 examples (2 dropped: invalid_role_order 2)')
  })

  it('streams: a 120 MB JSONL is checked with a 64 MB JS heap (peak RSS is measured by npm run bench)', async () => {
    const dir = tree(info({big: {file_name: 'big.jsonl'}}))
    const out = createWriteStream(join(dir, 'big.jsonl'))
    const filler = 'lorem ipsum dolor sit amet '.repeat(20)
    for (let i = 0, bytes = 0; bytes < 120e6; i++) {
      const line = JSON.stringify({instruction: `question ${i} ${filler}`, input: '', output: `answer ${i} ${filler}`}) + '\n'
      bytes += line.length
      if (!out.write(line)) await once(out, 'drain')
    }
    out.end()
    await once(out, 'finish')
    // A 64 MB heap cannot hold the file: finishing at all shows check streams.
    const r = await lfdata(['check', '--dataset-dir', dir, '--json'], {env: {NODE_OPTIONS: '--max-old-space-size=64'}})
    rmSync(dir, {recursive: true, force: true})
    expect(r.code, r.stderr).toBe(0)
    expect(resultOf(r.stdout).datasets[0]!.summary).toMatch(/^big \(sft, inferred\): would train on (\d+) of \1 examples$/)
  }, 120_000)
})
