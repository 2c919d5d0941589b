import type {RawRecord} from '../io/types.js'
import {alignExample} from './align.js'
import {LF_REASONS, type LfReason} from './drop-reasons.js'
import type {AlignedExample, DatasetAttr, Stage} from './types.js'

export type Verdict =
  | {kept: true; example: AlignedExample}
  | {kept: false; reason: LfReason; detail: string; crash: boolean}

const drop = (reason: LfReason, detail: string): Verdict => ({kept: false, reason, detail, crash: LF_REASONS[reason].effect === 'crash'})

function jsonValid(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/**
 * The dataset processor's rules for the stage (data/processor/*.py): which aligned examples are dropped
 * ("Dropped invalid example") and which would make formatting fail. pt keeps everything with a text.
 */
export function processorVerdict(ex: AlignedExample, stage: Stage): Verdict {
  const p = ex.prompt.length
  const r = ex.response.length
  if (stage === 'pt') {
    const text = ex.prompt[0]?.content
    return typeof text === 'string' ? {kept: true, example: ex} : drop('non_string_content', 'the first prompt message is not text')
  }
  if (p % 2 !== 1) return drop('invalid_prompt_length', p === 0 ? 'the conversation has no prompt turns' : `prompt has ${p} messages; LF needs an odd number ending on a user turn`)
  if (stage === 'sft' && r !== 1) return drop('non_string_response', r === 0 ? 'no string response' : `${r} responses; SFT needs exactly one`)
  if ((stage === 'rm' || stage === 'dpo' || stage === 'kto') && r < 2) return drop('missing_pair', `${r} response(s); ${stage} needs two`)
  for (const m of [...ex.prompt, ...ex.response]) {
    if (typeof m.content !== 'string') return drop('non_string_content', `a ${m.role} turn holds ${m.content === null ? 'null' : typeof m.content}, not text`)
    if (m.role === 'function') {
      const calls = jsonValid(m.content)
      const list = Array.isArray(calls) ? calls : [calls]
      if (calls === undefined || !list.every((c) => typeof c === 'object' && c !== null && 'name' in c && 'arguments' in c)) {
        return drop('invalid_function_json', `function turn is not JSON with name and arguments: ${m.content.slice(0, 60)}`)
      }
    }
  }
  if (ex.system !== null && ex.system !== undefined && typeof ex.system !== 'string') return drop('non_string_content', 'the system prompt is not text')
  if (typeof ex.tools === 'string' && ex.tools !== '' && jsonValid(ex.tools) === undefined) {
    return drop('invalid_tool_json', `tools is not valid JSON: ${JSON.stringify(ex.tools.slice(0, 60))}`)
  }
  return {kept: true, example: ex}
}

/** Converter + processor on one record: does LF train on it for this stage, and if not, why. */
export function lfVerdict(record: RawRecord, attr: DatasetAttr, stage: Stage): Verdict {
  const aligned = alignExample(record, attr)
  if (aligned.kind === 'crash') return drop(aligned.reason, aligned.detail)
  if (aligned.kind === 'skip') return drop(aligned.reason, aligned.detail)
  return processorVerdict(aligned.example, stage)
}
