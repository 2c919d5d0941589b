import {beforeAll, describe, expect, it} from 'vitest'

import type {AlignedExample} from '../../src/lf/types.js'
import {exampleLength} from '../../src/templates/encode.js'
import {TEMPLATES} from '../../src/templates/templates.js'
import {pyDumps} from '../../src/templates/tools.js'
import type {TokenCounter} from '../../src/tokenize/counter.js'
import {loadTokenizer} from '../../src/tokenize/load.js'

let qwen: TokenCounter
let llama: TokenCounter
beforeAll(() => {
  qwen = loadTokenizer('qwen').counter
  llama = loadTokenizer('llama3').counter
})

const alpaca: AlignedExample = {
  prompt: [{role: 'user', content: 'Give three tips for staying healthy.'}],
  response: [{role: 'assistant', content: '1. Eat well.\n2. Sleep.\n3. Move.'}],
  system: '', tools: '', images: null, videos: null, audios: null,
}
const tools = JSON.stringify([{name: 'get_weather', description: 'Weather of a city', parameters: {type: 'object', properties: {city: {type: 'string', description: 'City name'}}, required: ['city']}}])
const withTools: AlignedExample = {
  prompt: [
    {role: 'user', content: 'Weather in Paris?'},
    {role: 'function', content: '{"name": "get_weather", "arguments": {"city": "Paris"}}'},
    {role: 'observation', content: '{"temp": 18}'},
  ],
  response: [{role: 'assistant', content: 'It is 18°C.'}],
  system: 'Be brief.', tools, images: null, videos: null, audios: null,
}

/** Sum of separately tokenised pieces, as LF's _convert_elements_to_ids does. */
const pieces = (c: TokenCounter, ...texts: string[]) => texts.reduce((n, t) => n + c.count(t), 0)

describe('template layouts (LF template.py)', () => {
  it('qwen: default system prompt, one slot per message', () => {
    const len = exampleLength(alpaca, TEMPLATES.qwen!, qwen, 'sft')
    const prompt = pieces(qwen,
      '<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n',
      '<|im_start|>user\nGive three tips for staying healthy.<|im_end|>\n<|im_start|>assistant\n')
    expect(len).toEqual({prompt, response: pieces(qwen, '1. Eat well.\n2. Sleep.\n3. Move.<|im_end|>\n'), total: len.prompt + len.response})
    // The rendered conversation tokenises to the same total here (no merges across slot boundaries).
    expect(len.total).toBe(qwen.encodeLength('<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n<|im_start|>user\nGive three tips for staying healthy.<|im_end|>\n<|im_start|>assistant\n1. Eat well.\n2. Sleep.\n3. Move.<|im_end|>\n'))
  })

  it('qwen3 adds the empty think block to the response; qwen3_nothink does not', () => {
    const think = qwen.count('<think>\n\n</think>\n\n')
    expect(think).toBe(4)
    const a = exampleLength(alpaca, TEMPLATES.qwen3!, qwen, 'sft')
    const b = exampleLength(alpaca, TEMPLATES.qwen3_nothink!, qwen, 'sft')
    expect(a.prompt).toBe(b.prompt)
    expect(a.response).toBe(b.response + think)
    const thought = {...alpaca, response: [{role: 'assistant' as const, content: '<think>\nok\n</think>\n\nDone.'}]}
    expect(exampleLength(thought, TEMPLATES.qwen3!, qwen, 'sft').response).toBe(exampleLength(thought, TEMPLATES.qwen3_nothink!, qwen, 'sft').response)
  })

  it('qwen with tools: tool prompt in the system slot, <tool_call> function turn, tool_response observation', () => {
    const wrapped = '\n' + pyDumps({type: 'function', function: JSON.parse(tools)[0]})
    expect(wrapped).toBe('\n{"type": "function", "function": {"name": "get_weather", "description": "Weather of a city", "parameters": {"type": "object", "properties": {"city": {"type": "string", "description": "City name"}}, "required": ["city"]}}}')
    const toolPrompt = '\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>' + wrapped +
      '\n</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call>'
    const len = exampleLength(withTools, TEMPLATES.qwen!, qwen, 'sft')
    expect(len.prompt).toBe(pieces(qwen,
      `<|im_start|>system\nBe brief.${toolPrompt}<|im_end|>\n`,
      '<|im_start|>user\nWeather in Paris?<|im_end|>\n<|im_start|>assistant\n',
      '<|im_start|>user\n<tool_response>\n{"temp": 18}\n</tool_response><|im_end|>\n<|im_start|>assistant\n'))
    expect(len.response).toBe(pieces(qwen, '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n</tool_call><|im_end|>\n', 'It is 18°C.<|im_end|>\n'))
  })

  it('llama3: BOS prefix is one id; header slots; tools as the llama3 JSON prompt', () => {
    const len = exampleLength(alpaca, TEMPLATES.llama3!, llama, 'sft')
    expect(len.prompt).toBe(1 + pieces(llama, '<|start_header_id|>user<|end_header_id|>\n\nGive three tips for staying healthy.<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n'))
    expect(len.response).toBe(pieces(llama, '1. Eat well.\n2. Sleep.\n3. Move.<|eot_id|>'))
    const t = exampleLength(withTools, TEMPLATES.llama3!, llama, 'sft')
    expect(t.response).toBe(pieces(llama, '{"name": "get_weather", "parameters": {"city": "Paris"}}<|eot_id|>', 'It is 18°C.<|eot_id|>'))
    expect(t.prompt).toBeGreaterThan(100)
  })

  it('default: Human/Assistant slots with EOS ids; empty: the bare response', () => {
    const d = exampleLength(alpaca, TEMPLATES.default!, qwen, 'sft')
    expect(d.prompt).toBe(pieces(qwen, 'Human: Give three tips for staying healthy.', '\nAssistant:') + 1)
    expect(d.response).toBe(pieces(qwen, '1. Eat well.\n2. Sleep.\n3. Move.', '\n') + 1)
    const e = exampleLength(alpaca, TEMPLATES.empty!, qwen, 'sft')
    expect(e).toEqual({prompt: qwen.count('Give three tips for staying healthy.'), response: qwen.count('1. Eat well.\n2. Sleep.\n3. Move.'), total: e.prompt + e.response})
  })

  it('glm4 (efficient_eos) adds one EOS at the end; llama2 fuses the system text into the user turn', () => {
    const g = exampleLength(alpaca, TEMPLATES.glm4!, qwen, 'sft')
    expect(g.response).toBe(pieces(qwen, '\n1. Eat well.\n2. Sleep.\n3. Move.') + 1)
    const withSystem = {...alpaca, system: 'Be kind.'}
    const l2 = exampleLength(withSystem, TEMPLATES.llama2!, llama, 'sft')
    expect(l2.prompt).toBe(1 + pieces(llama, '[INST] <<SYS>>\nBe kind.\n<</SYS>>\n\nGive three tips for staying healthy. [/INST]'))
  })

  it('multi-turn: every turn counted, in order', () => {
    const multi: AlignedExample = {...alpaca, prompt: [{role: 'user', content: 'a'}, {role: 'assistant', content: 'b'}, {role: 'user', content: 'c'}]}
    const len = exampleLength(multi, TEMPLATES.qwen3_nothink!, qwen, 'sft')
    expect(len.prompt).toBe(pieces(qwen, '<|im_start|>user\na<|im_end|>\n<|im_start|>assistant\n', '<|im_start|>user\nc<|im_end|>\n<|im_start|>assistant\n'))
    expect(len.response).toBe(pieces(qwen, 'b<|im_end|>\n', '1. Eat well.\n2. Sleep.\n3. Move.<|im_end|>\n'))
  })

  it('a literal {{idx}} in a user turn becomes the turn number (StringFormatter replaces it after the content), except under llama2-style templates', () => {
    const withIdx = (content: string): AlignedExample => ({...alpaca, prompt: [{role: 'user', content: 'a'}, {role: 'assistant', content: 'b'}, {role: 'user', content}]})
    const q = exampleLength(withIdx('turn {{idx}} {{idx}}'), TEMPLATES.qwen3_nothink!, qwen, 'sft')
    expect(q.prompt).toBe(pieces(qwen, '<|im_start|>user\na<|im_end|>\n<|im_start|>assistant\n', '<|im_start|>user\nturn 1 {{idx}}<|im_end|>\n<|im_start|>assistant\n'))
    const l2 = exampleLength(withIdx('turn {{idx}}'), TEMPLATES.llama2!, llama, 'sft')
    expect(l2.prompt).toBe(2 + pieces(llama, '[INST] a [/INST]', '[INST] turn {{idx}} [/INST]'))
  })

  it('a stop word the tokenizer lacks is one token, as fix_special_tokens registers it (chatml or qwen on a Llama 3 tokenizer)', () => {
    expect(llama.count('<|im_end|>')).toBeGreaterThan(1)
    const len = exampleLength(alpaca, TEMPLATES.chatml!, llama, 'sft')
    // <|im_end|> (the new EOS) and <|im_start|> (an added stop word) are one id each; the rest is ordinary text.
    expect(len.prompt).toBe(3 + pieces(llama, 'user\nGive three tips for staying healthy.', '\n', 'assistant\n'))
    expect(len.response).toBe(1 + pieces(llama, '1. Eat well.\n2. Sleep.\n3. Move.', '\n'))
    // qwen registers only <|im_end|>, so <|im_start|> stays ordinary text
    const q = exampleLength(alpaca, TEMPLATES.qwen3_nothink!, llama, 'sft')
    expect(q.prompt).toBe(1 + pieces(llama, '<|im_start|>user\nGive three tips for staying healthy.', '\n<|im_start|>assistant\n'))
  })
})
