import {createReadStream} from 'node:fs'

import {RecordBatchReader} from 'apache-arrow'

import {InputError} from '../errors.js'
import {toPlain} from './plain.js'
import {newRecord} from './record.js'
import type {ReadOptions, Row} from './types.js'

/**
 * Arrow IPC, stream or file format (.arrow/.feather, and the shards `datasets.save_to_disk` writes), one
 * record batch at a time from a file stream.
 */
export async function* readArrow(path: string, opts: ReadOptions = {}): AsyncGenerator<Row> {
  const stream = createReadStream(path, {highWaterMark: 1 << 20})
  // Count bytes as they are pulled (a 'data' listener would switch the stream to flowing mode and lose data).
  async function* counted(): AsyncGenerator<Uint8Array> {
    for await (const chunk of stream) {
      opts.onBytes?.((chunk as Buffer).length)
      yield chunk as Buffer
    }
  }
  let line = 0
  try {
    const reader = await RecordBatchReader.from(counted())
    for await (const batch of reader) {
      const names = batch.schema.fields.map((f) => f.name)
      const columns = names.map((_, c) => batch.getChildAt(c))
      for (let i = 0; i < batch.numRows; i++) {
        const record = newRecord()
        for (let c = 0; c < names.length; c++) record[names[c]!] = toPlain(columns[c]?.get(i))
        line++
        yield {record, source: path, line}
      }
    }
  } catch (error) {
    if (error instanceof InputError) throw error
    throw new InputError('E_ARROW_CORRUPT', `not a readable Arrow IPC file (${(error as Error).message})`, {
      location: {file: path, record: line + 1},
      suggestion: 'the file is truncated or not Arrow; re-export it (datasets: save_to_disk; pyarrow: ipc.new_stream)',
    })
  } finally {
    stream.destroy()
  }
}
