import {beforeAll, describe, expect, it} from 'vitest'

import type {AlignedExample} from '../../src/lf/types.js'
import {pyJsonDumps as pyDumps} from '../../src/lf/py.js'
import {exampleLength} from '../../src/measure/encode.js'
import {TEMPLATES} from '../../src/templates/templates.js'
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
    expect(len).toMatchObject({prompt, response: pieces(qwen, '1. Eat well.\n2. Sleep.\n3. Move.<|im_end|>\n'), total: len.prompt + len.response})
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
    const wrapped = '\n' + pyDumps({type: 'function', function: (JSON.parse(tools) as unknown[])[0]})
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
    expect(e).toMatchObject({prompt: qwen.count('Give three tips for staying healthy.'), response: qwen.count('1. Eat well.\n2. Sleep.\n3. Move.'), total: e.prompt + e.response})
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

// DefaultToolUtils.tool_formatter on `tools` (LF tool_utils.py): the tool prompt every template without its own
// tool format appends to the system text.
const DEFAULT_TOOL_TEXT = 'You have access to the following tools:\n> Tool Name: get_weather\nTool Description: Weather of a city\nTool Args:\n' +
  '  - city (string, required): City name\n\nUse the following format if using a tool:\n```\nAction: tool name (one of [get_weather])\n' +
  'Action Input: the input to the tool, in a JSON format representing the kwargs (e.g. ```{"input": "hello world", "num_beams": 5}```)\n```\n'
const DEFAULT_CALL = 'Action: get_weather\nAction Input: {"city": "Paris"}'
const Q = 'Give three tips for staying healthy.'
const A = '1. Eat well.\n2. Sleep.\n3. Move.'

/**
 * One alpaca and one sharegpt-with-tools example per template, as LF lays them out (template.py): every string
 * slot tokenised on its own, `special` = ids added by BOS/EOS slots and by stop words the tokenizer lacks
 * (fix_special_tokens makes each one id, splitting the text around it). Llama2-style templates fuse the system
 * text (with the tool prompt) into the first user turn and pass the function turn through as bare JSON.
 */
interface Layout {
  tokenizer: 'qwen' | 'llama3'
  prompt: {special: number; texts: string[]}
  response: {special: number; texts: string[]}
}
const layouts: Record<string, {alpaca: Layout; tools: Layout | 'unsupported'}> = {
  default: {
    alpaca: {tokenizer: 'qwen', prompt: {special: 1, texts: [`Human: ${Q}`, '\nAssistant:']}, response: {special: 1, texts: [A, '\n']}},
    tools: {
      tokenizer: 'qwen',
      prompt: {special: 3, texts: [`System: Be brief.${DEFAULT_TOOL_TEXT}`, '\n', 'Human: Weather in Paris?', '\nAssistant:', 'Human: {"temp": 18}', '\nAssistant:']},
      response: {special: 2, texts: [DEFAULT_CALL, '\n', 'It is 18°C.', '\n']},
    },
  },
  empty: {
    alpaca: {tokenizer: 'qwen', prompt: {special: 0, texts: [Q]}, response: {special: 0, texts: [A]}},
    tools: {tokenizer: 'qwen', prompt: {special: 0, texts: [`Be brief.${DEFAULT_TOOL_TEXT}`, 'Weather in Paris?', '{"temp": 18}']}, response: {special: 0, texts: [DEFAULT_CALL, 'It is 18°C.']}},
  },
  chatml: {
    alpaca: {tokenizer: 'qwen', prompt: {special: 0, texts: [`<|im_start|>user\n${Q}<|im_end|>\n<|im_start|>assistant\n`]}, response: {special: 0, texts: [`${A}<|im_end|>\n`]}},
    tools: {
      tokenizer: 'qwen',
      prompt: {special: 0, texts: [`<|im_start|>system\nBe brief.${DEFAULT_TOOL_TEXT}<|im_end|>\n`, '<|im_start|>user\nWeather in Paris?<|im_end|>\n<|im_start|>assistant\n', '<|im_start|>tool\n{"temp": 18}<|im_end|>\n<|im_start|>assistant\n']},
      response: {special: 0, texts: [`${DEFAULT_CALL}<|im_end|>\n`, 'It is 18°C.<|im_end|>\n']},
    },
  },
  deepseek3: {
    // BOS prefix; the Llama 3 tokenizer does not know <｜User｜>, which is not a stop word: plain text.
    alpaca: {tokenizer: 'llama3', prompt: {special: 1, texts: [`<｜User｜>${Q}<｜Assistant｜>`]}, response: {special: 1, texts: [A]}},
    tools: {
      tokenizer: 'llama3',
      prompt: {special: 1, texts: [`Be brief.${DEFAULT_TOOL_TEXT}`, '<｜User｜>Weather in Paris?<｜Assistant｜>', '<｜User｜>{"temp": 18}<｜Assistant｜>']},
      response: {special: 2, texts: [DEFAULT_CALL, 'It is 18°C.']},
    },
  },
  gemma: {
    // BOS prefix; <end_of_turn> is the stop word and new EOS: one id, splitting the slot text around it.
    alpaca: {tokenizer: 'llama3', prompt: {special: 2, texts: [`<start_of_turn>user\n${Q}`, '\n<start_of_turn>model\n']}, response: {special: 1, texts: [A, '\n']}},
    tools: {
      tokenizer: 'llama3',
      prompt: {special: 3, texts: [`<start_of_turn>user\nBe brief.${DEFAULT_TOOL_TEXT}\n\nWeather in Paris?`, '\n<start_of_turn>model\n', '<start_of_turn>tool\n{"temp": 18}', '\n<start_of_turn>model\n']},
      response: {special: 2, texts: [DEFAULT_CALL, '\n', 'It is 18°C.', '\n']},
    },
  },
  llama2: {
    alpaca: {tokenizer: 'llama3', prompt: {special: 1, texts: [`[INST] ${Q} [/INST]`]}, response: {special: 1, texts: [A]}},
    tools: {
      tokenizer: 'llama3',
      prompt: {special: 2, texts: [`[INST] <<SYS>>\nBe brief.${DEFAULT_TOOL_TEXT}\n<</SYS>>\n\nWeather in Paris? [/INST]`, '[INST] {"temp": 18} [/INST]']},
      response: {special: 2, texts: [DEFAULT_CALL, 'It is 18°C.']},
    },
  },
  mistral: {
    alpaca: {tokenizer: 'llama3', prompt: {special: 1, texts: [`[INST] ${Q}[/INST]`]}, response: {special: 1, texts: [` ${A}`]}},
    tools: 'unsupported',
  },
  phi4: {
    // <|im_end|> is a Qwen special token; <|im_sep|> is not, and is not a stop word: plain text.
    alpaca: {tokenizer: 'qwen', prompt: {special: 0, texts: [`<|im_start|>user<|im_sep|>${Q}<|im_end|><|im_start|>assistant<|im_sep|>`]}, response: {special: 0, texts: [`${A}<|im_end|>`]}},
    tools: {
      tokenizer: 'qwen',
      prompt: {special: 0, texts: [`<|im_start|>system<|im_sep|>Be brief.${DEFAULT_TOOL_TEXT}<|im_end|>`, '<|im_start|>user<|im_sep|>Weather in Paris?<|im_end|><|im_start|>assistant<|im_sep|>', '<|im_start|>user<|im_sep|>{"temp": 18}<|im_end|><|im_start|>assistant<|im_sep|>']},
      response: {special: 0, texts: [`${DEFAULT_CALL}<|im_end|>`, 'It is 18°C.<|im_end|>']},
    },
  },
  glm4: {
    // <|user|> is a stop word the Qwen tokenizer lacks (one id); <|assistant|> is not: plain text. One EOS at the end.
    alpaca: {tokenizer: 'qwen', prompt: {special: 1, texts: ['[gMASK]<sop>', `\n${Q}<|assistant|>`]}, response: {special: 1, texts: [`\n${A}`]}},
    tools: 'unsupported',
  },
}

describe('every template: one alpaca and one sharegpt-with-tools example, slot by slot', () => {
  const counters = () => ({qwen, llama3: llama})
  it.each(Object.keys(layouts))('%s', (name) => {
    const {alpaca: al, tools: tl} = layouts[name]!
    const check = (example: AlignedExample, l: Layout) => {
      const c = counters()[l.tokenizer]
      const len = exampleLength(example, TEMPLATES[name]!, c, 'sft')
      expect({prompt: len.prompt, response: len.response}).toEqual({
        prompt: l.prompt.special + pieces(c, ...l.prompt.texts),
        response: l.response.special + pieces(c, ...l.response.texts),
      })
    }
    check(alpaca, al)
    // glm4's and mistral's tool formats are pinned slot by slot in lf-parity.test.ts (LF's own rendering).
    if (tl !== 'unsupported') check(withTools, tl)
  })

  it("default tool format: a union type and a null description print as Python's str() prints them", () => {
    const odd = JSON.stringify([{name: 'f', description: null, parameters: {type: 'object', properties: {x: {type: ['string', 'null'], enum: 'ab', items: {type: 'int'}}}, required: 'x'}}])
    const toolText = "You have access to the following tools:\n> Tool Name: f\nTool Description: None\nTool Args:\n" +
      "  - x (['string', 'null'], required): , should be one of [a, b], where each item should be int\n\n" +
      DEFAULT_TOOL_TEXT.slice(DEFAULT_TOOL_TEXT.indexOf('Use the following')).replace('[get_weather]', '[f]')
    const len = exampleLength({...alpaca, tools: odd}, TEMPLATES.default!, qwen, 'sft')
    expect(len.prompt).toBe(2 + pieces(qwen, `System: ${toolText}`, '\n', `Human: ${Q}`, '\nAssistant:'))
  })

  it('qwen3 with tools: an empty think block opens every assistant side (the function call and the answer)', () => {
    const a = exampleLength(withTools, TEMPLATES.qwen3!, qwen, 'sft')
    const b = exampleLength(withTools, TEMPLATES.qwen3_nothink!, qwen, 'sft')
    expect(a.prompt).toBe(b.prompt)
    expect(a.response).toBe(b.response + 2 * qwen.count('<think>\n\n</think>\n\n'))
  })
})
