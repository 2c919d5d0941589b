import {gzipSync} from 'node:zlib'
import {describe, expect, it} from 'vitest'

import {readRows} from '../../src/io/read.js'
import {collect, tempFile} from './helpers.js'

const plain = (rows: {record: Record<string, unknown>}[]) => rows.map((r) => ({...r.record}))

describe('csv reader', () => {
  it('parses quoted fields with commas, quotes and newlines, and reports start lines', async () => {
    const csv = 'q,a\r\n"hello, world","say ""hi""\r\nnext line"\r\nplain,row\r\n'
    const rows = await collect(readRows(tempFile('x.csv', csv)))
    expect(plain(rows)).toEqual([
      {q: 'hello, world', a: 'say "hi"\r\nnext line'},
      {q: 'plain', a: 'row'},
    ])
    expect(rows.map((r) => r.line)).toEqual([2, 4])
  })

  it('drops a BOM, sniffs the delimiter and pads short rows', async () => {
    const rows = await collect(readRows(tempFile('x.csv', '\uFEFFa;b;c\n1;2;3\n4;5\n')))
    expect(plain(rows)).toEqual([{a: '1', b: '2', c: '3'}, {a: '4', b: '5', c: ''}])
  })

  it('reads TSV and gzip', async () => {
    const rows = await collect(readRows(tempFile('x.tsv.gz', gzipSync('a\tb\nx,y\tz\n'))))
    expect(plain(rows)).toEqual([{a: 'x,y', b: 'z'}])
  })

  it('keeps a quoted field that spans many chunks', async () => {
    const big = 'x'.repeat(3_000_000) + '\n' + 'y'.repeat(3_000_000)
    const rows = await collect(readRows(tempFile('x.csv', `a,b\n"${big}",1\n2,3\n`)))
    expect(rows).toHaveLength(2)
    expect(rows[0]!.record.a).toBe(big)
    expect(rows[1]!.line).toBe(4)
  })

  it('names the line of an unterminated quote', async () => {
    await expect(collect(readRows(tempFile('x.csv', 'a,b\n1,2\n"open,3\n4,5\n')))).rejects.toMatchObject({
      code: 'E_CSV_QUOTE', exit: 3, location: {line: 3},
    })
  })

  it('rejects rows with more fields than the header', async () => {
    await expect(collect(readRows(tempFile('x.csv', 'a,b\n1,2,3\n')))).rejects.toMatchObject({code: 'E_CSV_FIELDS', location: {line: 2}})
  })

  it('stores __proto__ columns as data', async () => {
    const rows = await collect(readRows(tempFile('x.csv', '__proto__,constructor\n{"polluted":1},x\n')))
    expect(rows[0]!.record.__proto__).toBe('{"polluted":1}')
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})

describe('jsonl reader', () => {
  it('reads objects, skips blank lines, counts lines', async () => {
    const rows = await collect(readRows(tempFile('x.jsonl', '{"a":1}\n\n{"a":2}\r\n{"a":3}')))
    expect(plain(rows)).toEqual([{a: 1}, {a: 2}, {a: 3}])
    expect(rows.map((r) => r.line)).toEqual([1, 3, 4])
  })

  it('fails on a truncated last line with its number', async () => {
    await expect(collect(readRows(tempFile('x.jsonl', '{"a":1}\n{"a":')))).rejects.toMatchObject({code: 'E_JSONL_PARSE', location: {line: 2}})
  })

  it('fails on a non-object line', async () => {
    await expect(collect(readRows(tempFile('x.jsonl', '{"a":1}\n[1,2]\n')))).rejects.toMatchObject({code: 'E_JSONL_NOT_OBJECT', location: {line: 2}})
  })
})

describe('json array reader', () => {
  it('streams elements with their start lines, including brackets and quotes inside strings', async () => {
    const text = '[\n  {"a": "x]}\\"{["},\n  {"a": [1, {"b": 2}]}\n]\n'
    const rows = await collect(readRows(tempFile('x.json', text)))
    expect(plain(rows)).toEqual([{a: 'x]}"{['}, {a: [1, {b: 2}]}])
    expect(rows.map((r) => r.line)).toEqual([2, 3])
  })

  it('rejects an object at the top level with a hint', async () => {
    await expect(collect(readRows(tempFile('x.json', '{\n  "data": []\n}')))).rejects.toMatchObject({code: 'E_JSON_NOT_ARRAY'})
    expect(plain(await collect(readRows(tempFile('y.json', '{"a":1}\n{"a":2}\n'))))).toEqual([{a: 1}, {a: 2}])
  })

  it('rejects a truncated array naming the open element', async () => {
    await expect(collect(readRows(tempFile('x.json', '[{"a":1},\n{"a":')))).rejects.toMatchObject({code: 'E_JSON_TRUNCATED', location: {line: 2}})
  })

  it('gives every element its start line across many chunks (mixed one-line and pretty-printed elements)', async () => {
    const parts: string[] = []
    const lines: number[] = []
    let line = 2
    for (let i = 0; i < 20_000; i++) {
      const element = JSON.stringify({i, text: 'x\\n'.repeat(i % 50)}, null, i % 3 === 0 ? 2 : 0)
      lines.push(line)
      parts.push(element)
      line += element.split('\n').length - 1 + 1
    }
    const rows = await collect(readRows(tempFile('x.json', `[\n${parts.join(',\n')}\n]\n`)))
    expect(rows.map((r) => r.line)).toEqual(lines)
  })

  it('rejects scalar elements', async () => {
    await expect(collect(readRows(tempFile('x.json', '[{"a":1}, 2]')))).rejects.toMatchObject({code: 'E_JSON_NOT_OBJECT'})
  })

  it('handles an element split across chunk boundaries', async () => {
    const records = Array.from({length: 3000}, (_, i) => ({i, s: 'é中'.repeat(i % 50) + '\\"'}))
    const rows = await collect(readRows(tempFile('x.json', JSON.stringify(records, null, 1))))
    expect(plain(rows)).toEqual(records)
  })
})

describe('encoding', () => {
  it('names the byte offset of invalid UTF-8', async () => {
    const bytes = Buffer.concat([Buffer.from('{"a":"ok"}\n{"a":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n')])
    await expect(collect(readRows(tempFile('x.jsonl', bytes)))).rejects.toMatchObject({code: 'E_ENCODING', location: {offset: 17}})
  })

  it('names the file\'s byte offset when a shard reads a byte range (the header, then the range)', async () => {
    const head = 'q,a\n' + 'x,y\n'.repeat(1000)
    const path = tempFile('x.csv', Buffer.concat([Buffer.from(head + 'bad,'), Buffer.from([0xff]), Buffer.from('\n')]))
    const range = {start: 4 + 4 * 500, end: head.length + 7, line: 502, header: 4, delimiter: ','}
    await expect(collect(readRows(path, {range}))).rejects.toMatchObject({code: 'E_ENCODING', location: {offset: head.length + 4}})
    const jsonl = tempFile('x.jsonl', Buffer.concat([Buffer.from('{"a":"ok"}\n'.repeat(100) + '{"a":"'), Buffer.from([0xff]), Buffer.from('"}\n')]))
    await expect(collect(readRows(jsonl, {range: {start: 1100, end: 1110, line: 101}}))).rejects.toMatchObject({code: 'E_ENCODING', location: {offset: 1106}})
  })

  it('decodes GB18030 with --encoding and UTF-16 by its BOM', async () => {
    const gbk = Buffer.from([0x61, 0x0a, 0xc4, 0xe3, 0xba, 0xc3, 0x0a]) // "a\n你好\n"
    expect(plain(await collect(readRows(tempFile('x.csv', gbk), {encoding: 'gb18030'})))).toEqual([{a: '你好'}])
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a\n你好\n', 'utf16le')])
    expect(plain(await collect(readRows(tempFile('x.csv', utf16))))).toEqual([{a: '你好'}])
  })

  it('refuses NUL bytes and empty files', async () => {
    await expect(collect(readRows(tempFile('x.csv', 'a\n\0\n')))).rejects.toMatchObject({code: 'E_ENCODING', location: {offset: 2}})
    await expect(collect(readRows(tempFile('x.jsonl', '')))).rejects.toMatchObject({code: 'E_EMPTY_FILE'})
  })

  it('reports truncated gzip', async () => {
    const gz = gzipSync('{"a":1}\n'.repeat(1000))
    await expect(collect(readRows(tempFile('x.jsonl.gz', gz.subarray(0, gz.length - 20))))).rejects.toMatchObject({code: 'E_GZIP'})
  })
})
