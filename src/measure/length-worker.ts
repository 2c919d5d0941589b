import {workerData} from 'node:worker_threads'

import type {AlignedExample} from '../lf/types.js'
import {TokenCounter} from '../tokenize/counter.js'
import {loadTokenizer} from '../tokenize/load.js'
import {serveRequests} from '../worker-serve.js'
import {measureExample, type Measured} from './encode.js'
import type {WorkerSpec} from './pool.js'

/** Worker side of LengthPool: sets up counting once, then measures batches of examples. */
const spec = workerData as WorkerSpec
const counter = spec.counter ? TokenCounter.fromSpec(spec.counter) : loadTokenizer(spec.tokenizer).counter
const {template, stage, options} = spec

serveRequests<AlignedExample[], Measured[]>((examples) => ({reply: examples.map((ex) => measureExample(ex, template, counter, stage, options))}))
