import {parentPort, workerData} from 'node:worker_threads'

import type {LshShape} from './minhash.js'
import type {PackedTexts} from './shingles.js'
import {TextSketcher} from './sketch.js'

/** Worker side of SketchPool: sketches batches of texts and hands the typed arrays back without copying. */
const sketcher = new TextSketcher(workerData as LshShape)

parentPort!.on('message', ({id, packed}: {id: number; packed: PackedTexts}) => {
  try {
    const batch = sketcher.sketch(packed)
    parentPort!.postMessage({id, batch}, [batch.signatures.buffer as ArrayBuffer, batch.keys.buffer as ArrayBuffer])
  } catch (error) {
    parentPort!.postMessage({id, error: (error as Error).message})
  }
})
