/** GPT-2's byte → character table (the byte-level alphabet), written independently of src/ for the tests. */
export const byteChar = (() => {
  const printable = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff)
  let extra = 0
  return Array.from({length: 256}, (_, b) => String.fromCharCode(printable(b) ? b : 0x100 + extra++))
})()

/** `text` as byte-level characters, one per UTF-8 byte. */
export const mapped = (text: string): string[] => [...Buffer.from(text, 'utf8')].map((b) => byteChar[b]!)
