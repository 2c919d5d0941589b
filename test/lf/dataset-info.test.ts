import {describe, expect, it} from 'vitest'

import {checkDatasetInfo, datasetInfoSchema, lineColumn, parseDatasetInfoJson, validateDatasetInfo} from '../../src/lf/dataset-info.js'
import {findJsonError} from '../../src/lf/json-error.js'

function parseError(text: string): {message: string; line: number; bom: boolean} {
  const parsed = parseDatasetInfoJson(text)
  if (parsed.ok) throw new Error('expected a parse error')
  return parsed
}

// Positions and wording follow Python's json module (LF loads the file with json.load).
describe('parseDatasetInfoJson: strict JSON with Python\'s message, line and column', () => {
  it('parses valid JSON', () => {
    expect(parseDatasetInfoJson('{"a": {"file_name": "a.json"}}')).toEqual({ok: true, value: {a: {file_name: 'a.json'}}})
  })
  it('a trailing comma: "Expecting property name enclosed in double quotes" at the closing brace', () => {
    const e = parseError('{\n  "a": {"file_name": "x"},\n}')
    expect(e.message).toBe('Expecting property name enclosed in double quotes: line 3 column 1 (char 29)')
    expect(e.line).toBe(3)
  })
  it('a comment: "Expecting value" where the comment starts', () => {
    expect(findJsonError('{\n  // note\n  "a": 1}')).toEqual({reason: 'Expecting property name enclosed in double quotes', line: 2, column: 3, char: 4})
    expect(findJsonError('// note\n{}')).toMatchObject({reason: 'Expecting value', line: 1, column: 1})
  })
  it('a missing comma between entries: "Expecting \',\' delimiter"', () => {
    expect(findJsonError('{"a": 1\n "b": 2}')).toEqual({reason: "Expecting ',' delimiter", line: 2, column: 2, char: 9})
  })
  it('single quotes, a missing colon, extra data, an empty file', () => {
    expect(findJsonError("{'a': 1}")?.reason).toBe('Expecting property name enclosed in double quotes')
    expect(findJsonError('{"a" 1}')).toMatchObject({reason: "Expecting ':' delimiter", char: 5})
    expect(findJsonError('{} {}')).toMatchObject({reason: 'Extra data', char: 3})
    expect(findJsonError('')).toMatchObject({reason: 'Expecting value', line: 1, column: 1, char: 0})
    expect(findJsonError('  ')).toMatchObject({reason: 'Expecting value', column: 3})
  })
  it('strings: unterminated, raw control character, bad escape', () => {
    expect(findJsonError('{"a": "b')).toMatchObject({reason: 'Unterminated string starting at', char: 6})
    expect(findJsonError('{"a": "b\nc"}')).toMatchObject({reason: 'Invalid control character at', char: 8})
    expect(findJsonError('{"a": "\\q"}')).toMatchObject({reason: 'Invalid \\escape', char: 7})
  })
  it('trailing comma in an array: "Expecting value" at the bracket', () => {
    expect(findJsonError('[1,]')).toMatchObject({reason: 'Expecting value', char: 3})
  })
  it('columns count characters (code points), not UTF-16 units', () => {
    expect(findJsonError('{"名字😀": 1,}')).toMatchObject({line: 1, column: 11, char: 10})
  })
  it('a UTF-8 BOM fails as json.load fails on it', () => {
    const e = parseError('\uFEFF{}')
    expect(e.message).toContain('Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)')
    expect(e.bom).toBe(true)
  })
  it('valid JSON JSON.parse accepts is accepted by the scanner too', () => {
    for (const text of ['{}', '[]', '{"a": [1, -2.5e3, true, false, null, "\\u00e9\\n"]}', ' {"a" : {"b":{}}} \n']) expect(findJsonError(text)).toBeUndefined()
  })
  it('lineColumn gives 1-based line and column of an offset', () => {
    expect(lineColumn('{\n  "a": 1\n}', 4)).toEqual({line: 2, column: 3})
  })
})

describe('validateDatasetInfo / checkDatasetInfo', () => {
  it('a valid file has no problems', () => {
    const info = {a: {file_name: 'a.json'}, b: {hf_hub_url: 'org/b', formatting: 'sharegpt', ranking: true, columns: {messages: 'conversations'}, tags: {role_tag: 'from'}}}
    expect(validateDatasetInfo(info)).toEqual([])
    expect(checkDatasetInfo(info)).toEqual({errors: [], warnings: []})
  })
  it('an entry without any source key is an error', () => {
    expect(validateDatasetInfo({a: {formatting: 'alpaca'}})).toEqual([{path: 'a', message: expect.stringContaining('no source'), severity: 'error'}])
  })
  it('formatting outside alpaca|sharegpt|openai is an error', () => {
    expect(validateDatasetInfo({a: {file_name: 'x', formatting: 'ShareGPT'}})).toEqual([{path: 'a.formatting', message: 'must be one of alpaca, sharegpt, openai', severity: 'error'}])
  })
  it('unknown entry keys warn (LF ignores them); unknown columns/tags keys are errors (the key meant stays null)', () => {
    const {errors, warnings} = checkDatasetInfo({a: {file_name: 'x', max_samples: 10, columns: {instruction: 'q'}, tags: {speaker: 'from'}}})
    expect(warnings).toEqual([{path: 'a.max_samples', message: 'unknown key "max_samples" (LF ignores it)', severity: 'warning'}, expect.objectContaining({path: 'a.tags'})])
    expect(errors.map((e) => e.path).sort()).toEqual(['a.columns.instruction', 'a.tags.speaker'])
  })
  it('wrong value types are errors: ranking "true", num_samples 0, columns value not a string', () => {
    const paths = validateDatasetInfo({a: {file_name: 'x', ranking: 'true', num_samples: 0, columns: {prompt: 1}}}).map((p) => p.path).sort()
    expect(paths).toEqual(['a.columns.prompt', 'a.num_samples', 'a.ranking'])
  })
  it('a top-level value that is not an object of entries is an error', () => {
    expect(validateDatasetInfo([])).toMatchObject([{path: '', severity: 'error'}])
    expect(validateDatasetInfo({a: 'x.json'})).toMatchObject([{path: 'a', message: 'must be object'}])
  })
  it('warns about what LF ignores: several sources, tags with alpaca, messages with alpaca, alpaca columns with sharegpt', () => {
    const {warnings} = checkDatasetInfo({
      a: {file_name: 'x', hf_hub_url: 'org/x', tags: {role_tag: 'from'}, columns: {messages: 'm'}},
      b: {file_name: 'y', formatting: 'sharegpt', columns: {messages: 'm', response: 'out'}},
    })
    expect(warnings.map((w) => w.path)).toEqual(['a', 'a.tags', 'a.columns.messages', 'b.columns.response'])
    expect(warnings[0]!.message).toContain('LF uses hf_hub_url')
  })
  it('the exported schema is draft-07 and names every entry key', () => {
    expect(datasetInfoSchema.$schema).toContain('draft-07')
    expect(Object.keys(datasetInfoSchema.additionalProperties.properties).sort()).toEqual(
      ['cloud_file_name', 'columns', 'file_name', 'folder', 'formatting', 'hf_hub_url', 'ms_hub_url', 'num_samples', 'om_hub_url', 'ranking', 'script_url', 'split', 'subset', 'tags'],
    )
  })
})
