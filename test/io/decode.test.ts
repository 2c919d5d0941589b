import {TextDecoder} from 'node:util'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {InputError} from '../../src/errors.js'
import {decodeText, firstInvalidUtf8} from '../../src/io/decode.js'

/** Yields each chunk on its own tick, as a file stream does. */
async function* chunked(chunks: Uint8Array[]): AsyncGenerator<Buffer> {
  for (const c of chunks) {
    await new Promise((resolve) => setImmediate(resolve))
    yield Buffer.from(c)
  }
}

type Outcome = {text: string} | {error: string; offset: number | undefined}

async function run(chunks: Uint8Array[]): Promise<Outcome> {
  let text = ''
  try {
    for await (const t of decodeText(chunked(chunks), 'x.txt')) text += t
    return {text}
  } catch (error) {
    if (!(error instanceof InputError)) throw error
    return {error: error.message.split(' — ')[0]!, offset: error.location?.offset}
  }
}

/** The oracle: the fatal streaming TextDecoder the fast path replaced, with the errors it gave. */
function expected(chunks: Uint8Array[]): Outcome {
  const decoder = new TextDecoder('utf-8', {fatal: true})
  let text = ''
  let offset = 0
  for (const c of chunks) {
    const nul = c.indexOf(0)
    if (nul !== -1) return {error: 'NUL byte in text input', offset: offset + nul}
    try {
      text += decoder.decode(c, {stream: true})
    } catch {
      return {error: 'invalid UTF-8 byte sequence', offset: offset + firstInvalidUtf8(c)}
    }
    offset += c.length
  }
  try {
    return {text: text + decoder.decode()}
  } catch {
    return {error: 'input ends in the middle of a UTF-8 character', offset}
  }
}

// Bytes that make UTF-8 edge cases likely: every lead byte class, continuations, BOM and NUL.
const piece = fc.oneof(
  fc.constantFrom(...['a', 'é', '中', '😀', '\uFEFF', '\n'].map((s) => [...Buffer.from(s)])),
  fc.constantFrom([0xc0], [0xc2], [0xe0], [0xe0, 0xa0], [0xe0, 0x80], [0xed, 0xa0], [0xed, 0x9f], [0xf0, 0x90], [0xf0, 0x80], [0xf4, 0x8f], [0xf4, 0x90], [0xf5], [0x80], [0xbf], [0xff], [0x00]),
)

describe('decodeText (UTF-8 fast path)', () => {
  it('gives the text, or the error and offset, that a fatal streaming TextDecoder gave, however the bytes are chunked', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(piece, {maxLength: 40}), fc.array(fc.nat(60), {maxLength: 6}), async (pieces, cuts) => {
        const bytes = Uint8Array.from(pieces.flat())
        const at = [...new Set(cuts.map((c) => Math.min(c, bytes.length)))].sort((a, b) => a - b)
        const chunks = [0, ...at].map((s, i) => bytes.subarray(s, at[i] ?? bytes.length)).filter((c) => c.length > 0)
        expect(await run(chunks)).toEqual(expected(chunks))
      }),
      {numRuns: 2000},
    )
  })

  it('drops a BOM split across chunks, only at the start', async () => {
    expect(await run([Uint8Array.from([0xef]), Uint8Array.from([0xbb, 0xbf, 0x61, 0xef, 0xbb]), Uint8Array.from([0xbf])])).toEqual({text: 'a\uFEFF'})
  })

  it('names the end of the input for a truncated character', async () => {
    expect(await run([Buffer.from('ab'), Uint8Array.from([0xe4, 0xb8])])).toEqual({error: 'input ends in the middle of a UTF-8 character', offset: 4})
  })
})
