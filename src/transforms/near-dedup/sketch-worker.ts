import {workerData} from 'node:worker_threads'

import {serveRequests} from '../../worker-serve.js'
import type {LshShape} from './minhash.js'
import type {PackedTexts} from './shingles.js'
import {TextSketcher} from './sketch.js'
import type {SketchReply} from './sketch-pool.js'

/** Worker side of SketchPool: sketches batches of texts and hands the results, and the texts' buffer for reuse, back without copying. */
const sketcher = new TextSketcher(workerData as LshShape)

serveRequests<PackedTexts, SketchReply>((packed) => {
  const batch = sketcher.sketch(packed)
  const spare = packed.units.buffer as ArrayBuffer
  return {reply: {batch, spare}, transfer: [batch.signatures.buffer as ArrayBuffer, batch.keys.buffer as ArrayBuffer, spare]}
})
