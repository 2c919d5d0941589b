import {spawn} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

import {Ajv, type ValidateFunction} from 'ajv'

import type {CheckResultJson, ConvertResultJson, ErrorJson, MergePartitionResultJson, MergeResultJson, RegisterResultJson, StatsPartialResultJson, StatsResultJson} from './contracts/schema-types.js'

const BIN = fileURLToPath(new URL('../bin/run.js', import.meta.url))

/** The --json contracts (schemas/*.schema.json) by command, and the error object any command may print. */
export interface CommandJson {
  convert: ConvertResultJson
  stats: StatsResultJson
  register: RegisterResultJson
  check: CheckResultJson
  merge: MergeResultJson
}
export type Command = keyof CommandJson
type JsonOf<C> = (C extends Command ? CommandJson[C] : Record<string, never>) & {error?: ErrorJson['error']}

const ajv = new Ajv({allErrors: true, strict: true, allowUnionTypes: true})
const load = (name: string): ValidateFunction => ajv.compile(JSON.parse(readFileSync(new URL(`../schemas/${name}.schema.json`, import.meta.url), 'utf8')) as object)
const SCHEMAS: Record<Command | 'error', ValidateFunction> = {
  convert: load('convert-result'),
  stats: load('stats-result'),
  register: load('register-result'),
  check: load('check-result'),
  merge: load('merge-result'),
  error: load('error'),
}
/** Results of one shard of a distributed run: told apart by the field only they have. */
const SHARD_SCHEMAS: {command: Command; field: string; schema: string; validate: ValidateFunction}[] = [
  {command: 'stats', field: 'partial', schema: 'stats-partial-result', validate: load('stats-partial-result')},
  {command: 'merge', field: 'partition', schema: 'merge-partition-result', validate: load('merge-partition-result')},
]
export type ShardJson = StatsPartialResultJson | MergePartitionResultJson

/**
 * Validates a `--json` output against its published schema (the error schema when it holds `error`, whose
 * `exit` must then be the process's exit code); throws naming every violation. Every spawned --json run goes
 * through here (lfdata() calls it), so the schemas are checked on real outputs.
 */
export function validateJson(command: string, json: unknown, exitCode?: number): void {
  const isError = typeof json === 'object' && json !== null && Object.hasOwn(json, 'error')
  const shard = isError ? undefined : SHARD_SCHEMAS.find((s) => s.command === command && typeof json === 'object' && json !== null && Object.hasOwn(json, s.field))
  const validate = isError ? SCHEMAS.error : shard?.validate ?? SCHEMAS[command as Command]
  if (!validate) throw new Error(`no --json schema for command "${command}"`)
  if (!validate(json)) {
    const schema = isError ? 'error' : shard?.schema ?? `${command}-result`
    throw new Error(`lfdata ${command} --json output breaks schemas/${schema}.schema.json: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(json).slice(0, 2000)}`)
  }
  const exit = isError ? (json as ErrorJson).error.exit : undefined
  if (exit !== undefined && exitCode !== undefined && exit !== exitCode) throw new Error(`--json error says exit ${exit}, the process exited ${exitCode}`)
}

export interface RunResult<J = unknown> {
  code: number
  stdout: string
  stderr: string
  /**
   * stdout parsed as JSON, validated against the command's schema when `--json` was passed. Typed as the
   * command's result (plus `error` when it failed); undefined at run time when stdout is not JSON.
   */
  json: J
}

/** Spawns the built CLI (`node bin/run.js ...`) in `cwd`, feeding `stdin` if given. */
export function lfdata<const A extends readonly string[]>(args: A, opts: {cwd?: string; stdin?: string | Buffer; env?: Record<string, string>} = {}): Promise<RunResult<JsonOf<A[0]>>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {cwd: opts.cwd, env: {...process.env, NO_COLOR: '1', ...opts.env}})
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (d: Buffer) => out.push(d))
    child.stderr.on('data', (d: Buffer) => err.push(d))
    child.on('error', reject)
    child.on('close', (code) => {
      const stdout = Buffer.concat(out).toString('utf8')
      let json: unknown
      try {
        json = JSON.parse(stdout)
      } catch {
        json = undefined
      }
      try {
        if (json !== undefined && args.includes('--json')) validateJson(args[0] ?? '', json, code ?? undefined)
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)))
        return
      }
      resolve({code: code ?? -1, stdout, stderr: Buffer.concat(err).toString('utf8'), json: json as JsonOf<A[0]>})
    })
    child.stdin.end(opts.stdin)
  })
}
