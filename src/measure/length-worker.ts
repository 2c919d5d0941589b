import {workerData} from 'node:worker_threads'

import type {AlignedExample} from '../lf/types.js'
import {TEMPLATES} from '../templates/templates.js'
import {TokenCounter} from '../tokenize/counter.js'
import {loadTokenizer} from '../tokenize/load.js'
import {serveRequests} from '../worker-pool.js'
import {exampleLength, type Length} from './encode.js'
import type {WorkerSpec} from './pool.js'

/** Worker side of LengthPool: sets up counting once, then measures batches of examples. */
const spec = workerData as WorkerSpec
const counter = spec.counter ? TokenCounter.fromSpec(spec.counter) : loadTokenizer(spec.tokenizer).counter
const {template, stage} = spec
const tpl = TEMPLATES[template]!

serveRequests<AlignedExample[], Length[]>((examples) => ({reply: examples.map((ex) => exampleLength(ex, tpl, counter, stage))}))
