import {describe, expect, it} from 'vitest'

import {alignExample, type AlignOutcome} from '../../src/lf/align.js'
import {resolveDatasetAttr} from '../../src/lf/attr.js'

// Every expectation is derived by reading LF's converter.py (Alpaca/Sharegpt/OpenAIDatasetConverter)
// and DatasetConverter._find_medias; the test names say which branch.
const attr = (entry: Record<string, unknown>) => resolveDatasetAttr('d', {file_name: 'd.json', ...entry})
const ok = (o: AlignOutcome) => {
  if (o.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(o)}`)
  return o.example
}
const alpaca = attr({})
const OPENAI_TAGS = {role_tag: 'role', content_tag: 'content', user_tag: 'user', assistant_tag: 'assistant', observation_tag: 'tool', function_tag: 'function_call', system_tag: 'system'}

describe('alpaca converter', () => {
  it('prompt = instruction + "\\n" + input; response = output; system/tools default ""', () => {
    expect(ok(alignExample({instruction: 'Translate', input: 'hello', output: 'bonjour'}, alpaca))).toEqual({
      prompt: [{role: 'user', content: 'Translate\nhello'}], response: [{role: 'assistant', content: 'bonjour'}],
      system: '', tools: '', images: null, videos: null, audios: null,
    })
  })
  it('an empty (falsy) input is left out of the join', () => {
    expect(ok(alignExample({instruction: 'q', input: '', output: 'a'}, alpaca)).prompt).toEqual([{role: 'user', content: 'q'}])
  })
  it('empty instruction and input give an empty user turn, which LF keeps', () => {
    expect(alignExample({instruction: '', input: null, output: 'a'}, alpaca)).toMatchObject({kind: 'ok', example: {prompt: [{role: 'user', content: ''}]}})
  })
  it('a non-string instruction is a TypeError in "\\n".join (crash, not a drop)', () => {
    expect(alignExample({instruction: 42, output: 'a'}, alpaca)).toEqual({kind: 'crash', reason: 'non_string_prompt', detail: expect.stringContaining('sequence item 0: expected str instance, int found')})
    expect(alignExample({instruction: 'q', input: ['x'], output: 'a'}, alpaca)).toMatchObject({kind: 'crash', detail: expect.stringContaining('item 1: expected str instance, list found')})
  })
  it('a falsy non-string instruction (0, false, []) is skipped by the truthiness test, not joined', () => {
    expect(ok(alignExample({instruction: 0, input: 'x', output: 'a'}, alpaca)).prompt).toEqual([{role: 'user', content: 'x'}])
  })
  it('a non-string output gives no response (isinstance str fails): the processor drops it later', () => {
    for (const output of [{a: 1}, 7, null, ['x']]) expect(ok(alignExample({instruction: 'q', output}, alpaca)).response).toEqual([])
  })
  it('an empty string output is still a response', () => {
    expect(ok(alignExample({instruction: 'q', output: ''}, alpaca)).response).toEqual([{role: 'assistant', content: ''}])
  })
  it('history pairs come first, as user/assistant turns, contents untouched', () => {
    const a = attr({columns: {prompt: 'instruction', response: 'output', history: 'history'}})
    expect(ok(alignExample({instruction: 'q2', output: 'a2', history: [['q1', 'a1'], ['q0', 3]]}, a)).prompt).toEqual([
      {role: 'user', content: 'q1'}, {role: 'assistant', content: 'a1'}, {role: 'user', content: 'q0'}, {role: 'assistant', content: 3}, {role: 'user', content: 'q2'},
    ])
  })
  it('a history item that is not a pair fails to unpack (crash)', () => {
    const a = attr({columns: {prompt: 'instruction', response: 'output', history: 'history'}})
    expect(alignExample({instruction: 'q', output: 'a', history: [['q1', 'a1', 'x']]}, a)).toMatchObject({kind: 'crash', reason: 'invalid_history', detail: expect.stringContaining('too many values')})
    expect(alignExample({instruction: 'q', output: 'a', history: [5]}, a)).toMatchObject({kind: 'crash', reason: 'invalid_history', detail: expect.stringContaining('non-iterable int')})
  })
  it('a history that is not a list is ignored (isinstance list guard)', () => {
    const a = attr({columns: {prompt: 'instruction', response: 'output', history: 'history'}})
    expect(ok(alignExample({instruction: 'q', output: 'a', history: 'nope'}, a)).prompt).toHaveLength(1)
  })
  it('history is not read with the default columns (history defaults to None)', () => {
    expect(ok(alignExample({instruction: 'q', output: 'a', history: [['x', 'y']]}, alpaca)).prompt).toHaveLength(1)
  })
  it('a partial columns block without response: response column None, so no response (silent)', () => {
    expect(ok(alignExample({q: 'x', output: 'a'}, attr({columns: {prompt: 'q'}}))).response).toEqual([])
  })
  it('kto_tag boolean: [answer, ""] when true, ["", answer] when false', () => {
    const a = attr({columns: {prompt: 'instruction', response: 'output', kto_tag: 'label'}})
    expect(ok(alignExample({instruction: 'q', output: 'a', label: true}, a)).response).toEqual([{role: 'assistant', content: 'a'}, {role: 'assistant', content: ''}])
    expect(ok(alignExample({instruction: 'q', output: 'a', label: false}, a)).response).toEqual([{role: 'assistant', content: ''}, {role: 'assistant', content: 'a'}])
  })
  it('kto_tag not a bool ("true", 1) falls through to the normal branch: one response', () => {
    const a = attr({columns: {prompt: 'instruction', response: 'output', kto_tag: 'label'}})
    expect(ok(alignExample({instruction: 'q', output: 'a', label: 'true'}, a)).response).toHaveLength(1)
    expect(ok(alignExample({instruction: 'q', output: 'a', label: 1}, a)).response).toHaveLength(1)
  })
  it('kto with the response column nulled by a partial block: example[None] is a KeyError', () => {
    expect(alignExample({instruction: 'q', label: true}, attr({columns: {prompt: 'instruction', kto_tag: 'label'}}))).toMatchObject({kind: 'crash', reason: 'missing_column', detail: expect.stringContaining('KeyError: None')})
  })
  it('ranking with string chosen/rejected: two responses', () => {
    const a = attr({ranking: true, columns: {prompt: 'instruction', chosen: 'chosen', rejected: 'rejected'}})
    expect(ok(alignExample({instruction: 'q', chosen: 'good', rejected: 'bad'}, a)).response).toEqual([{role: 'assistant', content: 'good'}, {role: 'assistant', content: 'bad'}])
  })
  it('ranking with a list chosen: not str, falls to the response branch (response None → no response)', () => {
    const a = attr({ranking: true, columns: {prompt: 'instruction', chosen: 'chosen', rejected: 'rejected'}})
    expect(ok(alignExample({instruction: 'q', chosen: ['good'], rejected: 'bad'}, a)).response).toEqual([])
  })
  it('ranking without a chosen column: example[None] is a KeyError', () => {
    expect(alignExample({instruction: 'q', output: 'a'}, attr({ranking: true}))).toMatchObject({kind: 'crash', reason: 'missing_column'})
  })
  it('system and tools columns are passed through as they are', () => {
    const a = attr({columns: {prompt: 'instruction', response: 'output', system: 'sys', tools: 'tools'}})
    expect(ok(alignExample({instruction: 'q', output: 'a', sys: 'be brief', tools: '[]'}, a))).toMatchObject({system: 'be brief', tools: '[]'})
  })
  it('a column the file lacks (per opts.columns) is a KeyError; absent from one record only, it reads as null', () => {
    const a = attr({columns: {prompt: 'instruction', response: 'output', system: 'sys'}})
    expect(alignExample({instruction: 'q', output: 'a'}, a, {columns: new Set(['instruction', 'output'])})).toMatchObject({kind: 'crash', reason: 'missing_column', detail: expect.stringContaining("KeyError: 'sys'")})
    expect(ok(alignExample({instruction: 'q', output: 'a'}, a, {columns: new Set(['instruction', 'output', 'sys'])})).system).toBeNull()
  })
})

describe('media (_find_medias)', () => {
  const a = attr({columns: {prompt: 'instruction', response: 'output', images: 'images'}})
  it('a single path becomes a one-item list; an empty list becomes None', () => {
    expect(ok(alignExample({instruction: '<image>q', output: 'a', images: 'x.png'}, a)).images).toEqual(['x.png'])
    expect(ok(alignExample({instruction: 'q', output: 'a', images: []}, a)).images).toBeNull()
  })
  it('paths are joined to media_dir when that file exists, else kept with LF\'s warning', () => {
    const out = alignExample({instruction: 'q', output: 'a', images: ['a.png', 'b.png', '/abs/c.png']}, a, {mediaDir: 'data', fileExists: (p) => p === 'data/a.png' || p === '/abs/c.png'})
    expect(out).toMatchObject({kind: 'ok', example: {images: ['data/a.png', 'b.png', '/abs/c.png']}, warnings: ['Media b.png does not exist in `media_dir`. Use original path.']})
  })
  it('hub datasets keep their media untouched', () => {
    const hub = resolveDatasetAttr('d', {hf_hub_url: 'org/x', columns: {prompt: 'instruction', response: 'output', images: 'images'}})
    expect(ok(alignExample({instruction: 'q', output: 'a', images: ['a.png']}, hub, {mediaDir: 'data', fileExists: () => true})).images).toEqual(['a.png'])
  })
  it('video frame lists are resolved frame by frame', () => {
    const v = attr({columns: {prompt: 'instruction', response: 'output', videos: 'videos'}})
    expect(ok(alignExample({instruction: 'q', output: 'a', videos: [['f1.jpg', 'f2.jpg']]}, v, {mediaDir: 'm', fileExists: () => true})).videos).toEqual([['m/f1.jpg', 'm/f2.jpg']])
  })
})

describe('sharegpt converter', () => {
  const sg = attr({formatting: 'sharegpt'})
  const turn = (from: string, value: unknown) => ({from, value})
  it('user/assistant turns; the last one is the response', () => {
    const ex = ok(alignExample({conversations: [turn('human', 'q1'), turn('gpt', 'a1'), turn('human', 'q2'), turn('gpt', 'a2')]}, sg))
    expect(ex.prompt.map((m) => m.role)).toEqual(['user', 'assistant', 'user'])
    expect(ex.response).toEqual([{role: 'assistant', content: 'a2'}])
  })
  it('a leading system turn (system_tag) becomes the system prompt', () => {
    expect(ok(alignExample({conversations: [turn('system', 'S'), turn('human', 'q'), turn('gpt', 'a')]}, sg)).system).toBe('S')
  })
  it('without a system turn, system comes from the system column (or "")', () => {
    const withCol = attr({formatting: 'sharegpt', columns: {messages: 'conversations', system: 'sys'}})
    expect(ok(alignExample({conversations: [turn('human', 'q'), turn('gpt', 'a')], sys: 'S2'}, withCol)).system).toBe('S2')
    expect(ok(alignExample({conversations: [turn('human', 'q'), turn('gpt', 'a')]}, sg)).system).toBe('')
  })
  it('system_tag nulled by a partial tags block: the system turn is a turn, and breaks the role order (skip)', () => {
    const partial = attr({formatting: 'sharegpt', tags: {role_tag: 'from', content_tag: 'value', user_tag: 'human', assistant_tag: 'gpt'}})
    expect(alignExample({conversations: [turn('system', 'S'), turn('human', 'q'), turn('gpt', 'a')]}, partial)).toMatchObject({kind: 'skip', reason: 'invalid_role_order', example: {prompt: [], response: []}})
  })
  it('two user turns in a row: "Invalid role tag" skip with empty prompt and response', () => {
    expect(alignExample({conversations: [turn('human', 'q'), turn('human', 'q'), turn('gpt', 'a')]}, sg)).toMatchObject({kind: 'skip', reason: 'invalid_role_order', detail: expect.stringContaining('turn 2')})
  })
  it('starting with the assistant is a role-order skip', () => {
    expect(alignExample({conversations: [turn('gpt', 'a'), turn('human', 'q')]}, sg)).toMatchObject({kind: 'skip', reason: 'invalid_role_order'})
  })
  it('a system turn mid-conversation is a role-order skip', () => {
    expect(alignExample({conversations: [turn('human', 'q'), turn('system', 'S'), turn('gpt', 'a')]}, sg)).toMatchObject({kind: 'skip', reason: 'invalid_role_order'})
  })
  it('observation at odd and function_call at even positions are accepted', () => {
    const ex = ok(alignExample({conversations: [turn('human', 'q'), turn('function_call', '{"name":"f","arguments":{}}'), turn('observation', 'r'), turn('gpt', 'a')]}, sg))
    expect([...ex.prompt, ...ex.response].map((m) => m.role)).toEqual(['user', 'function', 'observation', 'assistant'])
  })
  it('odd message count without ranking: "Invalid message count" skip', () => {
    expect(alignExample({conversations: [turn('human', 'q'), turn('gpt', 'a'), turn('human', 'q2')]}, sg)).toMatchObject({kind: 'skip', reason: 'invalid_message_count', detail: expect.stringContaining('3 turns')})
  })
  it('even message count with ranking: skip; odd count with ranking and dict chosen/rejected: pairwise', () => {
    const r = attr({formatting: 'sharegpt', ranking: true, columns: {messages: 'conversations', chosen: 'chosen', rejected: 'rejected'}})
    expect(alignExample({conversations: [turn('human', 'q'), turn('gpt', 'a')], chosen: turn('gpt', 'c'), rejected: turn('gpt', 'r')}, r)).toMatchObject({kind: 'skip', reason: 'invalid_message_count'})
    const ex = ok(alignExample({conversations: [turn('human', 'q')], chosen: turn('gpt', 'c'), rejected: turn('gpt', 'r')}, r))
    expect(ex.prompt).toEqual([{role: 'user', content: 'q'}])
    expect(ex.response).toEqual([{role: 'assistant', content: 'c'}, {role: 'assistant', content: 'r'}])
  })
  it('ranking with string chosen/rejected (not dicts): the normal branch, prompt[:-1] and response[-1:]', () => {
    const r = attr({formatting: 'sharegpt', ranking: true, columns: {messages: 'conversations', chosen: 'chosen', rejected: 'rejected'}})
    const ex = ok(alignExample({conversations: [turn('human', 'q')], chosen: 'c', rejected: 'r'}, r))
    expect([ex.prompt, ex.response]).toEqual([[], [{role: 'user', content: 'q'}]])
  })
  it('a chosen turn with a user role only warns ("Invalid role tag") and is kept with role user', () => {
    const r = attr({formatting: 'sharegpt', ranking: true, columns: {messages: 'conversations', chosen: 'chosen', rejected: 'rejected'}})
    const out = alignExample({conversations: [turn('human', 'q')], chosen: turn('human', 'c'), rejected: turn('gpt', 'r')}, r)
    expect(out).toMatchObject({kind: 'ok', example: {response: [{role: 'user', content: 'c'}, {role: 'assistant', content: 'r'}]}, warnings: [expect.stringContaining('Invalid role tag')]})
  })
  it('a chosen turn whose role no tag maps is a KeyError', () => {
    const r = attr({formatting: 'sharegpt', ranking: true, columns: {messages: 'conversations', chosen: 'chosen', rejected: 'rejected'}})
    expect(alignExample({conversations: [turn('human', 'q')], chosen: turn('bot', 'c'), rejected: turn('gpt', 'r')}, r)).toMatchObject({kind: 'crash', reason: 'invalid_message', detail: expect.stringContaining("KeyError: 'bot'")})
  })
  it('kto_tag boolean: prompt = turns[:-1], response = [last, ""] or ["", last]', () => {
    const k = attr({formatting: 'sharegpt', columns: {messages: 'conversations', kto_tag: 'label'}})
    const ex = ok(alignExample({conversations: [turn('human', 'q'), turn('gpt', 'a')], label: false}, k))
    expect(ex.response).toEqual([{role: 'assistant', content: ''}, {role: 'assistant', content: 'a'}])
  })
  it('data with role/content read with the default from/value tags: KeyError \'from\' (crash)', () => {
    expect(alignExample({conversations: [{role: 'user', content: 'q'}, {role: 'assistant', content: 'a'}]}, sg)).toMatchObject({kind: 'crash', reason: 'invalid_message', detail: expect.stringContaining("KeyError: 'from'")})
  })
  it('a message missing the role key while others have it reads None (Arrow struct): role-order skip', () => {
    expect(alignExample({conversations: [{value: 'q'}, turn('gpt', 'a')]}, sg)).toMatchObject({kind: 'skip', reason: 'invalid_role_order'})
  })
  it('user/assistant roles with the default human/gpt tags: role-order skip', () => {
    expect(alignExample({conversations: [turn('user', 'q'), turn('assistant', 'a')]}, sg)).toMatchObject({kind: 'skip', reason: 'invalid_role_order', detail: expect.stringContaining("'user'")})
  })
  it('messages column nulled by a partial columns block: KeyError None', () => {
    expect(alignExample({conversations: []}, attr({formatting: 'sharegpt', columns: {system: 'sys'}}))).toMatchObject({kind: 'crash', reason: 'missing_column'})
  })
  it('messages that are not a list: None is a TypeError; "" and {} behave as an empty list', () => {
    expect(alignExample({conversations: null}, sg)).toMatchObject({kind: 'crash', reason: 'invalid_message'})
    expect(alignExample({conversations: 'hello'}, sg)).toMatchObject({kind: 'crash', reason: 'invalid_message'})
    expect(ok(alignExample({conversations: ''}, sg))).toMatchObject({prompt: [], response: []})
  })
  it('a message that is not an object is a TypeError', () => {
    expect(alignExample({conversations: ['hi', turn('gpt', 'a')]}, sg)).toMatchObject({kind: 'crash', reason: 'invalid_message', detail: expect.stringContaining('message 0 is a str')})
  })
  it('an empty conversation is an even count: kept by the converter with no turns', () => {
    expect(ok(alignExample({conversations: []}, sg))).toMatchObject({prompt: [], response: []})
  })
  it('a skipped example still reads tools and media: a missing media column still crashes', () => {
    const m = attr({formatting: 'sharegpt', columns: {messages: 'conversations', images: 'images'}})
    expect(alignExample({conversations: [turn('gpt', 'a')]}, m, {columns: new Set(['conversations'])})).toMatchObject({kind: 'crash', reason: 'missing_column'})
  })
  it('two tags sharing a value map to the later tag (dict literal order)', () => {
    const same = attr({formatting: 'sharegpt', tags: {role_tag: 'from', content_tag: 'value', user_tag: 'u', assistant_tag: 'a', observation_tag: 'u', function_tag: 'fc', system_tag: 'system'}})
    expect(ok(alignExample({conversations: [turn('u', 'q'), turn('a', 'x')]}, same)).prompt).toEqual([{role: 'observation', content: 'q'}])
  })
  it('formatting ShareGPT (not a converter name) crashes every record', () => {
    expect(alignExample({conversations: []}, attr({formatting: 'ShareGPT'}))).toEqual({kind: 'crash', reason: 'unknown_formatting', detail: 'Dataset converter ShareGPT not found.'})
  })
})

describe('openai converter', () => {
  const oa = attr({formatting: 'openai', columns: {messages: 'messages', tools: 'tools'}, tags: OPENAI_TAGS})
  const m = (role: string, content: unknown, extra: Record<string, unknown> = {}) => ({role, content, ...extra})
  it('without tools, the system prompt gets "\\ndetailed thinking off" appended', () => {
    expect(ok(alignExample({messages: [m('system', 'Be nice.'), m('user', 'q'), m('assistant', 'a')]}, oa)).system).toBe('Be nice.\ndetailed thinking off')
  })
  it('no system and no tools: system becomes "detailed thinking off"', () => {
    expect(ok(alignExample({messages: [m('user', 'q'), m('assistant', 'a')]}, oa)).system).toBe('detailed thinking off')
  })
  it('a system already saying "detailed thinking on" is left alone', () => {
    expect(ok(alignExample({messages: [m('system', 'detailed thinking on'), m('user', 'q'), m('assistant', 'a')]}, oa)).system).toBe('detailed thinking on')
  })
  it('with tools, a system prompt gets "\\n" appended; an empty one stays empty', () => {
    const tools = [{type: 'function', function: {name: 'f', parameters: {}}}]
    const ex = ok(alignExample({messages: [m('system', 'S'), m('user', 'q'), m('assistant', 'a')], tools}, oa))
    expect(ex.system).toBe('S\n')
    expect(ex.tools).toBe('[{"type": "function", "function": {"name": "f", "parameters": {}}}]')
    expect(ok(alignExample({messages: [m('user', 'q'), m('assistant', 'a')], tools: '[{"name":"f"}]'}, oa)).system).toBe('')
  })
  it('tool_calls on an assistant turn become a function turn holding json.dumps of the functions', () => {
    const ex = ok(alignExample({messages: [m('user', 'q'), m('assistant', null, {tool_calls: [{id: '1', function: {name: 'f', arguments: '{"x": 1}'}}]}), m('tool', 'r'), m('assistant', 'done')]}, oa))
    expect(ex.prompt[1]).toEqual({role: 'function', content: '[{"name": "f", "arguments": "{\\"x\\": 1}"}]'})
    expect(ex.prompt[2]).toEqual({role: 'observation', content: 'r'})
  })
  it('consecutive tool results are folded into one observation turn', () => {
    const ex = ok(alignExample({messages: [m('user', 'q'), m('assistant', '', {tool_calls: [{function: {name: 'f', arguments: {}}}, {function: {name: 'g', arguments: {}}}]}), m('tool', 'r1'), m('tool', 'r2'), m('assistant', 'a')]}, oa))
    expect(ex.prompt[2]).toEqual({role: 'observation', content: 'r1\n</tool_response>\n<tool_response>\nr2'})
  })
  it('trailing tool results are never flushed: dropped, with a warning', () => {
    const out = alignExample({messages: [m('user', 'q'), m('assistant', '', {tool_calls: [{function: {name: 'f', arguments: {}}}]}), m('tool', 'r')]}, oa)
    expect(out).toMatchObject({kind: 'ok', example: {prompt: [{role: 'user'}], response: [{role: 'function'}]}, warnings: [expect.stringContaining('trailing tool result')]})
  })
  it('a tool_calls entry without "function" is a KeyError', () => {
    expect(alignExample({messages: [m('user', 'q'), m('assistant', '', {tool_calls: [{name: 'f'}]})]}, oa)).toMatchObject({kind: 'crash', reason: 'invalid_message', detail: expect.stringContaining("KeyError: 'function'")})
  })
  it('a role no tag maps (e.g. "developer") is a KeyError, not a skip', () => {
    expect(alignExample({messages: [m('developer', 'x'), m('user', 'q'), m('assistant', 'a')]}, oa)).toMatchObject({kind: 'crash', reason: 'invalid_message', detail: expect.stringContaining("KeyError: 'developer'")})
  })
  it('role order is checked after mapping: user, user is a skip', () => {
    expect(alignExample({messages: [m('user', 'q'), m('user', 'q'), m('assistant', 'a')]}, oa)).toMatchObject({kind: 'skip', reason: 'invalid_role_order'})
  })
  it('a non-string tool result cannot be joined (TypeError)', () => {
    expect(alignExample({messages: [m('user', 'q'), m('assistant', '', {tool_calls: [{function: {name: 'f', arguments: {}}}]}), m('tool', {ok: true}), m('assistant', 'a')]}, oa)).toMatchObject({kind: 'crash', reason: 'non_string_content'})
  })
  it('openai with a tags block naming only role/content: user/assistant map to no tag (KeyError)', () => {
    const plain = attr({formatting: 'openai', columns: {messages: 'messages'}, tags: {role_tag: 'role', content_tag: 'content'}})
    expect(alignExample({messages: [m('user', 'q'), m('assistant', 'a')]}, plain)).toMatchObject({kind: 'crash', reason: 'invalid_message', detail: expect.stringContaining("KeyError: 'user'")})
  })
  it('openai without a tags block reads the from/value defaults: KeyError \'from\'', () => {
    const plain = attr({formatting: 'openai', columns: {messages: 'messages'}})
    expect(alignExample({messages: [m('user', 'q'), m('assistant', 'a')]}, plain)).toMatchObject({kind: 'crash', detail: expect.stringContaining("KeyError: 'from'")})
  })
  it('a skipped openai example still gets the system edit', () => {
    expect(alignExample({messages: [m('assistant', 'a')]}, oa)).toMatchObject({kind: 'skip', example: {system: 'detailed thinking off'}})
  })
})
