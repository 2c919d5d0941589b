/**
 * Cuts added tokens (`<|im_end|>`…) out of a text as the library's dictionary splitter does — scanning left to
 * right, at each position the longest token that starts there — but only stops where a token can start (a
 * regex over their first characters), where the library walks a trie from every character. Most texts hold no
 * added token and come back whole after one native regex scan.
 */
export class AddedTokenSplitter {
  /** Tokens by their first UTF-16 unit, longest first. */
  private readonly byFirst = new Map<number, string[]>()
  private readonly starts: RegExp

  constructor(tokens: string[]) {
    for (const token of new Set(tokens)) {
      if (token.length === 0) continue
      const first = token.charCodeAt(0)
      const group = this.byFirst.get(first)
      if (group) group.push(token)
      else this.byFirst.set(first, [token])
    }
    for (const group of this.byFirst.values()) group.sort((a, b) => b.length - a.length)
    const units = [...this.byFirst.keys()].map((c) => `\\u${c.toString(16).padStart(4, '0')}`)
    this.starts = new RegExp(units.length > 0 ? `[${units.join('')}]` : '$^', 'g')
  }

  split(text: string): string[] {
    const starts = this.starts
    starts.lastIndex = 0
    let out: string[] | undefined
    let from = 0
    for (let m = starts.exec(text); m !== null; m = starts.exec(text)) {
      const at = m.index
      const token = this.byFirst.get(text.charCodeAt(at))!.find((t) => text.startsWith(t, at))
      if (token === undefined) continue
      out ??= []
      if (at > from) out.push(text.slice(from, at))
      out.push(token)
      from = at + token.length
      starts.lastIndex = from
    }
    if (!out) return [text]
    if (from < text.length) out.push(text.slice(from))
    return out
  }
}
