import type {Item, Turn} from './example.js'

/** What --fix-roles changed, by kind of repair (counts of examples). */
export type RepairCounts = Record<'merged_turns' | 'moved_system' | 'dropped_leading' | 'dropped_trailing', number>

const ODD_ROLES = new Set(['user', 'observation']) // LF: positions 1, 3, … (1-based) must be user/observation

/**
 * Repairs conversations LF would skip: a mid-conversation system turn moves into the next user turn,
 * consecutive turns of one role merge (blank line between), leading assistant turns and (for SFT/KTO)
 * a trailing user turn are dropped. What cannot be repaired is left for LF's rules to reject.
 */
export function repairTurns(turns: Turn[], endsWithUser: boolean, counts: RepairCounts): Turn[] {
  let out: Turn[] = []
  let pendingSystem: string[] = []
  let moved = false
  for (const turn of turns) {
    if (turn.role === 'system') {
      pendingSystem.push(turn.content)
      moved = true
      continue
    }
    if (turn.role === 'user' && pendingSystem.length > 0) {
      out.push({role: 'user', content: [...pendingSystem, turn.content].filter(Boolean).join('\n\n')})
      pendingSystem = []
      continue
    }
    out.push({...turn})
  }
  if (moved) counts.moved_system++

  const merged: Turn[] = []
  for (const turn of out) {
    const prev = merged.at(-1)
    if (prev && prev.role === turn.role && (turn.role === 'user' || turn.role === 'assistant')) {
      prev.content = [prev.content, turn.content].filter(Boolean).join('\n\n')
      continue
    }
    merged.push(turn)
  }
  if (merged.length < out.length) counts.merged_turns++
  out = merged

  let start = 0
  while (start < out.length && !ODD_ROLES.has(out[start]!.role)) start++
  if (start > 0) {
    counts.dropped_leading++
    out = out.slice(start)
  }
  const lastIsOdd = out.length > 0 && ODD_ROLES.has(out.at(-1)!.role)
  if (!endsWithUser && lastIsOdd) {
    counts.dropped_trailing++
    out = out.slice(0, -1)
  }
  return out
}

const lastUser = (turns: Turn[]) => turns.findLast((t) => t.role === 'user')?.content

/** Stage: applies repairTurns to every conversation; clears the Alpaca split when the final user turn changed. */
export function fixRoles(counts: RepairCounts): (item: Item) => Item {
  return (item) => {
    const ex = item.example
    if (ex.kind === 'text') return item
    const turns = repairTurns(ex.turns, ex.kind === 'preference', counts)
    const query = ex.query && lastUser(turns) === lastUser(ex.turns) ? ex.query : undefined
    return {row: item.row, example: {...ex, turns, query}}
  }
}

export const emptyRepairCounts = (): RepairCounts => ({merged_turns: 0, moved_system: 0, dropped_leading: 0, dropped_trailing: 0})
