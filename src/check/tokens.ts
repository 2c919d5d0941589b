import type {AlignedExample, Stage} from '../lf/types.js'
import {LengthHistogram} from '../measure/length-histogram.js'
import {exampleLength, supervisedTurns, truncateSupervised, type EncodeOptions} from '../measure/encode.js'
import {hasMedia} from '../templates/render.js'
import type {ChatTemplate} from '../templates/templates.js'
import type {TokenCounter} from '../tokenize/counter.js'
import type {Diagnostics} from './diagnostics.js'

export interface TokenSetup {
  counter: TokenCounter
  template: ChatTemplate
  /** cutoff_len as the YAML or flag gives it. */
  cutoffLen: number
  /** packing as written in the YAML (unset: LF turns it on for pt only). */
  packing?: boolean
  neatPacking: boolean
  /** mask_history / train_on_prompt from the YAML: which turns truncation cuts first, and what is trained. */
  options: EncodeOptions
}

/** Token figures of one dataset in the --json result. */
export interface TokenSummary {
  cutoff_len: number
  max: number
  truncated: number
  tokens_lost: number
  /** sft: tokens with labels that truncation removes (mask_history cuts the history first). */
  trained_tokens_lost?: number
  /** Examples with media, not measured (their length depends on the image processor). */
  media_examples?: number
  /** pt with packing: cutoff_len-token blocks LF builds. */
  blocks?: number
}

/** LF's preprocessing batch: pt packs each batch on its own. */
const BATCH = 1000

/**
 * Token lengths of one dataset against cutoff_len, as LF's processors treat them: supervised, pairwise and KTO
 * examples are truncated (packing or not); pt text is truncated, or with packing concatenated per 1000-row
 * batch and cut into cutoff_len blocks, the tail of each batch lost.
 */
export class TokenTally {
  private readonly lengths = new LengthHistogram()
  /** LF's data_args.cutoff_len after __post_init__. */
  readonly cutoff: number
  /** pt text concatenated and cut into blocks (packing on, LF's default for pt). */
  private readonly packsText: boolean
  private rows = 0
  private batchTokens = 0
  private blocks = 0
  private tailLost = 0
  /** Supervised examples: trained tokens before and after truncation. */
  private trained = 0
  private trainedCut = 0
  private media = 0

  constructor(private readonly setup: TokenSetup, private readonly stage: Stage) {
    // __post_init__ lowers cutoff_len for packing set in the YAML; the pt default is applied after it.
    const packingSet = setup.packing === true || setup.neatPacking
    this.cutoff = packingSet ? setup.cutoffLen - 1 : setup.cutoffLen
    this.packsText = stage === 'pt' && (setup.packing ?? (setup.neatPacking || stage === 'pt'))
  }

  /** One row of the dataset: its converted example, or null when LF drops it before tokenising. */
  add(ex: AlignedExample | null): void {
    if (ex && this.stage !== 'pt' && hasMedia(ex)) this.media++ // length depends on the image processor: not guessed
    else if (ex && this.stage === 'sft') {
      const turns = supervisedTurns(ex, this.setup.template, this.setup.counter, this.setup.options)
      const full = truncateSupervised(turns, Infinity, this.setup.template.efficientEos, this.setup.options)
      const cut = truncateSupervised(turns, this.cutoff, this.setup.template.efficientEos, this.setup.options)
      this.lengths.add(full.length)
      this.trained += full.trained
      this.trainedCut += full.trained - cut.trained
    } else if (ex) {
      const length = exampleLength(ex, this.setup.template, this.setup.counter, this.stage, this.setup.options).total
      if (this.packsText) this.batchTokens += length
      else this.lengths.add(length)
    }
    if (++this.rows % BATCH === 0) this.endBatch()
  }

  private endBatch(): void {
    this.blocks += Math.floor(this.batchTokens / this.cutoff)
    this.tailLost += this.batchTokens % this.cutoff
    this.batchTokens = 0
  }

  /** Adds the dataset's token diagnostics and returns its figures. */
  report(dataset: string, diags: Diagnostics): TokenSummary {
    if (this.rows % BATCH !== 0) this.endBatch()
    if (this.packsText) {
      diags.add('LF504', `packing makes ${this.blocks} blocks of ${this.cutoff} tokens`, {dataset}, `${this.tailLost} tokens lost at the ends of ${Math.ceil(this.rows / BATCH)} batch(es)`)
      return {cutoff_len: this.cutoff, max: 0, truncated: 0, tokens_lost: this.tailLost, blocks: this.blocks}
    }
    if (this.media > 0) diags.add('LF505', 'examples with images, videos or audios are not measured', {dataset}, `${this.media} example(s): their length depends on the model's image processor`)
    const over = this.lengths.over(this.cutoff)
    if (over.examples > 0) {
      const share = ((over.examples / this.lengths.n) * 100).toFixed(2)
      const trained = this.stage === 'sft' ? `, ${this.trainedCut} of them trained on (${this.setup.options.maskHistory ? 'mask_history: history cut first' : 'later turns cut first'})` : ''
      diags.add('LF501', `examples longer than cutoff_len ${this.cutoff} are truncated`, {dataset}, `${over.examples} of ${this.lengths.n} examples (${share}%), ${over.tokens} tokens cut${trained}; longest ${this.lengths.max}`)
    }
    return {
      cutoff_len: this.cutoff, max: this.lengths.max, truncated: over.examples, tokens_lost: over.tokens,
      ...(this.stage === 'sft' ? {trained_tokens_lost: this.trainedCut} : {}), ...(this.media ? {media_examples: this.media} : {}),
    }
  }
}
