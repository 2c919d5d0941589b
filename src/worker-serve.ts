import {parentPort, type TransferListItem} from 'node:worker_threads'

/**
 * The worker side of worker-pool.ts, apart from it so that a worker loads nothing else of src/: a worker's
 * start-up is the modules it imports (errors.ts alone pulls in oclif's error classes, ~30 ms a worker).
 */
/** Worker side: answers every request with `handle`'s reply (and the buffers to move back with it). */
export function serveRequests<Request, Reply>(handle: (request: Request) => {reply: Reply; transfer?: TransferListItem[]}): void {
  const port = parentPort!
  port.on('message', ({id, request}: {id: number; request: Request}) => {
    try {
      const {reply, transfer} = handle(request)
      port.postMessage({id, reply}, transfer ?? [])
    } catch (error) {
      port.postMessage({id, error: (error as Error).message})
    }
  })
}
