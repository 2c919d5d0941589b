import {serveRequests} from '../worker-serve.js'
import {fingerprinter} from './exact-dedup.js'
import type {ChunkReply, ChunkRequest} from './plain-csv-read.js'
import {EncodedBatch, laneChunk, LaneRows, outSizeFor, SpareBuffers} from './plain-csv.js'

/**
 * Worker side of the parallel lane (plain-csv-read.ts): runs the lane over one chunk of whole rows of the CSV
 * (read and cut by the main thread's boundary scan); answers with its batches and other rows in order,
 * sharing its buffers with the main thread, which sends them back with later chunks for reuse. Each request
 * says which file and layout it is, so a worker holds nothing of a run and can start before the run is known
 * (warm-workers.ts).
 */
const fingerprints = await fingerprinter()
const spares = new SpareBuffers(2)
const take = (size: number) => spares.take(size)

serveRequests<ChunkRequest, ChunkReply>(({work, range, bytes, spares: given}) => {
  for (const memory of given) spares.give(memory)
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const {items, stop, line} = laneChunk(buf, new LaneRows(work.path, work.layout, work.columns, fingerprints, range.line, take, outSizeFor(buf)))
  const rows: ArrayBuffer[] = []
  const sent = items.map((item) => {
    if (!(item instanceof EncodedBatch)) return {line: item.line, cells: work.layout.header.map((h) => item.record[h] as string)}
    const parts = item.parts()
    rows.push(parts.rows.buffer as ArrayBuffer)
    return parts
  })
  // The bytes and JSON lines are in shared buffers (SpareBuffers); only the batches' numbers move.
  return {reply: {buf, items: sent, stop, line}, transfer: rows}
})
