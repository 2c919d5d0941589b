import {TextDecoder} from 'node:util'

import {InputError, UsageError} from '../errors.js'

/** Byte offset of the first invalid UTF-8 sequence in `bytes` (only called once decoding has failed). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0
  while (i < bytes.length) {
    const b = bytes[i]!
    const need = b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1
    if (need < 0) return i
    for (let k = 1; k <= need; k++) {
      if (i + k >= bytes.length) return i
      if ((bytes[i + k]! & 0xc0) !== 0x80) return i
    }
    i += need + 1
  }
  return Math.max(0, bytes.length - 1)
}

function bomEncoding(head: Uint8Array): string | undefined {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le'
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be'
  return undefined
}

/**
 * Bytes → text. UTF-8 is strict: an invalid sequence is an error naming its byte offset. A UTF-8 BOM is
 * dropped; a UTF-16 BOM switches to UTF-16 (documented handling). A NUL byte in UTF-8 input means a binary
 * or BOM-less UTF-16 file, and is an error rather than silent garbage.
 */
export async function* decodeText(bytes: AsyncIterable<Buffer>, file: string, encoding?: string): AsyncGenerator<string> {
  let decoder: TextDecoder | undefined
  let utf8 = false
  let offset = 0
  const fail = (at: number, what: string, suggestion: string): never => {
    throw new InputError('E_ENCODING', what, {location: {file, offset: at}, suggestion})
  }
  for await (const chunk of bytes) {
    if (!decoder) {
      const label = encoding ?? bomEncoding(chunk) ?? 'utf-8'
      try {
        decoder = new TextDecoder(label, {fatal: true})
      } catch {
        throw new UsageError(`unknown encoding: ${label}`, {suggestion: 'use a WHATWG label such as utf-8, gb18030, gbk, big5, utf-16le, shift_jis'})
      }
      utf8 = decoder.encoding === 'utf-8'
    }
    if (utf8) {
      const nul = chunk.indexOf(0)
      if (nul !== -1) {
        fail(offset + nul, 'NUL byte in text input', 'the file looks binary or UTF-16 without a BOM; try --encoding utf-16le, or check the file type')
      }
    }
    let text: string
    try {
      text = decoder.decode(chunk, {stream: true})
    } catch {
      const at = utf8 ? offset + firstInvalidUtf8(chunk) : offset
      fail(at, `invalid ${decoder.encoding.toUpperCase()} byte sequence`, 'if the file is GBK/GB18030 or UTF-16, pass --encoding gb18030 (or utf-16le); otherwise fix or re-export the file as UTF-8')
    }
    offset += chunk.length
    if (text!) yield text!
  }
  if (decoder) {
    let tail: string
    try {
      tail = decoder.decode()
    } catch {
      fail(offset, `input ends in the middle of a ${decoder.encoding.toUpperCase()} character`, 'the file is truncated; re-export it')
    }
    if (tail!) yield tail!
  }
}
