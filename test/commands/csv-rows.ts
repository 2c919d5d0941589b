/** CSV rows for the plain-row lane's end-to-end tests (convert-lane and convert-threads). */

export interface Rec {instruction: string; input: string; output: string}
export const quote = (s: string) => (/[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replaceAll('"', '""')}"` : s)
export const csvOf = (rows: Rec[], eol = '\n') => 'instruction,input,output' + eol + rows.map((r) => [r.instruction, r.input, r.output].map(quote).join(',')).join(eol) + eol

/** Rows of every kind, in a fixed pseudo-random order (seeded): plain ones, ones normalisation changes, empties, duplicates across both. */
export function mixedRows(n: number, seed: number): Rec[] {
  let s = seed
  const next = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32
  const plain = ['What is 2+2?', '四加四等于几？', '数据 "quoted" and \\ slashes', 'two\nlines', 'tab\tinside', '한국어 질문', 'emoji 🎉 ok']
  const odd = [' padded ', 'e\u0301 decomposed', 'cr\r\nlf', 'bell\u0007', '\u3000ideographic space', 'ﬁ ligature', '']
  const rows: Rec[] = []
  for (let i = 0; i < n; i++) {
    const pick = (list: string[]) => list[Math.floor(next() * list.length)]!
    const r = next()
    if (r < 0.15 && rows.length > 0) {
      // A repeat of an earlier row, sometimes in a form that only normalisation makes equal.
      const earlier = rows[Math.floor(next() * rows.length)]!
      rows.push(next() < 0.5 ? {...earlier} : {...earlier, output: ` ${earlier.output} `})
      continue
    }
    const text = () => (next() < 0.8 ? pick(plain) : pick(odd)) + (next() < 0.7 ? ` #${Math.floor(next() * n / 3)}` : '')
    rows.push({instruction: text(), input: next() < 0.5 ? '' : text(), output: text()})
  }
  return rows
}
