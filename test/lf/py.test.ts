import {describe, expect, it} from 'vitest'

import {pyEquals, pyJsonDumps, pyStr, pyTruthy, pyTypeName} from '../../src/lf/py.js'

describe('Python value semantics', () => {
  it('truthiness: None, False, 0, "", [] and {} are false; NaN, " " and [0] are true', () => {
    expect([null, undefined, false, 0, '', [], {}].map(pyTruthy)).toEqual(Array(7).fill(false))
    expect([Number.NaN, ' ', [0], {a: 0}, -1, 'false'].map(pyTruthy)).toEqual(Array(6).fill(true))
  })
  it('equality: True == 1, None == None, deep lists and dicts', () => {
    expect([pyEquals(true, 1), pyEquals(false, 0), pyEquals(null, null), pyEquals([1, {a: 'x'}], [1, {a: 'x'}])]).toEqual([true, true, true, true])
    expect([pyEquals('1', 1), pyEquals(null, ''), pyEquals({a: 1}, {a: 1, b: 2})]).toEqual([false, false, false])
  })
  it('type names as Python prints them', () => {
    expect([1, 1.5, 'x', true, null, [], {}].map(pyTypeName)).toEqual(['int', 'float', 'str', 'bool', 'NoneType', 'list', 'dict'])
  })
  // Expected strings printed by CPython 3.11: json.dumps(value, ensure_ascii=False).
  it.each([
    [0.1, '0.1'], [1e-5, '1e-05'], [1.5e-7, '1.5e-07'], [1e16, '1e+16'], [1.5e16, '1.5e+16'], [3.14159, '3.14159'],
    [-0.5, '-0.5'], [1e300, '1e+300'], [2.5e-5, '2.5e-05'], [0.0001, '0.0001'], [100, '100'], [12345678.9, '12345678.9'],
    [{a: [1, 2.5, 'é\n"x\u0001'], b: {}}, '{"a": [1, 2.5, "é\\n\\"x\\u0001"], "b": {}}'], [[], '[]'], [{}, '{}'],
    [[null, true, false], '[null, true, false]'], ['\u2028', '"\u2028"'],
  ])('json.dumps(%j) = %s', (value, expected) => {
    expect(pyJsonDumps(value)).toBe(expected)
  })
})

describe('pyStr: str(x) of a JSON value, as "{}".format prints it', () => {
  it.each([
    ['string', 'string'],
    [null, 'None'],
    [true, 'True'],
    [3, '3'],
    [0.5, '0.5'],
    [['string', 'null'], "['string', 'null']"],
    [["it's", 'a"b', 'c\nd'], `["it's", 'a"b', 'c\\nd']`],
    [{a: 1, b: [true, null]}, "{'a': 1, 'b': [True, None]}"],
    [['中文'], "['中文']"],
  ])('%j → %s', (value, expected) => {
    expect(pyStr(value)).toBe(expected)
  })
})
