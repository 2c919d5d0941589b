import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterEach, describe, expect, it} from 'vitest'

import {lfFolderFiles} from '../../src/io/dataset-files.js'
import {ALLOWED_FILE_EXTENSIONS, FILEEXT2TYPE, lfFileType} from '../../src/lf/constants.js'

// loader._load_single_dataset: every os.listdir entry is a data file; the type comes from the first one and
// every other must map to the same type through FILEEXT2TYPE.
const dirs: string[] = []
function folder(entries: Record<string, string | null>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lf-folder-'))
  dirs.push(dir)
  for (const [name, content] of Object.entries(entries)) {
    if (content === null) mkdirSync(join(dir, name))
    else writeFileSync(join(dir, name), content)
  }
  return dir
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, {recursive: true, force: true})
})

describe('FILEEXT2TYPE', () => {
  it('is LF\'s table: jsonl reads as json, txt as text', () => {
    expect(FILEEXT2TYPE).toEqual({arrow: 'arrow', csv: 'csv', json: 'json', jsonl: 'json', parquet: 'parquet', txt: 'text'})
    expect(ALLOWED_FILE_EXTENSIONS.join(',')).toBe('arrow,csv,json,jsonl,parquet,txt')
  })
  it('takes the extension as os.path.splitext does: case-sensitive, dotfiles have none', () => {
    expect([lfFileType('a.jsonl'), lfFileType('a.JSON'), lfFileType('.json'), lfFileType('a.tar.gz'), lfFileType('README')]).toEqual(['json', null, null, null, null])
  })
})

describe('lfFolderFiles', () => {
  it('json and jsonl files mix (both are json); files are listed sorted with their paths', () => {
    const dir = folder({'b.jsonl': '{}', 'a.json': '[]'})
    expect(lfFolderFiles(dir)).toEqual({ok: true, type: 'json', files: [join(dir, 'a.json'), join(dir, 'b.jsonl')]})
  })
  it('an empty folder is LF\'s IndexError', () => {
    expect(lfFolderFiles(folder({}))).toMatchObject({ok: false, code: 'empty'})
  })
  it('a README, a dotfile or a sub-folder beside the data breaks the one-type rule', () => {
    for (const stray of [{'README.md': '#'}, {'.DS_Store': ''}, {sub: null}] as Record<string, string | null>[]) {
      expect(lfFolderFiles(folder({'a.jsonl': '{}', ...stray}))).toMatchObject({ok: false, code: 'mixed', offender: Object.keys(stray)[0]})
    }
  })
  it('csv beside parquet: "File types should be identical."', () => {
    expect(lfFolderFiles(folder({'a.csv': 'x', 'b.parquet': 'y'}))).toMatchObject({ok: false, code: 'mixed', message: expect.stringContaining('File types should be identical')})
  })
  it('only unknown types: "Allowed file types"', () => {
    expect(lfFolderFiles(folder({'a.xlsx': 'x'}))).toMatchObject({ok: false, code: 'not_allowed', message: expect.stringContaining('Allowed file types: arrow,csv,json,jsonl,parquet,txt.')})
  })
})
