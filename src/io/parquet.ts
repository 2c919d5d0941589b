import {asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, type FileMetaData} from 'hyparquet'
import {compressors} from 'hyparquet-compressors'

import {InputError} from '../errors.js'
import {toPlain} from './plain.js'
import {newRecord} from './record.js'
import type {ReadOptions, Row} from './types.js'

/**
 * Parquet, one row group at a time (hyparquet reads byte ranges of the file, so memory holds one group,
 * never the file). Codecs from hyparquet-compressors (snappy, gzip, zstd, brotli, lz4). Nested columns
 * (a `messages` list of structs) come back as plain arrays and objects.
 */
export async function* readParquet(path: string, opts: ReadOptions = {}): AsyncGenerator<Row> {
  const file = await asyncBufferFromFile(path)
  let metadata: FileMetaData
  try {
    metadata = await parquetMetadataAsync(file)
  } catch (error) {
    throw new InputError('E_PARQUET_CORRUPT', `not a readable Parquet file (${(error as Error).message})`, {
      location: {file: path},
      suggestion: 'the file is truncated or not Parquet; re-download or re-export it',
    })
  }
  let rowStart = 0
  for (const [g, group] of metadata.row_groups.entries()) {
    const rowEnd = rowStart + Number(group.num_rows)
    let rows: Record<string, unknown>[]
    try {
      rows = await parquetReadObjects({file, metadata, rowStart, rowEnd, compressors})
    } catch (error) {
      throw new InputError('E_PARQUET_CORRUPT', `cannot decode row group ${g} (${(error as Error).message})`, {location: {file: path, record: rowStart + 1}})
    }
    opts.onBytes?.(Number(group.total_byte_size))
    for (const [i, row] of rows.entries()) {
      const record = newRecord()
      for (const key of Object.keys(row)) record[key] = toPlain(row[key])
      yield {record, source: path, line: rowStart + i + 1}
    }
    rowStart = rowEnd
  }
}
