/**
 * Byte-level BPE vocabularies (GPT-2 lineage: Qwen, Llama 3, DeepSeek…) write every byte as one printable
 * character: bytes that are printable Latin-1 map to themselves, the other 68 to U+0100 onwards, in byte order.
 * Counting works on raw UTF-8 bytes, so vocabulary tokens are turned back into bytes once, at load.
 */
const CHAR_TO_BYTE = (() => {
  const printable = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff)
  const table = new Int16Array(0x100 + 68).fill(-1)
  let extra = 0
  for (let b = 0; b < 256; b++) table[printable(b) ? b : 0x100 + extra++] = b
  return table
})()

/** The bytes a vocabulary token stands for, or undefined when it is not written in the byte-level alphabet. */
export function tokenBytes(token: string): Uint8Array | undefined {
  const out = new Uint8Array(token.length)
  for (let i = 0; i < token.length; i++) {
    const b = CHAR_TO_BYTE[token.charCodeAt(i)] ?? -1
    if (b < 0) return undefined
    out[i] = b
  }
  return out
}
