import {join} from 'node:path'

import {isFile} from '../io/dataset-files.js'
import type {AlignedExample} from '../lf/types.js'
import type {Code} from './codes.js'
import type {Media} from './lf-templates.js'

export interface MediaContext {
  /** LF's media_dir (default: dataset_dir), as the launch directory sees it. */
  mediaDir: string
  /** The template's media, or undefined when the template is not known (then every kind is allowed). */
  accepted?: readonly Media[]
  /** The media kinds the dataset maps a column for. */
  mapped: ReadonlySet<Media>
}

export interface MediaProblem {
  code: Code
  message: string
  detail: string
}

const KINDS: [Media, keyof AlignedExample][] = [['image', 'images'], ['video', 'videos'], ['audio', 'audios']]


const count = (text: unknown, token: string): number => (typeof text === 'string' ? text.split(token).length - 1 : 0)

/**
 * LF's media rules for one converted example: the template must accept the media, every message list the
 * plugin sees (prompt + each response) must hold one placeholder per media file, and each path must resolve
 * as the converter resolves it: media_dir/path if that is a file, else the path as written.
 */
export function mediaProblems(ex: AlignedExample, ctx: MediaContext): MediaProblem[] {
  const out: MediaProblem[] = []
  const sequences = ex.response.length > 0 ? ex.response.map((r) => [...ex.prompt, r]) : [ex.prompt]
  for (const [kind, key] of KINDS) {
    const list = (ex[key] as unknown[] | null) ?? []
    // Multimodal plugins count placeholders; the text-only plugin fails on any media and leaves "<image>" as text.
    const counted = ctx.accepted ? ctx.accepted.includes(kind) : ctx.mapped.has(kind) || list.length > 0
    if (list.length > 0 && !counted) {
      out.push({code: 'LF110', message: `the data has ${kind}s but the template takes no ${kind} input`, detail: `${list.length} ${kind}(s)`})
    } else if (counted) {
      for (const messages of sequences) {
        const placeholders = messages.reduce((n, m) => n + count(m.content, `<${kind}>`), 0)
        if (placeholders !== list.length) {
          out.push({code: 'LF426', message: `number of ${kind}s differs from the number of <${kind}> placeholders`, detail: `${list.length} ${kind}(s), ${placeholders} <${kind}> placeholder(s)`})
          break
        }
      }
    }
    for (const media of list.flat()) {
      if (typeof media !== 'string') continue
      if (/^[a-z]+:\/\//i.test(media) && kind !== 'image') continue // video/audio decoders read URLs; PIL does not
      if (!isFile(join(ctx.mediaDir, media)) && !isFile(media)) {
        out.push({code: 'LF427', message: `${kind} file not found in media_dir (${ctx.mediaDir}) nor at its own path`, detail: media})
      }
    }
  }
  return out
}
