import type {Row} from '../io/types.js'

/** Roles of lfdata's canonical conversation (LF's Role values). */
export type TurnRole = 'user' | 'assistant' | 'observation' | 'function' | 'system'

export interface Turn {
  role: TurnRole
  content: string
}

/** What every example shape shares. `turns` is the conversation; a leading system prompt lives in `system`. */
interface Dialogue {
  system: string
  /** Tool definitions as a JSON string ("" when none). */
  tools: string
  turns: Turn[]
  /**
   * Set when the last user turn came from flat instruction/input columns, so an Alpaca output keeps them
   * apart (the turn's content is LF's join of the two). Cleared by any repair that edits that turn.
   */
  query?: {instruction: string; input: string}
}

/**
 * One example in lfdata's canonical form, between reading and writing. The union makes wrong states
 * unrepresentable: only preference examples have chosen/rejected, only KTO examples a label.
 */
export type Example =
  | ({kind: 'sft'} & Dialogue)
  | ({kind: 'preference'; chosen: string; rejected: string} & Dialogue)
  | ({kind: 'kto'; label: boolean} & Dialogue)
  | {kind: 'text'; text: string}

export type ExampleKind = Example['kind']

/** An example travelling through the convert pipeline with the row it came from. */
export interface Item {
  row: Row
  example: Example
}

/** How stages report a dropped record; `reason` is a stable code (src/transforms/reasons.ts or src/lf/drop-reasons.ts). */
export type DropFn = (row: Row, reason: string, detail: string, extra?: Record<string, unknown>) => void

/** Every string of an example that carries content, in a fixed order (for filters, hashing, shingling). */
export function contentStrings(example: Example): string[] {
  if (example.kind === 'text') return [example.text]
  const out = [example.system, example.tools, ...example.turns.map((t) => t.content)]
  if (example.kind === 'preference') out.push(example.chosen, example.rejected)
  return out
}

/** The parts of an example `--near-fields` can choose from. */
export const NEAR_FIELDS = ['prompt', 'response', 'system', 'tools'] as const
export type NearField = (typeof NEAR_FIELDS)[number]

/**
 * The strings of the chosen parts, in a fixed order. The response is the final assistant turn (KTO and SFT)
 * or chosen + rejected (preference); the prompt is every other turn. Text examples are all response.
 */
export function fieldStrings(example: Example, fields: readonly NearField[]): string[] {
  const want = new Set(fields)
  if (example.kind === 'text') return want.has('prompt') || want.has('response') ? [example.text] : []
  const last = example.turns.at(-1)
  const answerTurn = example.kind !== 'preference' && last?.role === 'assistant'
  const out: string[] = []
  if (want.has('system')) out.push(example.system)
  if (want.has('tools')) out.push(example.tools)
  if (want.has('prompt')) for (const t of answerTurn ? example.turns.slice(0, -1) : example.turns) out.push(t.content)
  if (want.has('response')) {
    if (example.kind === 'preference') out.push(example.chosen, example.rejected)
    else if (answerTurn) out.push(last.content)
  }
  return out
}
