import {describe, expect, it} from 'vitest'

import {completeColumns, completeTags, datasetStage, DEFAULT_COLUMNS, DEFAULT_TAGS, resolveDatasetAttr, stageError} from '../../src/lf/attr.js'

// Expectations derived from LF parser.py: DatasetAttr defaults, DatasetAttr.join and get_dataset_list.
describe('resolveDatasetAttr: source precedence (get_dataset_list)', () => {
  it('file_name alone loads from a file', () => {
    const a = resolveDatasetAttr('d', {file_name: 'd.json'})
    expect([a.loadFrom, a.datasetName, a.loadError]).toEqual(['file', 'd.json', undefined])
  })
  it('hub urls beat script_url, which beats cloud_file_name, which beats file_name', () => {
    expect(resolveDatasetAttr('d', {file_name: 'f', cloud_file_name: 's3://b/x.json'}).loadFrom).toBe('cloud_file')
    expect(resolveDatasetAttr('d', {file_name: 'f', cloud_file_name: 'c', script_url: 's'}).loadFrom).toBe('script')
    expect(resolveDatasetAttr('d', {file_name: 'f', script_url: 's', hf_hub_url: 'org/x'})).toMatchObject({loadFrom: 'hf_hub', datasetName: 'org/x'})
  })
  it('hf_hub_url wins over ms/om urls unless USE_MODELSCOPE_HUB / USE_OPENMIND_HUB is set', () => {
    const e = {hf_hub_url: 'h', ms_hub_url: 'm', om_hub_url: 'o'}
    expect(resolveDatasetAttr('d', e).loadFrom).toBe('hf_hub')
    expect(resolveDatasetAttr('d', e, {useModelscope: true})).toMatchObject({loadFrom: 'ms_hub', datasetName: 'm'})
    expect(resolveDatasetAttr('d', e, {useOpenmind: true})).toMatchObject({loadFrom: 'om_hub', datasetName: 'o'})
  })
  it('without hf_hub_url, ms_hub_url is used even without the env switch, and beats om_hub_url', () => {
    expect(resolveDatasetAttr('d', {ms_hub_url: 'm', om_hub_url: 'o'}).loadFrom).toBe('ms_hub')
    expect(resolveDatasetAttr('d', {om_hub_url: 'o'}).loadFrom).toBe('om_hub')
  })
  it('key presence decides, not the value: "hf_hub_url": null still selects the hub', () => {
    expect(resolveDatasetAttr('d', {hf_hub_url: null, file_name: 'f'})).toMatchObject({loadFrom: 'hf_hub', datasetName: ''})
  })
  it('no source key at all is LF\'s KeyError: \'file_name\'', () => {
    expect(resolveDatasetAttr('d', {formatting: 'alpaca'}).loadError).toMatchObject({key: 'source', message: expect.stringContaining("KeyError: 'file_name'")})
  })
})

describe('resolveDatasetAttr: DatasetAttr.join defaults', () => {
  it('formatting alpaca, ranking false, split train; column and tag defaults are the class defaults', () => {
    const a = resolveDatasetAttr('d', {file_name: 'f'})
    expect(a).toMatchObject({formatting: 'alpaca', ranking: false, split: 'train', subset: undefined, folder: undefined, numSamples: undefined})
    expect(a.columns).toEqual(DEFAULT_COLUMNS)
    expect(a.tags).toEqual(DEFAULT_TAGS)
  })
  it('class defaults: prompt=instruction, query=input, response=output, history=None, messages=conversations', () => {
    expect(DEFAULT_COLUMNS).toMatchObject({prompt: 'instruction', query: 'input', response: 'output', history: null, messages: 'conversations', system: null})
  })
  it('tag defaults are the same for sharegpt and openai: from/value/human/gpt/observation/function_call/system', () => {
    const a = resolveDatasetAttr('d', {file_name: 'f', formatting: 'openai'})
    expect(a.tags).toEqual({role_tag: 'from', content_tag: 'value', user_tag: 'human', assistant_tag: 'gpt', observation_tag: 'observation', function_tag: 'function_call', system_tag: 'system'})
  })
  it('a partial columns block nulls every column it does not list (set_attr default None), defaults included', () => {
    const a = resolveDatasetAttr('d', {file_name: 'f', columns: {prompt: 'q', response: 'a'}})
    expect(a.columns).toMatchObject({prompt: 'q', response: 'a', query: null, messages: null, history: null})
  })
  it('a partial tags block nulls system_tag, observation_tag and function_tag too', () => {
    const a = resolveDatasetAttr('d', {file_name: 'f', formatting: 'sharegpt', tags: {role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant'}})
    expect(a.tags).toEqual({role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant', observation_tag: null, function_tag: null, system_tag: null})
  })
  it('an empty columns block still replaces every column with None', () => {
    expect(Object.values(resolveDatasetAttr('d', {file_name: 'f', columns: {}}).columns).every((v) => v === null)).toBe(true)
  })
  it('keys inside columns that LF does not read are ignored (instruction/output stay unread)', () => {
    const a = resolveDatasetAttr('d', {file_name: 'f', columns: {instruction: 'q', output: 'a'} as Record<string, string>})
    expect([a.columns.prompt, a.columns.response]).toEqual([null, null])
  })
  it('an unknown formatting loads but fails at alignment: "Dataset converter X not found."', () => {
    expect(resolveDatasetAttr('d', {file_name: 'f', formatting: 'ShareGPT'}).loadError).toEqual({key: 'formatting', message: 'Dataset converter ShareGPT not found.'})
    expect(resolveDatasetAttr('d', {file_name: 'f', formatting: null}).loadError?.message).toBe('Dataset converter None not found.')
  })
  it('subset, split, folder, num_samples are passed through', () => {
    expect(resolveDatasetAttr('d', {hf_hub_url: 'h', subset: 's', split: 'test', folder: 'sub', num_samples: 7})).toMatchObject({subset: 's', split: 'test', folder: 'sub', numSamples: 7})
  })
})

describe('stageError: _get_merged_dataset ranking vs stage (identity tests)', () => {
  const attr = (ranking: unknown) => resolveDatasetAttr('d', {file_name: 'f', ranking})
  it('rm and dpo need ranking: true', () => {
    expect(stageError(attr(false), 'rm')).toBe('The dataset is not applicable in the current training stage.')
    expect(stageError(attr(false), 'dpo')).not.toBeNull()
    expect(stageError(attr(true), 'dpo')).toBeNull()
  })
  it('every other stage needs ranking: false', () => {
    for (const stage of ['pt', 'sft', 'ppo', 'kto'] as const) expect(stageError(attr(true), stage)).not.toBeNull()
    expect(stageError(attr(false), 'sft')).toBeNull()
  })
  it('a non-boolean ranking is neither `is True` nor `is False`: passes every stage, but is truthy in the converter', () => {
    const a = attr('yes')
    expect([stageError(a, 'sft'), stageError(a, 'rm'), a.ranking, a.rankingValue]).toEqual([null, null, true, 'yes'])
  })
})

describe('completeColumns / completeTags (what register writes)', () => {
  it('alpaca always names prompt explicitly; other keys only when the data has them', () => {
    expect(completeColumns('alpaca', {response: 'answer'})).toEqual({prompt: 'instruction', response: 'answer'})
    expect(completeColumns('alpaca', {prompt: 'q', query: 'ctx', response: 'a', system: 's'})).toEqual({prompt: 'q', query: 'ctx', response: 'a', system: 's'})
  })
  it('sharegpt always names messages', () => {
    expect(completeColumns('sharegpt', {tools: 't'})).toEqual({messages: 'conversations', tools: 't'})
  })
  it('a written block resolves to exactly the given mapping (nothing relies on a default)', () => {
    const cols = completeColumns('alpaca', {prompt: 'q', response: 'a'})
    expect(resolveDatasetAttr('d', {file_name: 'f', columns: cols}).columns).toMatchObject({prompt: 'q', response: 'a', query: null})
  })
  it('completeTags fills all seven tags, so system/observation/function turns keep their roles', () => {
    const tags = completeTags({role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant'})
    expect(tags).toEqual({role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant', observation_tag: 'observation', function_tag: 'function_call', system_tag: 'system'})
    expect(resolveDatasetAttr('d', {file_name: 'f', formatting: 'sharegpt', tags}).tags).toEqual(tags)
  })
})

describe('datasetStage: the one rule every command uses when no stage is given', () => {
  it('ranking → dpo, kto_tag → kto, Alpaca prompt without response → pt, else sft — raw entry or resolved attr alike', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{file_name: 'f', ranking: true, columns: {prompt: 'q', chosen: 'c', rejected: 'r'}}, 'dpo'],
      [{file_name: 'f', formatting: 'sharegpt', columns: {messages: 'm', kto_tag: 'label'}}, 'kto'],
      [{file_name: 'f', columns: {prompt: 'text'}}, 'pt'],
      [{file_name: 'f'}, 'sft'],
      [{file_name: 'f', formatting: 'sharegpt', columns: {messages: 'm'}}, 'sft'],
    ]
    for (const [entry, stage] of cases) {
      expect(datasetStage(entry), JSON.stringify(entry)).toBe(stage)
      expect(datasetStage(resolveDatasetAttr('d', entry)), JSON.stringify(entry)).toBe(stage)
    }
  })
})
