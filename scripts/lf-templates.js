#!/usr/bin/env node
/**
 * npm run lf-templates -- PATH_TO_LF_CHECKOUT [--emit]
 *
 * Reads LF's data/template.py statically (no Python), turns every register_template call into a row of
 * lfdata's template table (src/templates/table.ts), and lists the templates the table lacks, has in excess,
 * or describes differently. With --emit it prints the rows of the checkout as TypeScript, ready to paste.
 * Exit 0 when the table matches, 1 when it does not.
 */
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

import {topLevelCalls} from './lf-py-literal.js'

const CLASSES = {Template: undefined, ReasoningTemplate: 'reasoning', Llama2Template: 'llama2', Glm47ReasoningTemplate: 'glm47', MossVLTemplate: 'mossvl'}

function slots(formatter, where) {
  const value = formatter.kwargs.slots ?? formatter.args[0] ?? []
  return value.map((s) => {
    if (typeof s === 'string') return s
    if (s.set) {
      // _convert_elements_to_ids: a set means BOS if it holds "bos_token", else EOS if "eos_token", else nothing.
      if (s.set.includes('bos_token')) return {special: 'bos'}
      if (s.set.includes('eos_token')) return {special: 'eos'}
      return {ignoredSet: s.set}
    }
    if (s.dict && typeof s.dict.token === 'string') return {token: s.dict.token}
    throw new Error(`${where}: unexpected slot ${JSON.stringify(s)}`)
  })
}

function formatterOf(kind, value, where) {
  if (!value.call) throw new Error(`${where}: ${kind} is not a formatter call`)
  if (kind === 'tools') {
    if (value.call === 'ToolFormatter') return value.kwargs.tool_format ?? 'default'
    if (value.call === 'StringFormatter') return {slots: slots(value, where)}
  }
  if (kind === 'function' && value.call === 'FunctionFormatter') return {slots: slots(value, where), toolFormat: value.kwargs.tool_format ?? 'default'}
  if (kind === 'prefix' && value.call === 'EmptyFormatter') return slots(value, where)
  if (value.call === 'StringFormatter' && kind !== 'prefix') return slots(value, where)
  throw new Error(`${where}: ${kind} uses ${value.call}, which the table cannot describe`)
}

/** One register_template call → a table row (only what the call sets; register() fills LF's defaults). */
export function rowOf(call) {
  const kw = call.kwargs
  const where = `template.py:${call.line}`
  const row = {name: kw.name}
  const map = {format_user: 'user', format_assistant: 'assistant', format_system: 'system', format_function: 'function', format_observation: 'observation', format_tools: 'tools', format_prefix: 'prefix'}
  for (const [key, value] of Object.entries(kw)) {
    if (key === 'name') continue
    if (key in map) row[map[key]] = formatterOf(map[key], value, where)
    else if (key === 'default_system') row.defaultSystem = value
    else if (key === 'stop_words') row.stopWords = value
    else if (key === 'thought_words') row.thoughtWords = value
    else if (key === 'tool_call_words') row.toolCallWords = value
    else if (key === 'efficient_eos') row.efficientEos = value
    else if (key === 'replace_eos') row.replaceEos = value
    else if (key === 'replace_jinja_template') row.replaceJinja = value
    else if (key === 'enable_thinking') row.enableThinking = value
    else if (key === 'preserve_thinking') row.preserveThinking = value
    else if (key === 'template_class') {
      if (!(value.ref in CLASSES)) throw new Error(`${where}: unknown template class ${value.ref}`)
      if (CLASSES[value.ref]) row.cls = CLASSES[value.ref]
    } else if (key === 'mm_plugin') {
      const {name, ...tokens} = value.kwargs
      const plugin = name ?? value.args[0]
      if (plugin !== 'base') row.mm = {plugin, ...tokens}
    } else throw new Error(`${where}: register_template argument ${key} is not in the table's vocabulary`)
  }
  return row
}

export function readLfTemplates(lfDir) {
  const file = join(lfDir, 'src/llamafactory/data/template.py')
  if (!existsSync(file)) throw new Error(`${file} does not exist (give the root of a LLaMA-Factory checkout)`)
  return topLevelCalls(readFileSync(file, 'utf8'), 'register_template').map(rowOf)
}

const lit = (v) => (typeof v === 'string' ? JSON.stringify(v) : v === null ? 'null' : typeof v === 'boolean' || typeof v === 'number' ? String(v) : undefined)
function ts(v) {
  const l = lit(v)
  if (l !== undefined) return l
  if (Array.isArray(v)) return `[${v.map(ts).join(', ')}]`
  if (v.special) return v.special.toUpperCase()
  return `{${Object.entries(v).map(([k, x]) => `${/^[A-Za-z_]\w*$/.test(k) ? k : JSON.stringify(k)}: ${ts(x)}`).join(', ')}}`
}

/** A row as a line of TypeScript for src/templates/table.ts. */
export const emitRow = (row) => `  ${ts(row)},`

async function main() {
  const args = process.argv.slice(2)
  const lfDir = args.find((a) => !a.startsWith('--'))
  if (!lfDir) {
    console.error('usage: npm run lf-templates -- PATH_TO_LF_CHECKOUT [--emit]')
    process.exit(2)
  }
  const rows = readLfTemplates(lfDir)
  if (args.includes('--emit')) {
    for (const row of rows) console.log(emitRow(row))
    return
  }
  const dist = new URL('../dist/templates/templates.js', import.meta.url)
  const {TEMPLATES, resolveRow} = await import(pathToFileURL(dist.pathname).href)
  const theirs = new Map(rows.map((r) => [r.name, resolveRow(r)]))
  let differences = 0
  for (const [name, t] of theirs) {
    const ours = TEMPLATES[name]
    if (!ours) {
      console.log(`missing   ${name}\n  add: ${emitRow(rows.find((r) => r.name === name)).trim()}`)
      differences++
      continue
    }
    for (const key of Object.keys(t)) {
      if (JSON.stringify(t[key]) !== JSON.stringify(ours[key])) {
        console.log(`different ${name}.${key}\n  LF:     ${JSON.stringify(t[key])}\n  lfdata: ${JSON.stringify(ours[key])}`)
        differences++
      }
    }
  }
  for (const name of Object.keys(TEMPLATES)) {
    if (!theirs.has(name)) {
      console.log(`extra     ${name} (not registered in this checkout)`)
      differences++
    }
  }
  console.log(`${rows.length} templates in ${lfDir}, ${Object.keys(TEMPLATES).length} in lfdata's table: ${differences === 0 ? 'identical' : `${differences} difference(s)`}`)
  process.exit(differences === 0 ? 0 : 1)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e) => {
    console.error(`Error: ${e.message}`)
    process.exit(2)
  })
}
