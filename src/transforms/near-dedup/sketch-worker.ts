import {parentPort, workerData} from 'node:worker_threads'

import type {LshShape} from './minhash.js'
import type {PackedTexts} from './shingles.js'
import {TextSketcher} from './sketch.js'

/** Worker side of SketchPool: sketches batches of texts and hands the results, and the texts' buffer for reuse, back without copying. */
const sketcher = new TextSketcher(workerData as LshShape)

parentPort!.on('message', ({id, packed}: {id: number; packed: PackedTexts}) => {
  try {
    const batch = sketcher.sketch(packed)
    const spare = packed.units.buffer as ArrayBuffer
    parentPort!.postMessage({id, batch, spare}, [batch.signatures.buffer as ArrayBuffer, batch.keys.buffer as ArrayBuffer, spare])
  } catch (error) {
    parentPort!.postMessage({id, error: (error as Error).message})
  }
})
