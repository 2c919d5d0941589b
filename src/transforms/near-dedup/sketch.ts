import {newBatch, Sketcher, type LshShape, type SketchBatch} from './minhash.js'
import {ShingleBuffer, writeShingles, type PackedTexts} from './shingles.js'

/** Packed texts → their sketches, in order; the one code path for the main thread and the workers alike. */
export class TextSketcher {
  private readonly sketcher: Sketcher
  private readonly buffer = new ShingleBuffer()

  constructor(private readonly shape: LshShape) {
    this.sketcher = new Sketcher(shape)
  }

  sketch({units, lengths}: PackedTexts): SketchBatch {
    const batch = newBatch(this.shape, lengths.length)
    for (let i = 0, at = 0; i < lengths.length; at += lengths[i++]!) {
      writeShingles(units, at, at + lengths[i]!, this.buffer)
      this.sketcher.sketch(this.buffer.data, this.buffer.length, batch, i)
    }
    return batch
  }
}
