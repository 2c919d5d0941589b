// A byte-level BPE tokenizer.json with no merges (one token per byte): loads in milliseconds, so the bad-input
// corpus can go through `stats` quickly. The qwen preset's ~1.3 s load is covered by a few cases of its own.
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

/** GPT-2's byte → printable-character table, which ByteLevel pre-tokenizers expect vocab keys in. */
function byteChars(): string[] {
  const printable = (b: number) => (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255)
  let extra = 0
  return Array.from({length: 256}, (_, b) => String.fromCodePoint(printable(b) ? b : 256 + extra++))
}

/** Writes tokenizer.json and tokenizer_config.json into `dir`; returns the tokenizer.json path. */
export function writeTinyTokenizer(dir: string): string {
  mkdirSync(dir, {recursive: true})
  const vocab: Record<string, number> = Object.fromEntries(byteChars().map((c, i) => [c, i]))
  vocab['<|endoftext|>'] = 256
  const byteLevel = {type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true}
  const tokenizer = {
    version: '1.0', truncation: null, padding: null, normalizer: null, post_processor: null,
    added_tokens: [{id: 256, content: '<|endoftext|>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true}],
    pre_tokenizer: byteLevel, decoder: byteLevel,
    model: {type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: false, byte_fallback: false, vocab, merges: []},
  }
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tokenizer))
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({eos_token: '<|endoftext|>'}))
  return join(dir, 'tokenizer.json')
}
