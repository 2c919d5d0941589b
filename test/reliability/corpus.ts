// The bad-input corpus: malformed (and merely unusual) files generated at test time, each with the handling
// the commands document for it. Shared by the bad-input suite and nothing else, so it stays one list.
import {gzipSync} from 'node:zlib'

export interface BadInput {
  name: string
  file: string
  content: () => string | Buffer
  /** Exit code of convert (and stats): 3 (bad input) unless the handling is documented otherwise. */
  exit?: 0 | 2 | 3
  /** stats' exit code where it differs: stats measures what LF trains on, and has no --map to fix a mapping. */
  statsExit?: 0 | 2 | 3
  /** How the location must read when the error has one: `file:LINE` by default, or a byte offset. */
  where?: 'line' | 'offset' | 'file'
  /** Whether `check` must report an error diagnostic for the file (default: when convert exits 3). */
  checkError?: boolean
  /** LF (pandas / pyarrow) reads the file: `check` must not call it empty or unreadable (LF304–LF306). */
  lfReads?: boolean
  /** What convert must write when it accepts the file. */
  output?: string
}

const QA = '{"instruction":"q","input":"","output":"a"}\n'

const jsonl = (n: number) => Array.from({length: n}, (_, i) => JSON.stringify({instruction: `q${i * 7919}`, output: `a${i * 104729}`})).join('\n')
/** A CSV whose first 1 MiB ends right after `"x"\r`, the `\n` starting the next chunk. */
function crlfAtChunkEnd(): string {
  let text = 'instruction,output\n'
  for (let i = 0; text.length < (1 << 20) - 200; i++) text += `q${i},a${i}\n`
  const tail = 'q,"x"\r'
  text += `p,${'z'.repeat((1 << 20) - text.length - tail.length - 3)}\n${tail}`
  return `${text}\nlast,row\r\n`
}

const half = (b: Buffer) => b.subarray(0, Math.floor(b.length / 2))

export const CASES: BadInput[] = [
  // CSV structure
  {name: 'unterminated quote', file: 'a.csv', content: () => 'instruction,output\nq,"open\n'},
  {name: 'unterminated quote mid-file', file: 'a.csv', content: () => 'instruction,output\nq,a\nq,"open\nx,y\n'},
  {name: 'more fields than the header', file: 'a.csv', content: () => 'instruction,output\nq,a\nq,a,extra\n'},
  {name: 'fewer fields than the header', output: QA, file: 'a.csv', exit: 0, lfReads: true, content: () => 'instruction,input,output\nq,,a\nq\n'},
  {name: 'malformed quote', file: 'a.csv', content: () => 'instruction,output\n"q"x,a\n'},
  // convert cannot know which of two same-named columns holds the data; stats and check read as pandas (LF) does: "output.1".
  {name: 'duplicate header names', file: 'a.csv', statsExit: 0, checkError: false, lfReads: true, content: () => 'instruction,output,output\nq,a,b\n'},
  // Encodings
  {name: 'invalid UTF-8 in CSV', file: 'a.csv', where: 'offset', content: () => Buffer.concat([Buffer.from('instruction,output\nq,'), Buffer.from([0xc3, 0x28]), Buffer.from('\n')])},
  {name: 'invalid UTF-8 in JSONL', file: 'a.jsonl', where: 'offset', content: () => Buffer.concat([Buffer.from('{"instruction":"'), Buffer.from([0xff]), Buffer.from('","output":"a"}\n')])},
  {name: 'overlong UTF-8 encoding', file: 'a.jsonl', where: 'offset', content: () => Buffer.concat([Buffer.from('{"instruction":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('","output":"a"}\n')])},
  {name: 'UTF-16LE without BOM', file: 'a.jsonl', where: 'offset', content: () => Buffer.from('{"instruction":"q","output":"a"}\n', 'utf16le')},
  // lfdata decodes UTF-16 by its BOM; LF reads CSV as UTF-8 and fails, which check must say.
  {name: 'UTF-16LE with BOM', output: QA, file: 'a.csv', exit: 0, checkError: true, content: () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('instruction,output\nq,a\n', 'utf16le')])},
  {name: 'GBK bytes read as UTF-8', file: 'a.csv', where: 'offset', content: () => Buffer.from([0x71, 0x2c, 0x61, 0x0a, 0xc4, 0xe3, 0x2c, 0x61, 0x0a])},
  {name: 'UTF-8 BOM (accepted, dropped)', output: QA, file: 'a.csv', exit: 0, lfReads: true, content: () => '\ufeffinstruction,output\nq,a\n'},
  // Compression
  {name: 'truncated gzip', file: 'a.jsonl.gz', where: 'file', content: () => half(gzipSync(Buffer.from(jsonl(2000))))},
  {name: 'gzip with a corrupt body', file: 'a.jsonl.gz', where: 'file', content: () => {
    const b = gzipSync(Buffer.from(jsonl(500)))
    for (let i = 20; i < 60; i++) b[i] = 0xaa
    return b
  }},
  {name: '.gz name on plain text (accepted)', output: QA, file: 'a.jsonl.gz', exit: 0, content: () => '{"instruction":"q","output":"a"}\n'},
  // JSON and JSONL structure
  {name: 'truncated JSON array', file: 'a.json', content: () => '[{"instruction":"q","output":"a"},\n{"instruction":"q2","out'},
  {name: 'truncated JSONL line', file: 'a.jsonl', content: () => '{"instruction":"q","output":"a"}\n{"instruction":"q2","out'},
  {name: 'JSONL line that is an array', file: 'a.jsonl', content: () => '{"instruction":"q","output":"a"}\n[1,2]\n'},
  {name: 'JSONL line that is a string', file: 'a.jsonl', content: () => '"just text"\n'},
  {name: 'JSONL line that is null', file: 'a.jsonl', content: () => 'null\n'},
  {name: 'two objects on one JSONL line', file: 'a.jsonl', content: () => '{"instruction":"q","output":"a"}{"instruction":"r","output":"b"}\n'},
  {name: 'object instead of an array', file: 'a.json', content: () => '{\n  "data": [{"instruction":"q","output":"a"}]\n}\n'},
  {name: 'scalar at the top level', file: 'a.json', content: () => '42\n'},
  {name: 'array of numbers', file: 'a.json', content: () => '[1, 2, 3]\n'},
  {name: 'trailing garbage after the array', file: 'a.json', content: () => '[{"instruction":"q","output":"a"}] extra\n'},
  {name: 'JSON with comments and trailing comma', file: 'a.json', content: () => '[\n// note\n{"instruction":"q","output":"a"},\n]\n'},
  // Empty inputs
  {name: 'empty JSONL', file: 'a.jsonl', where: 'file', content: () => ''},
  {name: 'empty CSV', file: 'a.csv', where: 'file', content: () => ''},
  {name: 'header-only CSV', file: 'a.csv', where: 'file', content: () => 'instruction,output\n'},
  {name: 'whitespace-only JSONL', file: 'a.jsonl', where: 'file', content: () => '\n\n  \n'},
  {name: 'empty JSON array', file: 'a.json', where: 'file', content: () => '[]\n'},
  // Content
  {name: 'NUL bytes', file: 'a.csv', where: 'offset', content: () => 'instruction,output\nq\0,a\n'},
  {name: 'no column LF can use', file: 'a.jsonl', exit: 2, statsExit: 3, where: 'file', checkError: true, content: () => '{"foo":"q","bar":"a"}\n'},
  {name: 'every record empty (LF trains empty strings)', file: 'a.jsonl', statsExit: 0, where: 'file', checkError: false, content: () => '{"instruction":"","output":""}\n{"instruction":"q","output":"  "}\n'},
  {name: '__proto__ and constructor keys (plain data)', output: QA, file: 'a.jsonl', exit: 0, lfReads: true, content: () => '{"__proto__":{"polluted":1},"constructor":"c","instruction":"q","output":"a"}\n'},
  // LF raises on the first record (TypeError joining a number into the prompt): its run stops, so stats exits 3.
  {name: 'non-string values (numbers, booleans, null)', output: '{"instruction":"1","input":"","output":"true"}\n' + QA, file: 'a.jsonl', exit: 0, statsExit: 3, content: () => '{"instruction":1,"output":true}\n{"instruction":"q","output":null}\n{"instruction":"q","output":"a"}\n'},
  {name: 'objects in text fields', file: 'a.jsonl', where: 'file', checkError: true, content: () => '{"instruction":{"a":1},"output":[1]}\n'},
  {name: 'JSON nested 100,000 deep', file: 'a.jsonl', content: () => `${QA}{"instruction":${'['.repeat(100_000)}${']'.repeat(100_000)},"output":"a"}\n`},
  {name: 'JSON nested 100,000 deep in a column nobody reads', file: 'a.json', content: () => `[{"instruction":"q","output":"a","x":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}]`},
  // Lone surrogates have no UTF-8 form: convert drops the record (lone_surrogate), check flags it (LF432).
  {name: 'lone UTF-16 surrogate in a JSON string', output: QA, file: 'a.jsonl', exit: 0, checkError: true, content: () => '{"instruction":"bad \\ud800 half","output":"a"}\n{"instruction":"q","output":"a"}\n'},
  {name: 'messages that are not a list', file: 'a.jsonl', where: 'file', checkError: true, content: () => '{"messages":"hello"}\n'},
  // Line endings and delimiters
  {name: 'CRLF and LF mixed', output: '{"instruction":"q1","input":"","output":"a1"}\n{"instruction":"q2","input":"","output":"a\\n2"}\n', file: 'a.csv', exit: 0, lfReads: true, content: () => 'instruction,output\r\nq1,a1\nq2,"a\r\n2"\r\n'},
  // A read chunk (1 MiB) that ends between a closing quote and the LF of its CRLF.
  {name: 'CRLF split by a chunk boundary after a closing quote', file: 'a.csv', exit: 0, lfReads: true, content: () => crlfAtChunkEnd()},
  {name: 'CR-only line ends', output: '{"instruction":"q1","input":"","output":"a1"}\n{"instruction":"q2","input":"","output":"a2"}\n', file: 'a.csv', exit: 0, lfReads: true, content: () => 'instruction,output\rq1,a1\rq2,a2\r'},
  {name: 'semicolon delimiter', output: '{"instruction":"q, with comma","input":"","output":"a"}\n', file: 'a.csv', exit: 0, content: () => 'instruction;output\nq, with comma;a\n'},
  {name: 'pipe delimiter', output: QA, file: 'a.csv', exit: 0, content: () => 'instruction|output\nq|a\n'},
  {name: 'tab-separated file named .csv', output: '{"instruction":"q, a","input":"","output":"a"}\n', file: 'a.csv', exit: 0, content: () => 'instruction\toutput\nq, a\ta\n'},
  // Size
  // 0.5 MB of text to tokenise (stats counts ~1 MB/s) padded to 50 MB by a column no command keeps.
  {name: '50 MB single line', file: 'a.jsonl', exit: 0, lfReads: true, content: () => JSON.stringify({instruction: 'q', output: '长文本 long text '.repeat(25_000), padding: 'x'.repeat(50 * 1024 * 1024)}) + '\n'},
  // Other formats
  {name: 'unknown extension', file: 'a.xlsx', exit: 2, checkError: true, content: () => 'PK\x03\x04'},
  {name: 'corrupt parquet', file: 'a.parquet', where: 'file', content: () => 'PAR1 not really PAR1'},
  {name: 'truncated parquet footer', file: 'a.parquet', where: 'file', content: () => Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(64, 7), Buffer.from([0xff, 0xff, 0, 0]), Buffer.from('PAR1')])},
  {name: 'corrupt arrow', file: 'a.arrow', where: 'file', content: () => 'ARROW1\0\0garbage'},
]
