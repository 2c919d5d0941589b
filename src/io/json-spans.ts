/** Where each top-level member of a JSON object sits in its text, so one entry can change and the rest stay byte-for-byte. */
export interface MemberSpan {
  key: string
  /** Offset of the key's opening quote. */
  start: number
  /** Offset just past the value. */
  end: number
}

/** Spans of the members of the top-level object of `text` (already known to be valid JSON) and its closing brace. */
export function topLevelSpans(text: string): {members: MemberSpan[]; close: number} {
  const members: MemberSpan[] = []
  let i = text.indexOf('{') + 1
  let depth = 0
  let keyStart = -1
  let key = ''
  let valueStarted = false
  for (; i < text.length; i++) {
    const c = text[i]!
    if (c === '"') {
      const from = i
      for (i++; text[i] !== '"'; i++) if (text[i] === '\\') i++
      if (depth === 0 && !valueStarted) {
        keyStart = from
        key = JSON.parse(text.slice(from, i + 1)) as string
      }
      continue
    }
    if (c === ':' && depth === 0) {
      valueStarted = true
      continue
    }
    if (c === '{' || c === '[') depth++
    else if (c === '}' || c === ']') {
      if (depth === 0) {
        if (valueStarted) members.push({key, start: keyStart, end: trimEnd(text, i)})
        return {members, close: i}
      }
      depth--
    } else if (c === ',' && depth === 0) {
      members.push({key, start: keyStart, end: trimEnd(text, i)})
      valueStarted = false
    }
  }
  return {members, close: text.length}
}

function trimEnd(text: string, before: number): number {
  let e = before
  while (e > 0 && /\s/.test(text[e - 1]!)) e--
  return e
}
