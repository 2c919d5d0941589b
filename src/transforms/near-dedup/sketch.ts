import {newBatch, Sketcher, type LshShape, type SketchBatch} from './minhash.js'
import {ShingleBuffer, writeShingles} from './shingles.js'

/** Texts → their sketches, in order; the one code path for the main thread and the workers alike. */
export class TextSketcher {
  private readonly sketcher: Sketcher
  private readonly buffer = new ShingleBuffer()

  constructor(private readonly shape: LshShape) {
    this.sketcher = new Sketcher(shape)
  }

  sketch(texts: readonly string[]): SketchBatch {
    const batch = newBatch(this.shape, texts.length)
    for (let i = 0; i < texts.length; i++) {
      writeShingles(texts[i]!, this.buffer)
      this.sketcher.sketch(this.buffer.data, this.buffer.length, batch, i)
    }
    return batch
  }
}
