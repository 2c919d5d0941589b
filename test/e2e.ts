import {spawn} from 'node:child_process'
import {fileURLToPath} from 'node:url'

const BIN = fileURLToPath(new URL('../bin/run.js', import.meta.url))

export interface RunResult {
  code: number
  stdout: string
  stderr: string
  /** stdout parsed as JSON when it is JSON. */
  json?: any
}

/** Spawns the built CLI (`node bin/run.js ...`) in `cwd`, feeding `stdin` if given. */
export function lfdata(args: string[], opts: {cwd?: string; stdin?: string | Buffer; env?: Record<string, string>} = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {cwd: opts.cwd, env: {...process.env, NO_COLOR: '1', ...opts.env}})
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (d: Buffer) => out.push(d))
    child.stderr.on('data', (d: Buffer) => err.push(d))
    child.on('error', reject)
    child.on('close', (code) => {
      const stdout = Buffer.concat(out).toString('utf8')
      let json
      try {
        json = JSON.parse(stdout)
      } catch {
        json = undefined
      }
      resolve({code: code ?? -1, stdout, stderr: Buffer.concat(err).toString('utf8'), json})
    })
    child.stdin.end(opts.stdin)
  })
}
