import {isAscii, isUtf8, transcode} from 'node:buffer'
import {TextDecoder} from 'node:util'

import {InputError, UsageError} from '../errors.js'
import type {ByteRange} from './types.js'

/** Byte offset of the first invalid UTF-8 sequence in `bytes` (only called once decoding has failed). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
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

const ENCODING_HINT = 'if the file is GBK/GB18030 or UTF-16, pass --encoding gb18030 (or utf-16le); otherwise fix or re-export the file as UTF-8'

function bomEncoding(head: Uint8Array): string | undefined {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le'
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be'
  return undefined
}

/**
 * Where the trailing incomplete character of `bytes` starts: bytes.length when the last character is whole,
 * or when the tail can never complete (so validation of the whole chunk fails here, as TextDecoder would).
 * A tail that is a valid prefix (WHATWG's second-byte ranges) is left for the next chunk.
 */
function completeEnd(bytes: Uint8Array): number {
  const n = bytes.length
  let start = n - 1
  while (start >= 0 && start > n - 4 && (bytes[start]! & 0xc0) === 0x80) start--
  if (start < 0) return n
  const lead = bytes[start]!
  const need = lead >= 0xc2 && lead < 0xe0 ? 2 : lead >= 0xe0 && lead < 0xf0 ? 3 : lead >= 0xf0 && lead < 0xf5 ? 4 : 0
  if (need === 0 || n - start >= need) return n
  if (n - start >= 2) {
    const b = bytes[start + 1]!
    const lo = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80
    const hi = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf
    if (b < lo || b > hi) return n
  }
  return start
}

/**
 * Bytes → text. UTF-8 is strict: an invalid sequence is an error naming its byte offset. A UTF-8 BOM is
 * dropped; a UTF-16 BOM switches to UTF-16 (documented handling). A NUL byte in UTF-8 input means a binary
 * or BOM-less UTF-16 file, and is an error rather than silent garbage.
 */
export async function* decodeText(bytes: AsyncIterable<Buffer>, file: string, encoding?: string, range?: ByteRange): AsyncGenerator<string> {
  let decoder: TextDecoder | undefined
  let utf8 = false
  let offset = 0
  // A range read streams the header bytes [0, header) and then [start, end): errors name the file's offset.
  const inFile = (at: number) => (!range || at < (range.header ?? 0) ? at : range.start + at - (range.header ?? 0))
  const fail = (at: number, what: string, suggestion: string): never => {
    throw new InputError('E_ENCODING', what, {location: {file, offset: inFile(at)}, suggestion})
  }
  // UTF-8 is checked with buffer.isUtf8 (SIMD) and converted by ICU's transcode, ASCII-only chunks as latin1:
  // ~1.4x faster than a fatal streaming TextDecoder on mixed Chinese/English (toString('utf8') is slower than
  // both on Node 20). The decoder stays for other encodings. `carry` holds a character split across chunks.
  let carry: Buffer | undefined
  let bomChecked = false
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
    let text: string
    if (utf8) {
      const nul = chunk.indexOf(0)
      if (nul !== -1) {
        fail(offset + nul, 'NUL byte in text input', 'the file looks binary or UTF-16 without a BOM; try --encoding utf-16le, or check the file type')
      }
      const all = carry ? Buffer.concat([carry, chunk]) : chunk
      const end = completeEnd(all)
      const body = all.subarray(0, end)
      if (!isUtf8(body)) fail(offset + firstInvalidUtf8(chunk), 'invalid UTF-8 byte sequence', ENCODING_HINT)
      carry = end < all.length ? Buffer.from(all.subarray(end)) : undefined
      text = isAscii(body) ? body.toString('latin1') : transcode(body, 'utf8', 'utf16le').toString('ucs2')
      // TextDecoder drops a BOM only as the stream's first character.
      if (!bomChecked && text) {
        bomChecked = true
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
      }
    } else {
      try {
        text = decoder.decode(chunk, {stream: true})
      } catch {
        fail(offset, `invalid ${decoder.encoding.toUpperCase()} byte sequence`, ENCODING_HINT)
      }
    }
    offset += chunk.length
    if (text!) yield text!
  }
  if (decoder) {
    const truncated = `input ends in the middle of a ${decoder.encoding.toUpperCase()} character`
    if (carry) fail(offset, truncated, 'the file is truncated; re-export it')
    let tail = ''
    try {
      if (!utf8) tail = decoder.decode()
    } catch {
      fail(offset, truncated, 'the file is truncated; re-export it')
    }
    if (tail) yield tail
  }
}
