import {parentPort, workerData} from 'node:worker_threads'

import type {LshShape} from './minhash.js'
import {TextSketcher} from './sketch.js'

/** Worker side of SketchPool: sketches batches of texts and hands the typed arrays back without copying. */
const sketcher = new TextSketcher(workerData as LshShape)

parentPort!.on('message', ({id, texts}: {id: number; texts: string[]}) => {
  try {
    const batch = sketcher.sketch(texts)
    parentPort!.postMessage({id, batch}, [batch.signatures.buffer as ArrayBuffer, batch.keys.buffer as ArrayBuffer])
  } catch (error) {
    parentPort!.postMessage({id, error: (error as Error).message})
  }
})
