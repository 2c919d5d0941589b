import {describe, expect, it} from 'vitest'

import {findJsonError} from '../../src/lf/json-error.js'

/** Text, and what CPython 3.11's json.loads raised on it: msg, lineno, colno, pos. */
const PYTHON: [string, string, number, number, number][] = [
  ["{\n  \"a\": {\"file_name\": \"x\"},\n}", "Expecting property name enclosed in double quotes", 3, 1, 29],
  ["{\n  // note\n  \"a\": 1}", "Expecting property name enclosed in double quotes", 2, 3, 4],
  ["// note\n{}", "Expecting value", 1, 1, 0],
  ["{\"a\": 1\n \"b\": 2}", "Expecting ',' delimiter", 2, 2, 9],
  ["{'a': 1}", "Expecting property name enclosed in double quotes", 1, 2, 1],
  ["{\"a\" 1}", "Expecting ':' delimiter", 1, 6, 5],
  ["{} {}", "Extra data", 1, 4, 3],
  ["", "Expecting value", 1, 1, 0],
  ["  ", "Expecting value", 1, 3, 2],
  ["{\"a\": \"b", "Unterminated string starting at", 1, 7, 6],
  ["{\"a\": \"b\nc\"}", "Invalid control character at", 1, 9, 8],
  ["{\"a\": \"\\q\"}", "Invalid \\escape", 1, 8, 7],
  ["[1,]", "Expecting value", 1, 4, 3],
  ["{\"\u540d\u5b57\ud83d\ude00\": 1,}", "Expecting property name enclosed in double quotes", 1, 11, 10],
  ["{\"a\": \"\\u12\"}", "Invalid \\uXXXX escape", 1, 9, 8],
  ["[1 2]", "Expecting ',' delimiter", 1, 4, 3],
  ["{\"a\":}", "Expecting value", 1, 6, 5],
  ["-", "Expecting value", 1, 1, 0],
  ["01", "Extra data", 1, 2, 1],
  ["[1.]", "Expecting ',' delimiter", 1, 3, 2],
  ["{\"a\": tru}", "Expecting value", 1, 7, 6],
  ["\ufeff{}", "Unexpected UTF-8 BOM (decode using utf-8-sig)", 1, 1, 0],
  ["{\"a\": [1, {\"b\": 2,]}", "Expecting property name enclosed in double quotes", 1, 19, 18],
  ["\"abc", "Unterminated string starting at", 1, 1, 0],
  ["{\"a\":1}\n\n x", "Extra data", 3, 2, 10],
]

describe('findJsonError matches CPython json.loads exactly', () => {
  it.each(PYTHON)('%j → %s line %i column %i (char %i)', (text, reason, line, column, char) => {
    expect(findJsonError(text)).toEqual({reason, line, column, char})
  })
})
