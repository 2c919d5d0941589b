import {parentPort, workerData} from 'node:worker_threads'

import type {AlignedExample, Stage} from '../lf/types.js'
import {exampleLength, type Length} from '../templates/encode.js'
import {TEMPLATES} from '../templates/templates.js'
import {loadTokenizer} from './load.js'

/** Worker side of LengthPool: loads the tokenizer once, then measures batches of examples. */
const {tokenizer, template, stage} = workerData as {tokenizer: string; template: string; stage: Stage}
const {counter} = loadTokenizer(tokenizer)
const tpl = TEMPLATES[template]!

parentPort!.on('message', ({id, examples}: {id: number; examples: AlignedExample[]}) => {
  try {
    const lengths: Length[] = examples.map((ex) => exampleLength(ex, tpl, counter, stage))
    parentPort!.postMessage({id, lengths})
  } catch (error) {
    parentPort!.postMessage({id, error: (error as Error).message})
  }
})
