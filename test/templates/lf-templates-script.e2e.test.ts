/** scripts/lf-templates.js against a made-up LF checkout: it names templates missing, extra or different. */
import {spawnSync} from 'node:child_process'
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {TEMPLATES} from '../../src/templates/templates.js'
import {tempDir} from '../io/helpers.js'

const SOURCE = `
register_template(
    name="empty",
    format_assistant=StringFormatter(slots=["{{content}}"]),
)

# a comment, and a template lfdata does not have
register_template(
    name="brand_new",
    format_user=StringFormatter(slots=["<u>{{content}}</u>" "\\n"]),
    format_prefix=EmptyFormatter(slots=[{"bos_token"}]),
    thought_words=("<t>", "</t>"),
    template_class=ReasoningTemplate,
)

register_template(
    name="chatml",
    format_user=StringFormatter(slots=["<|im_start|>USER\\n{{content}}<|im_end|>\\n<|im_start|>assistant\\n"]),
    format_assistant=StringFormatter(slots=["{{content}}<|im_end|>\\n"]),
    format_system=StringFormatter(slots=["<|im_start|>system\\n{{content}}<|im_end|>\\n"]),
    format_observation=StringFormatter(slots=["<|im_start|>tool\\n{{content}}<|im_end|>\\n<|im_start|>assistant\\n"]),
    stop_words=["<|im_end|>", "<|im_start|>"],
    replace_eos=True,
    replace_jinja_template=True,
)
`

function checkout(): string {
  const dir = tempDir('lf-')
  mkdirSync(join(dir, 'src/llamafactory/data'), {recursive: true})
  writeFileSync(join(dir, 'src/llamafactory/data/template.py'), SOURCE)
  return dir
}

describe('npm run lf-templates', () => {
  it('reads register_template calls statically into table rows (--emit)', () => {
    const run = spawnSync(process.execPath, ['scripts/lf-templates.js', checkout(), '--emit'], {encoding: 'utf8'})
    expect(run.status, run.stderr).toBe(0)
    const lines = run.stdout.trim().split('\n')
    expect(lines.map((l) => /name: "([^"]+)"/.exec(l)?.[1])).toEqual(['empty', 'brand_new', 'chatml'])
    expect(lines[1]!.trim()).toBe('{name: "brand_new", user: ["<u>{{content}}</u>\\n"], prefix: [BOS], thoughtWords: ["<t>", "</t>"], cls: "reasoning"},')
  })

  it('lists the templates the table lacks, has in excess, or describes differently, and exits 1', () => {
    const run = spawnSync(process.execPath, ['scripts/lf-templates.js', checkout()], {encoding: 'utf8'})
    expect(run.status).toBe(1)
    expect(run.stdout).toContain('missing   brand_new')
    expect(run.stdout).toContain("add: {name: \"brand_new\"")
    expect(run.stdout).toMatch(/different chatml\.user\n {2}LF: {5}\["<\|im_start\|>USER/)
    expect(run.stdout).not.toContain('different empty')
    expect(run.stdout).toContain('extra     qwen (not registered in this checkout)')
    expect(run.stdout).toMatch(new RegExp(`3 templates in \\S+, ${Object.keys(TEMPLATES).length} in lfdata's table: \\d+ difference\\(s\\)`))
  })
})
