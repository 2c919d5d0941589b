import {describe, expect, it} from 'vitest'

import {resolveDatasetAttr} from '../../src/lf/attr.js'
import {ktoPartnerError, lfVerdict, processorVerdict} from '../../src/lf/processor.js'
import type {AlignedExample, LfMessage} from '../../src/lf/types.js'

// Derived from LF's data/processor/{supervised,pairwise,feedback,unsupervised,pretrain}.py (the drop test in
// preprocess_dataset) and template.py/formatter.py (what fails while encoding a kept example).
const u = (content: unknown): LfMessage => ({role: 'user', content})
const a = (content: unknown): LfMessage => ({role: 'assistant', content})
const ex = (prompt: LfMessage[], response: LfMessage[], extra: Partial<AlignedExample> = {}): AlignedExample => ({prompt, response, system: '', tools: '', images: null, videos: null, audios: null, ...extra})
const attr = (entry: Record<string, unknown>) => resolveDatasetAttr('d', {file_name: 'd.json', ...entry})

describe('processorVerdict: supervised (sft)', () => {
  it('odd prompt and exactly one response: kept', () => {
    expect(processorVerdict(ex([u('q')], [a('a')]), 'sft')).toBeNull()
    expect(processorVerdict(ex([u('q'), a('a'), u('q2')], [a('a2')]), 'sft')).toBeNull()
  })
  it('even prompt length: dropped', () => {
    expect(processorVerdict(ex([u('q'), a('a')], [a('b')]), 'sft')).toMatchObject({reason: 'invalid_prompt_length', crash: false})
    expect(processorVerdict(ex([], []), 'sft')).toMatchObject({reason: 'invalid_prompt_length'})
  })
  it('no response (alpaca output not a string): dropped', () => {
    expect(processorVerdict(ex([u('q')], []), 'sft')).toMatchObject({reason: 'non_string_response', crash: false})
  })
  it('two responses (KTO-tagged or ranking record) in SFT: dropped', () => {
    expect(processorVerdict(ex([u('q')], [a('x'), a('')]), 'sft')).toMatchObject({reason: 'multiple_responses'})
  })
  it('empty strings are kept: LF trains on an empty prompt or response', () => {
    expect(processorVerdict(ex([u('')], [a('')]), 'sft')).toBeNull()
  })
  it('a non-string content in a kept example crashes the formatter ("Expected a string")', () => {
    expect(processorVerdict(ex([u('q'), a(5), u('q')], [a('x')]), 'sft')).toMatchObject({reason: 'non_string_content', crash: true})
    expect(processorVerdict(ex([u('q')], [a(null)]), 'sft')).toMatchObject({reason: 'non_string_content', crash: true})
  })
  it('a truthy non-string system crashes (system + tool_text); a falsy one falls back to the default system', () => {
    expect(processorVerdict(ex([u('q')], [a('x')], {system: {text: 'S'}}), 'sft')).toMatchObject({reason: 'non_string_content', crash: true})
    expect(processorVerdict(ex([u('q')], [a('x')], {system: null}), 'sft')).toBeNull()
    expect(processorVerdict(ex([u('q')], [a('x')], {system: []}), 'sft')).toBeNull()
  })
  it('tools: "" and "[]" are no tools; invalid JSON and non-strings crash ("Invalid JSON format in tool description")', () => {
    expect(processorVerdict(ex([u('q')], [a('x')], {tools: '[]'}), 'sft')).toBeNull()
    expect(processorVerdict(ex([u('q')], [a('x')], {tools: '[{"name": "f", "parameters": {}}]'}), 'sft')).toBeNull()
    expect(processorVerdict(ex([u('q')], [a('x')], {tools: ' '}), 'sft')).toMatchObject({reason: 'invalid_tool_json', detail: expect.stringContaining('Invalid JSON format in tool description')})
    expect(processorVerdict(ex([u('q')], [a('x')], {tools: [{name: 'f'}]}), 'sft')).toMatchObject({reason: 'invalid_tool_json', detail: expect.stringContaining('must be str')})
    expect(processorVerdict(ex([u('q')], [a('x')], {tools: '5'}), 'sft')).toMatchObject({reason: 'invalid_tool_json', detail: expect.stringContaining('no len()')})
  })
  it('function turns must hold JSON with name and arguments ("Invalid JSON format in function message")', () => {
    const fn = (content: string): LfMessage => ({role: 'function', content})
    const obs: LfMessage = {role: 'observation', content: 'r'}
    const withCall = (content: string) => ex([u('q'), fn(content), obs], [a('done')])
    expect(processorVerdict(withCall('{"name": "f", "arguments": {"x": 1}}'), 'sft')).toBeNull()
    expect(processorVerdict(withCall('[{"name": "f", "arguments": {}}, {"name": "g", "arguments": {}}]'), 'sft')).toBeNull()
    expect(processorVerdict(withCall('call f(x)'), 'sft')).toMatchObject({reason: 'invalid_function_json', crash: true, detail: expect.stringContaining('Invalid JSON format in function message')})
    expect(processorVerdict(withCall('{"name": "f"}'), 'sft')).toMatchObject({reason: 'invalid_function_json'})
  })
  it('function JSON inside the tool-call words, or after a thought block, is parsed like LF does', () => {
    const fn = (content: string): LfMessage => ({role: 'function', content})
    const turns = (content: string) => ex([u('q'), fn(content), {role: 'observation', content: 'r'}], [a('done')])
    expect(processorVerdict(turns('Let me call it. <tool_call>{"name": "f", "arguments": {}}</tool_call>'), 'sft')).toBeNull()
    expect(processorVerdict(turns('<think>\nplan\n</think>\n\n{"name": "f", "arguments": {}}'), 'sft')).toBeNull()
  })
  it("the default tool format reads every tool's name and parameters.properties (DefaultToolUtils): a KeyError crashes", () => {
    const withTools = (tools: unknown) => ex([u('q')], [a('x')], {tools: JSON.stringify(tools)})
    const ok = {name: 'f', parameters: {type: 'object', properties: {x: {type: 'string'}}}}
    const opts = {toolFormat: 'default'}
    expect(processorVerdict(withTools([ok]), 'sft', opts)).toBeNull()
    expect(processorVerdict(withTools([{type: 'function', function: ok}]), 'sft', opts)).toBeNull()
    expect(processorVerdict(withTools([{name: 'f', parameters: {}}]), 'sft', opts)).toMatchObject({reason: 'invalid_tool_json', crash: true, detail: expect.stringContaining("KeyError: 'properties'")})
    expect(processorVerdict(withTools([{name: 'f'}]), 'sft', opts)).toMatchObject({reason: 'invalid_tool_json', detail: expect.stringContaining("KeyError: 'parameters'")})
    expect(processorVerdict(withTools([{parameters: {properties: {}}}]), 'sft', opts)).toMatchObject({reason: 'invalid_tool_json', detail: expect.stringContaining("KeyError: 'name'")})
    expect(processorVerdict(withTools([{type: 'function'}]), 'sft', opts)).toMatchObject({reason: 'invalid_tool_json'})
    expect(processorVerdict(withTools([{name: 'f', parameters: {properties: {x: 'string'}}}]), 'sft', opts)).toMatchObject({reason: 'invalid_tool_json'})
    const param = (spec: Record<string, unknown>, required?: unknown) => withTools([{name: 'f', parameters: {properties: {x: spec}, ...(required === undefined ? {} : {required})}}])
    expect(processorVerdict(param({type: 'string', enum: ['a', 'b']}, ['x']), 'sft', opts)).toBeNull()
    expect(processorVerdict(param({type: 'array', items: {type: 'string'}}), 'sft', opts)).toBeNull()
    expect(processorVerdict(param({enum: [1, 2]}), 'sft', opts)).toMatchObject({reason: 'invalid_tool_json', detail: expect.stringContaining('enum')})
    expect(processorVerdict(param({items: ['string']}), 'sft', opts)).toMatchObject({reason: 'invalid_tool_json', detail: expect.stringContaining('items')})
    expect(processorVerdict(withTools([{name: 5, parameters: {properties: {}}}]), 'sft', opts)).toMatchObject({reason: 'invalid_tool_json', detail: expect.stringContaining('name is int')})
    expect(processorVerdict(param({}, null), 'sft', opts)).toMatchObject({reason: 'invalid_tool_json', detail: expect.stringContaining('required')})
    // Other tool formats (qwen's dumps the tool as JSON) accept the same tools.
    expect(processorVerdict(withTools([{name: 'f', parameters: {}}]), 'sft', {toolFormat: 'qwen'})).toBeNull()
  })
  it('Llama2Template passes no tool-call or thought words: a function turn must be bare JSON', () => {
    const fn = (content: string): LfMessage => ({role: 'function', content})
    const turns = (content: string) => ex([u('q'), fn(content), {role: 'observation', content: 'r'}], [a('done')])
    const llama2 = {thoughtWords: null, toolCallWords: null}
    expect(processorVerdict(turns('{"name": "f", "arguments": {}}'), 'sft', llama2)).toBeNull()
    expect(processorVerdict(turns('<tool_call>{"name": "f", "arguments": {}}</tool_call>'), 'sft', llama2)).toMatchObject({reason: 'invalid_function_json', crash: true})
    expect(processorVerdict(turns('<think>\nplan\n</think>\n\n{"name": "f", "arguments": {}}'), 'sft', llama2)).toMatchObject({reason: 'invalid_function_json'})
  })
})

describe('processorVerdict: pairwise (rm, dpo), feedback (kto), unsupervised (ppo)', () => {
  it('rm/dpo need an odd prompt and at least two responses; prompt+response[0] and prompt+response[1] are encoded', () => {
    expect(processorVerdict(ex([u('q')], [a('c'), a('r')]), 'dpo')).toBeNull()
    expect(processorVerdict(ex([u('q')], [a('c')]), 'rm')).toMatchObject({reason: 'missing_pair'})
    expect(processorVerdict(ex([u('q')], [a('c'), a(3)]), 'rm')).toMatchObject({reason: 'non_string_content', crash: true})
  })
  it('a pairwise response with a system role cannot be encoded (NotImplementedError: Unexpected role)', () => {
    expect(processorVerdict(ex([u('q')], [{role: 'system', content: 'c'}, a('r')]), 'rm')).toMatchObject({reason: 'invalid_message', crash: true})
  })
  it('kto needs two responses; only the non-empty one (or the second) is encoded', () => {
    expect(processorVerdict(ex([u('q')], [a('good'), a('')]), 'kto')).toBeNull()
    expect(processorVerdict(ex([u('q')], [a('good')]), 'kto')).toMatchObject({reason: 'missing_pair'})
    expect(processorVerdict(ex([u('q')], [a(''), a(7)]), 'kto')).toMatchObject({reason: 'non_string_content'})
  })
  it('ppo only needs an odd prompt; a missing response is replaced by an empty assistant turn', () => {
    expect(processorVerdict(ex([u('q')], []), 'ppo')).toBeNull()
    expect(processorVerdict(ex([u('q'), a('a')], []), 'ppo')).toMatchObject({reason: 'invalid_prompt_length'})
  })
})

describe('processorVerdict: pretrain (pt)', () => {
  it('reads the first prompt message\'s content; nothing is dropped', () => {
    expect(processorVerdict(ex([u('some text')], []), 'pt')).toBeNull()
    expect(processorVerdict(ex([u('t'), a('a')], []), 'pt')).toBeNull()
  })
  it('no prompt message is an IndexError; a non-string text a TypeError', () => {
    expect(processorVerdict(ex([], []), 'pt')).toMatchObject({reason: 'no_text', crash: true})
    expect(processorVerdict(ex([u(null)], []), 'pt')).toMatchObject({reason: 'non_string_content', crash: true})
  })
})

describe('ktoPartnerError: the KL term reads the previous example\'s response unchecked', () => {
  it('a valid partner response is fine', () => {
    expect(ktoPartnerError([a(''), a('x')])).toBeNull()
    expect(ktoPartnerError([a('x')])).toBeNull()
  })
  it('an empty partner response, or an empty first with no second, is an IndexError', () => {
    expect(ktoPartnerError([])).toMatchObject({crash: true, detail: expect.stringContaining('IndexError')})
    expect(ktoPartnerError([a('')])).toMatchObject({crash: true})
  })
})

describe('lfVerdict: converter + processor in one call', () => {
  const alpaca = attr({})
  const sg = attr({formatting: 'sharegpt'})
  it('a good alpaca record is kept with its aligned example', () => {
    expect(lfVerdict({instruction: 'q', output: 'a'}, alpaca, 'sft')).toMatchObject({kept: true, example: {response: [{content: 'a'}]}})
  })
  it('alpaca output as an object: dropped as non_string_response (silent in LF)', () => {
    expect(lfVerdict({instruction: 'q', output: {text: 'a'}}, alpaca, 'sft')).toEqual({kept: false, reason: 'non_string_response', detail: 'no string response', crash: false})
  })
  it('a converter skip is a drop for training stages', () => {
    expect(lfVerdict({conversations: [{from: 'gpt', value: 'a'}]}, sg, 'sft')).toMatchObject({kept: false, reason: 'invalid_role_order', crash: false})
  })
  it('a converter skip under pt is a crash: the empty example has no first message', () => {
    expect(lfVerdict({conversations: [{from: 'gpt', value: 'a'}]}, sg, 'pt')).toMatchObject({kept: false, reason: 'invalid_role_order', crash: true})
  })
  it('a converter crash stays a crash', () => {
    expect(lfVerdict({instruction: 1, output: 'a'}, alpaca, 'sft')).toMatchObject({kept: false, reason: 'non_string_prompt', crash: true})
  })
  it('pretraining text through an alpaca prompt column is kept under pt and dropped under sft', () => {
    const pt = attr({columns: {prompt: 'text'}})
    expect(lfVerdict({text: 'corpus line'}, pt, 'pt')).toMatchObject({kept: true})
    expect(lfVerdict({text: 'corpus line'}, pt, 'sft')).toMatchObject({kept: false, reason: 'non_string_response'})
  })
  it('kto stage with a string kto_tag: non_bool_kto_tag (the row is read as SFT, then dropped)', () => {
    const k = attr({columns: {prompt: 'instruction', response: 'output', kto_tag: 'label'}})
    expect(lfVerdict({instruction: 'q', output: 'a', label: 'true'}, k, 'kto')).toMatchObject({kept: false, reason: 'non_bool_kto_tag', detail: expect.stringContaining('"true"')})
    expect(lfVerdict({instruction: 'q', output: 'a', label: true}, k, 'kto')).toMatchObject({kept: true})
  })
  it('a KTO-tagged record used for SFT is dropped (two responses)', () => {
    const k = attr({columns: {prompt: 'instruction', response: 'output', kto_tag: 'label'}})
    expect(lfVerdict({instruction: 'q', output: 'a', label: true}, k, 'sft')).toMatchObject({kept: false, reason: 'multiple_responses'})
  })
  it('sharegpt ranking data for dpo: odd turns plus chosen/rejected objects are kept', () => {
    const r = attr({formatting: 'sharegpt', ranking: true, columns: {messages: 'conversations', chosen: 'chosen', rejected: 'rejected'}})
    const record = {conversations: [{from: 'human', value: 'q'}], chosen: {from: 'gpt', value: 'c'}, rejected: {from: 'gpt', value: 'r'}}
    expect(lfVerdict(record, r, 'dpo')).toMatchObject({kept: true})
  })
  it('warnings from the converter travel with a kept verdict', () => {
    const m = attr({columns: {prompt: 'instruction', response: 'output', images: 'images'}})
    expect(lfVerdict({instruction: '<image>q', output: 'a', images: ['x.png']}, m, 'sft', {mediaDir: 'data', fileExists: () => false})).toMatchObject({kept: true, warnings: [expect.stringContaining('x.png')]})
  })
})
