import {parentPort, workerData} from 'node:worker_threads'

import type {AlignedExample} from '../lf/types.js'
import {exampleLength, type Length} from './encode.js'
import {TEMPLATES} from '../templates/templates.js'
import {TokenCounter} from '../tokenize/counter.js'
import {loadTokenizer} from '../tokenize/load.js'
import type {WorkerSpec} from './pool.js'

/** Worker side of LengthPool: sets up counting once, then measures batches of examples. */
const spec = workerData as WorkerSpec
const counter = spec.counter ? TokenCounter.fromSpec(spec.counter) : loadTokenizer(spec.tokenizer).counter
const {template, stage} = spec
const tpl = TEMPLATES[template]!

parentPort!.on('message', ({id, examples}: {id: number; examples: AlignedExample[]}) => {
  try {
    const lengths: Length[] = examples.map((ex) => exampleLength(ex, tpl, counter, stage))
    parentPort!.postMessage({id, lengths})
  } catch (error) {
    parentPort!.postMessage({id, error: (error as Error).message})
  }
})
