import {readdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {gzipSync} from 'node:zlib'
import {afterAll, describe, expect, it} from 'vitest'

import {tempDir} from '../io/helpers.js'
import {lfdata} from '../e2e.js'

interface BadInput {
  name: string
  file: string
  content: string | Buffer
  /** Exit code convert must give (3 unless the handling is documented otherwise). */
  exit?: number
  /** Documented handling when the input is accepted. */
  accepted?: boolean
  extra?: string[]
}

const big = 'x'.repeat(50 * 1024 * 1024)
const truncated = (b: Buffer) => b.subarray(0, Math.floor(b.length / 2))
const CASES: BadInput[] = [
  {name: 'unterminated quote', file: 'a.csv', content: 'instruction,output\nq,"open\n'},
  {name: 'unterminated quote mid-file', file: 'a.csv', content: 'instruction,output\nq,a\nq,"open\nx,y\n'},
  {name: 'more fields than the header', file: 'a.csv', content: 'instruction,output\nq,a,extra\n'},
  {name: 'malformed quote', file: 'a.csv', content: 'instruction,output\n"q"x,a\n'},
  {name: 'invalid UTF-8 in CSV', file: 'a.csv', content: Buffer.concat([Buffer.from('instruction,output\nq,'), Buffer.from([0xc3, 0x28]), Buffer.from('\n')])},
  {name: 'invalid UTF-8 in JSONL', file: 'a.jsonl', content: Buffer.concat([Buffer.from('{"instruction":"'), Buffer.from([0xff]), Buffer.from('","output":"a"}\n')])},
  {name: 'UTF-16 without BOM', file: 'a.jsonl', content: Buffer.from('{"instruction":"q","output":"a"}\n', 'utf16le')},
  {name: 'GBK bytes as UTF-8', file: 'a.csv', content: Buffer.from([0x71, 0x2c, 0x61, 0x0a, 0xc4, 0xe3, 0x2c, 0x61, 0x0a])},
  {name: 'truncated gzip', file: 'a.jsonl.gz', content: truncated(gzipSync(Buffer.from(Array.from({length: 2000}, (_, i) => JSON.stringify({instruction: `q${i * 7919}`, output: `a${i * 104729}`})).join('\n'))))},
  {name: 'not gzip at all but .gz', file: 'a.jsonl.gz', content: '{"instruction":"q","output":"a"}\n', accepted: true},
  {name: 'truncated JSON array', file: 'a.json', content: '[{"instruction":"q","output":"a"},\n{"instruction":"q2","out'},
  {name: 'truncated JSONL line', file: 'a.jsonl', content: '{"instruction":"q","output":"a"}\n{"instruction":"q2","out'},
  {name: 'JSONL line that is an array', file: 'a.jsonl', content: '{"instruction":"q","output":"a"}\n[1,2]\n'},
  {name: 'JSONL line that is a string', file: 'a.jsonl', content: '"just text"\n'},
  {name: 'JSONL line that is null', file: 'a.jsonl', content: 'null\n'},
  {name: 'object instead of an array', file: 'a.json', content: '{\n  "data": [{"instruction":"q","output":"a"}]\n}\n'},
  {name: 'scalar at the top level', file: 'a.json', content: '42\n'},
  {name: 'array of numbers', file: 'a.json', content: '[1, 2, 3]\n'},
  {name: 'trailing garbage after the array', file: 'a.json', content: '[{"instruction":"q","output":"a"}] extra\n'},
  {name: 'empty file', file: 'a.jsonl', content: ''},
  {name: 'empty CSV', file: 'a.csv', content: ''},
  {name: 'header-only CSV', file: 'a.csv', content: 'instruction,output\n'},
  {name: 'whitespace-only JSONL', file: 'a.jsonl', content: '\n\n  \n'},
  {name: 'empty JSON array', file: 'a.json', content: '[]\n'},
  {name: 'NUL bytes', file: 'a.csv', content: 'instruction,output\nq\0,a\n'},
  {name: 'no column LF can use', file: 'a.jsonl', content: '{"foo":"q","bar":"a"}\n', exit: 2},
  {name: 'every record empty', file: 'a.jsonl', content: '{"instruction":"","output":""}\n{"instruction":"q","output":"  "}\n'},
  {name: '__proto__ and constructor keys', file: 'a.jsonl', content: '{"__proto__":{"polluted":1},"constructor":"c","instruction":"q","output":"a"}\n', accepted: true},
  {name: 'non-string values (numbers, booleans, null)', file: 'a.jsonl', content: '{"instruction":1,"output":true}\n{"instruction":"q","output":null}\n', accepted: true},
  {name: 'objects in text fields', file: 'a.jsonl', content: '{"instruction":{"a":1},"output":[1]}\n'},
  {name: 'CRLF and LF mixed', file: 'a.csv', content: 'instruction,output\r\nq1,a1\nq2,"a\r\n2"\r\n', accepted: true},
  {name: 'semicolon delimiter', file: 'a.csv', content: 'instruction;output\nq, with comma;a\n', accepted: true},
  {name: 'pipe delimiter', file: 'a.csv', content: 'instruction|output\nq|a\n', accepted: true},
  {name: 'unknown extension', file: 'a.xlsx', content: 'PK\x03\x04', exit: 2},
  {name: '50 MB single line', file: 'a.jsonl', content: `{"instruction":"q","output":"${big}"}\n`, accepted: true},
  {name: 'messages that are not a list', file: 'a.jsonl', content: '{"messages":"hello"}\n'},
  {name: 'corrupt parquet', file: 'a.parquet', content: 'PAR1 not really PAR1'},
  {name: 'corrupt arrow', file: 'a.arrow', content: 'ARROW1\0\0garbage'},
]

const stats = {tried: 0}
afterAll(() => console.log(`reliability: ${stats.tried} bad inputs tried through convert (${CASES.length} cases)`))

describe('bad-input corpus through lfdata convert', () => {
  it('has at least 30 cases', () => expect(CASES.length).toBeGreaterThanOrEqual(30))

  it.each(CASES)('$name', async (c) => {
    const dir = tempDir()
    const input = join(dir, c.file)
    writeFileSync(input, c.content)
    const out = join(dir, 'out.jsonl')
    const r = await lfdata(['convert', input, '-o', out, ...(c.extra ?? [])])
    stats.tried++
    expect(r.stderr).not.toMatch(/^\s+at /m)
    expect(r.code).not.toBe(1)
    if (c.accepted) {
      expect(r.code, r.stderr).toBe(0)
      if (c.file.includes('proto')) expect(({} as Record<string, unknown>).polluted).toBeUndefined()
      return
    }
    expect(r.code, r.stderr).toBe(c.exit ?? 3)
    const errorLines = r.stderr.split('\n').filter((l) => l.startsWith('Error: '))
    expect(errorLines).toHaveLength(1)
    if ((c.exit ?? 3) === 3) expect(errorLines[0]).toContain(c.file)
    // Nothing left behind: no output, no temp file.
    expect(readdirSync(dir)).toEqual([c.file])
  })
})
