/**
 * LZ4 frame decoding (the frame format, https://github.com/lz4/lz4/blob/dev/doc/lz4_Frame_format.md), for
 * Arrow IPC buffers pyarrow compresses with LZ4 — the default of `pyarrow.feather.write_feather` and pandas'
 * `to_feather`. Checksums are skipped, not verified. Blocks are decoded into one growing buffer, so matches
 * may reach back into earlier blocks (linked blocks, LZ4's default).
 */
export function decodeLz4Frame(input: Uint8Array): Uint8Array {
  let out = new Uint8Array(Math.max(1024, input.length * 4))
  let o = 0
  let i = 0
  const room = (n: number) => {
    if (o + n <= out.length) return
    const grown = new Uint8Array(Math.max(out.length * 2, o + n))
    grown.set(out.subarray(0, o))
    out = grown
  }
  const byte = () => {
    if (i >= input.length) throw new Error('LZ4 frame ends early')
    return input[i++]!
  }
  const u32 = () => (byte() | (byte() << 8) | (byte() << 16) | (byte() << 24)) >>> 0

  while (i < input.length) {
    const magic = u32()
    if ((magic & 0xfffffff0) === 0x184d2a50) {
      i += u32() // a skippable frame
      continue
    }
    if (magic !== 0x184d2204) throw new Error('not an LZ4 frame')
    const flags = byte()
    if (flags >> 6 !== 1) throw new Error(`unsupported LZ4 frame version ${flags >> 6}`)
    i += 1 + (flags & 0x08 ? 8 : 0) + (flags & 0x01 ? 4 : 0) + 1 // block size byte, content size, dictionary id, header checksum
    for (let size = u32(); size !== 0; size = u32()) {
      const length = size & 0x7fffffff
      const end = i + length
      if (end > input.length) throw new Error('LZ4 block runs past the end of the frame')
      if (size & 0x80000000) {
        room(length)
        out.set(input.subarray(i, end), o)
        o += length
        i = end
      } else {
        while (i < end) {
          const token = byte()
          let literals = token >> 4
          if (literals === 15) for (let b = 255; b === 255; literals += b) b = byte()
          if (i + literals > end) throw new Error('LZ4 literals run past the end of the block')
          room(literals)
          out.set(input.subarray(i, i + literals), o)
          o += literals
          i += literals
          if (i >= end) break // the last sequence has literals only
          const offset = byte() | (byte() << 8)
          if (offset === 0 || offset > o) throw new Error(`LZ4 match offset ${offset} out of range`)
          let match = token & 15
          if (match === 15) for (let b = 255; b === 255; match += b) b = byte()
          match += 4
          room(match)
          // Byte by byte: a match may overlap the bytes it is producing.
          for (let from = o - offset, stop = o + match; o < stop; ) out[o++] = out[from++]!
        }
      }
      if (flags & 0x10) i += 4 // block checksum
    }
    if (flags & 0x04) i += 4 // content checksum
  }
  return out.subarray(0, o)
}
