import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {Ajv} from 'ajv'
import {describe, expect, it} from 'vitest'

import {tempDir} from '../io/helpers.js'
import {lfdata} from '../e2e.js'

const schema = JSON.parse(readFileSync(new URL('../../schemas/check-result.schema.json', import.meta.url), 'utf8'))
const validate = new Ajv({allErrors: true}).compile(schema)

function dataDir(rows: unknown[], entry: object = {file_name: 'd.jsonl', formatting: 'sharegpt'}) {
  const dir = tempDir()
  writeFileSync(join(dir, 'dataset_info.json'), JSON.stringify({d: entry}, null, 2))
  writeFileSync(join(dir, 'd.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n')
  return dir
}

describe('lfdata check (spawned)', () => {
  it('exits 0 on clean data, and its --json matches the published schema', async () => {
    const dir = dataDir([{conversations: [{from: 'human', value: 'a'}, {from: 'gpt', value: 'b'}]}])
    const r = await lfdata(['check', '--dataset-dir', dir, '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(validate(r.json), JSON.stringify(validate.errors)).toBe(true)
    expect(r.json).toMatchObject({errors: 0, datasets: [{name: 'd', records: 1, kept: 1}]})
  })

  it('exits 4 with grouped diagnostics and a per-dataset summary; --json still prints one result object', async () => {
    const bad = {conversations: [{from: 'gpt', value: 'x'}, {from: 'human', value: 'y'}]}
    const dir = dataDir([bad, bad, {conversations: [{from: 'human', value: 'a'}]}, {conversations: 'oops'}])
    const r = await lfdata(['check', '--dataset-dir', dir])
    expect(r.code).toBe(4)
    expect(r.stdout).toContain('LF401')
    expect(r.stdout).toContain('(2×)')
    expect(r.stdout).toContain('d: would train on 0 of 4 examples')
    expect(r.stderr).toContain('check found')
    const j = await lfdata(['check', '--dataset-dir', dir, '--json'])
    expect(j.code).toBe(4)
    expect(validate(j.json), JSON.stringify(validate.errors)).toBe(true)
    expect(j.json.diagnostics.find((d: {code: string}) => d.code === 'LF401')).toMatchObject({count: 2, line: 1, more: [{line: 2}]})
    expect(j.json.diagnostics.map((d: {code: string}) => d.code)).toEqual(expect.arrayContaining(['LF410', 'LF420', 'LF421', 'LF423']))
  })

  it('reads datasets, stage and data args from a train YAML and reports unknown keys with a suggestion', async () => {
    const dir = dataDir([{conversations: [{from: 'human', value: 'a'}, {from: 'gpt', value: 'b'}]}])
    writeFileSync(join(dir, 'train.yaml'), `model_name_or_path: x\nstage: sft\ndataset: d,missing\ndataset_dir: ${dir}\ntemplate: qwen\ncutof_len: 1024\n`)
    const r = await lfdata(['check', '--config', join(dir, 'train.yaml'), '--json'])
    expect(r.code).toBe(4)
    const codes = r.json.diagnostics.map((d: {code: string; message: string}) => `${d.code} ${d.message}`)
    expect(codes).toEqual(expect.arrayContaining([
      expect.stringMatching(/^LF102 "cutof_len" is not an LF argument — did you mean "cutoff_len"\?/),
      expect.stringMatching(/^LF207 Undefined dataset missing/),
    ]))
  })
})
