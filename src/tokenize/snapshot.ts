import type {SharedBpeTables} from './bpe-tables.js'
import type {CounterSpec} from './counter.js'

/**
 * A counter's state in one buffer: the tokenizer.json parts it splits with, tokenizer_config.json and the BPE
 * tables' memory. `npm run build` writes one per preset, so a run copies ~25 MB of memory instead of parsing
 * the vocabulary and building the tables (~0.5 s and a large transient heap). The format tag changes whenever
 * the layout of the tables does; a snapshot with another tag is ignored.
 *
 * Layout: header length (uint32 LE), header JSON, then the table buffers in header order. A preset whose
 * vocabulary another preset already has (Llama 3.1 = Llama 3) stores no buffers and names that one
 * (`tablesFrom`): its header still carries its own tokenizer_config.json.
 */
const FORMAT = 'lfdata-counting-4'
const BUFFERS = ['byteIds', 'pairs', 'trie', 'terminal', 'level2', 'chars'] as const

interface Header extends Omit<CounterSpec, 'tables'> {
  format: string
  ignoreMerges: boolean
  charLevel: boolean
  sizes: number[]
  tablesFrom?: string
}

/** The snapshot of `spec`; with `tablesFrom`, without the tables (they are the named snapshot's). */
export function encodeSnapshot(spec: CounterSpec, tablesFrom?: string): Buffer {
  const {tables, ...rest} = spec
  const buffers = tablesFrom ? [] : BUFFERS.map((k) => Buffer.from(tables[k]))
  const header: Header = {format: FORMAT, ...rest, ignoreMerges: tables.ignoreMerges, charLevel: tables.charLevel, sizes: buffers.map((b) => b.length), ...(tablesFrom ? {tablesFrom} : {})}
  const json = Buffer.from(JSON.stringify(header))
  const length = Buffer.alloc(4)
  length.writeUInt32LE(json.length)
  return Buffer.concat([length, json, ...buffers])
}

/** The bytes of a spec's tables and their flags, to tell whether two presets can share them. */
export function tableBytes(spec: CounterSpec): Buffer {
  const {tables} = spec
  return Buffer.concat([Buffer.from([Number(tables.ignoreMerges), Number(tables.charLevel)]), ...BUFFERS.map((k) => Buffer.from(tables[k]))])
}

/**
 * The spec in `data`, its tables copied into shared memory (or, for a `tablesFrom` snapshot, those of the
 * spec `tablesOf` gives for that name); undefined when `data` is another format or the tables are missing.
 */
export function decodeSnapshot(data: Buffer, tablesOf?: (name: string) => CounterSpec | undefined): CounterSpec | undefined {
  if (data.length < 4) return undefined
  const end = 4 + data.readUInt32LE(0)
  let header: Header
  try {
    header = JSON.parse(data.toString('utf8', 4, end)) as Header
  } catch {
    return undefined
  }
  if (header.format !== FORMAT || header.sizes.reduce((a, b) => a + b, end) !== data.length) return undefined
  const {format: _format, sizes, ignoreMerges, charLevel, tablesFrom, ...rest} = header
  if (tablesFrom) {
    const other = tablesOf?.(tablesFrom)
    return other && {...rest, tables: other.tables}
  }
  let at = end
  const shared = sizes.map((size) => {
    const buffer = new SharedArrayBuffer(size)
    data.copy(new Uint8Array(buffer), 0, at, (at += size))
    return buffer
  })
  const tables = Object.fromEntries(BUFFERS.map((k, i) => [k, shared[i]])) as unknown as Omit<SharedBpeTables, 'ignoreMerges' | 'charLevel'>
  return {...rest, tables: {...tables, ignoreMerges, charLevel}}
}
