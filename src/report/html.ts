import {UsageError} from '../errors.js'
import {escapeXml} from './escape.js'

/** `--report PATH` writes HTML; any other extension is refused before work starts. */
export function reportPath(path: string): string {
  if (!/\.html?$/i.test(path)) throw new UsageError(`--report ${path}: the report is an HTML page`, {suggestion: 'end the path in .html'})
  return path
}

/** Shared look of lfdata's HTML reports: one file, inline CSS, no script, no request of any kind. */
const CSS = `
:root{--fg:#1d1d1f;--muted:#6b6b70;--line:#e2e2e6;--train:#d9f2dc;--train-b:#2e7d32;--mask:#f1f1f4;--drop:#fff4e5}
*{box-sizing:border-box}body{font:14px/1.5 "DejaVu Sans",system-ui,sans-serif;color:var(--fg);margin:0 auto;max-width:1100px;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:15px;margin:16px 0 6px}.muted{color:var(--muted)}code,pre,.tokens{font-family:"DejaVu Sans Mono",ui-monospace,monospace;font-size:12.5px}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid var(--line);padding:4px 10px;text-align:right}th{background:#fafafa}
td.l,th.l{text-align:left}tr.suggested td{font-weight:bold;background:#fdf1ef}
pre{background:#fafafa;border:1px solid var(--line);padding:8px;white-space:pre-wrap;word-break:break-word;max-height:320px;overflow:auto;margin:4px 0}
.chart svg{max-width:100%;height:auto}.kpis{display:flex;gap:24px;flex-wrap:wrap;margin:12px 0}.kpi b{display:block;font-size:20px}
.tokens{white-space:pre-wrap;word-break:break-word;border:1px solid var(--line);padding:8px;line-height:1.9}
.tok{border-radius:2px;padding:1px 0}.tok.m{background:var(--mask);color:var(--muted)}.tok.t{background:var(--train);box-shadow:inset 0 -2px var(--train-b)}
.tok.alt.m{background:#e6e6ea}.tok.alt.t{background:#c2e8c7}.tok.s{outline:1px solid #999;outline-offset:-1px;font-weight:bold}
.legend span{margin-right:16px}.drop{background:var(--drop);border-left:3px solid #e69500;padding:4px 8px;margin:6px 0}
.cluster{border:1px solid var(--line);padding:8px;margin:8px 0}.kept{border-left:3px solid var(--train-b);padding-left:8px}.removed{border-left:3px solid #e69500;padding-left:8px;margin-left:16px}
`

export const h = escapeXml

/** A complete page; `body` must already be escaped markup. */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${h(title)}</title>
<style>${CSS}</style>
</head>
<body>
${body}
</body>
</html>
`
}

export const num = (x: number) => x.toLocaleString('en-US')
export const pct = (x: number) => `${(x * 100).toFixed(2)}%`

/** A record as indented JSON, cut to `max` characters (the report stays small whatever the data). */
export function recordBlock(record: unknown, max = 2000): string {
  let text = JSON.stringify(record, null, 2) ?? String(record)
  if (text.length > max) text = text.slice(0, max) + `\n… (${num(text.length - max)} more characters)`
  return `<pre>${h(text)}</pre>`
}
