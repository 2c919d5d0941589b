import {lstatSync, realpathSync, statSync, type Stats} from 'node:fs'
import {basename, dirname, join, resolve} from 'node:path'

import {EnvError, envErrorFrom, UsageError} from '../errors.js'

/** One file a command is about to write; `what` names it in messages (`-o`, `--rejects`, `the manifest` …). */
export interface OutputSpec {
  path: string
  what: string
  /**
   * A symlink at the path whose target stays in the same folder is written through (the link survives, its
   * target is replaced). `'anywhere'` also allows a target outside the folder (an explicit choice, e.g. for a
   * dataset_info.json that is deliberately a link); the default refuses it.
   */
  symlinks?: 'same-folder' | 'anywhere'
}

/** What the command reads: inputs that a write must never touch. */
export interface GuardSpec {
  inputs: string[]
  outputs: OutputSpec[]
}

interface Identity {
  real: string
  dev?: number
  ino?: number
}

const kindOf = (s: Stats): string =>
  s.isDirectory() ? 'a folder' : s.isFIFO() ? 'a FIFO' : s.isSocket() ? 'a socket' : s.isCharacterDevice() || s.isBlockDevice() ? 'a device' : 'not a regular file'

function identity(path: string): Identity | undefined {
  try {
    const real = realpathSync(path)
    const s = statSync(real)
    return {real, dev: s.dev, ino: s.ino}
  } catch {
    // does not exist (yet): its identity is the real folder plus its name
    try {
      return {real: join(realpathSync(dirname(path)), basename(path))}
    } catch {
      return undefined
    }
  }
}

const same = (a: Identity, b: Identity) => a.real === b.real || (a.ino !== undefined && a.dev === b.dev && a.ino === b.ino)

/**
 * Checks one output before anything is read or written and returns the path to write to (the symlink's
 * target when the output is a link that stays in its folder, else the path itself). Refuses (exit 2) a
 * symlink out of its folder and an existing non-regular file; a missing folder is an environment error (5).
 */
export function checkOutput(out: OutputSpec): string {
  if (out.path === '-') return '-'
  const folder = dirname(resolve(out.path))
  let dirStat: Stats
  try {
    dirStat = statSync(folder)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new EnvError('E_NO_DIR', `the folder of ${out.what} ${out.path} does not exist: ${folder}`, {suggestion: 'create the folder first'})
    }
    throw envErrorFrom(error, folder) ?? error
  }
  if (!dirStat.isDirectory()) throw new EnvError('E_NO_DIR', `the folder of ${out.what} ${out.path} is not a folder: ${folder}`)
  let link: Stats | undefined
  try {
    link = lstatSync(out.path)
  } catch {
    return out.path
  }
  let target = out.path
  if (link.isSymbolicLink()) {
    let real: string
    try {
      real = realpathSync(out.path)
    } catch {
      throw new UsageError(`${out.what} ${out.path} is a symlink that points nowhere; lfdata does not write through it`, {code: 'E_OUTPUT_SYMLINK', suggestion: 'remove the link or write elsewhere'})
    }
    if (out.symlinks !== 'anywhere' && dirname(real) !== realpathSync(folder)) {
      throw new UsageError(`${out.what} ${out.path} is a symlink to ${real}, outside its folder; lfdata does not write through it`, {
        code: 'E_OUTPUT_SYMLINK',
        suggestion: 'remove the link, or write to the real path',
      })
    }
    target = real
  }
  const s = statSync(target)
  if (!s.isFile()) {
    throw new UsageError(`${out.what} ${out.path} exists and is ${kindOf(s)}; lfdata only replaces regular files`, {code: 'E_OUTPUT_NOT_FILE', suggestion: 'name a new or regular file (use -o - for stdout)'})
  }
  return target
}

/**
 * The output-path guard every writing command runs first: each output is checked (checkOutput), and no output
 * may resolve to an input or to another output (same real path, or the same device+inode for hard links).
 * Returns the paths to write to, in the order given. Throws before anything is read or written.
 */
export function guardOutputs(spec: GuardSpec): string[] {
  const targets = spec.outputs.map(checkOutput)
  const inputs = spec.inputs.filter((p) => p !== '-').map((p) => ({path: p, id: identity(p)}))
  const seen: {out: OutputSpec; id: Identity}[] = []
  spec.outputs.forEach((out, i) => {
    if (out.path === '-') return
    const id = identity(targets[i]!)
    if (!id) return
    const input = inputs.find((x) => x.id && same(x.id, id))
    if (input) {
      throw new UsageError(`${out.what} ${out.path} is the input ${input.path}; writing it would destroy the input`, {code: 'E_OUTPUT_ALIAS', suggestion: `choose another path for ${out.what}`})
    }
    const other = seen.find((x) => same(x.id, id))
    if (other) {
      throw new UsageError(`${out.what} ${out.path} is the same file as ${other.out.what} ${other.out.path}`, {code: 'E_OUTPUT_ALIAS', suggestion: `give ${out.what} its own path`})
    }
    seen.push({out, id})
  })
  return targets
}
