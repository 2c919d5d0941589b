/** A seeded mixed corpus: English, Chinese, code, emoji, whitespace runs, special tokens inside text. */
export function mixedCorpus(n: number, seed = 1): string[] {
  let s = seed
  const rand = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0
    return s / 2 ** 32
  }
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!
  const parts = [
    'The quick brown fox', ' jumps over', " the lazy dog's", ' back.', '\n\n', '   ', '\t', 'HTTP/1.1 200 OK', "I'll", "we're",
    '你好，世界。', '机器学习', '大语言模型的微调', '数据清洗', '「引号」', '１２３', 'Ｆｕｌｌｗｉｄｔｈ',
    'def f(x):\n    return x ** 2', 'for (let i = 0; i < n; i++) {', '});', '<div class="a">', '#include <stdio.h>',
    '🎉', '👩‍💻', '🇫🇷', 'naïve café', 'Ünïcödé', 'e\u0301', '½', '∑∫√', '12345678901234567890', '3.14159',
    '<|im_end|>', '<|im_start|>', '<|endoftext|>', '<|eot_id|>', '<think>', ' ', '',
  ]
  return Array.from({length: n}, () => Array.from({length: 1 + Math.floor(rand() * 12)}, () => pick(parts)).join(pick(['', ' ', '\n'])))
}

/**
 * Texts whose pre-tokenised pieces are long: runs of Chinese words and characters with no punctuation (one piece
 * to Qwen's pre-tokenizer, up to ~2,000 characters), Latin letters glued to them, repeated characters, rare
 * and astral characters, digits and emoji between runs.
 */
export function longPieceCorpus(n: number, seed = 1): string[] {
  let s = seed
  const rand = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0
    return s / 2 ** 32
  }
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!
  const words = [
    '数据', '模型', '训练', '问题', '回答', '语言', '学习', '微调', '的', '了', '是', '在', '我们', '人工智能', '机器学习', '大语言模型',
    '中华人民共和国', '一二三四五', '龘', '𠀀', '𪚥', '丨', '〇', 'ａｂｃ', 'カタカナ', 'ひらがな', '한국어', 'Ω', 'é', 'abc', 'the', 'Zürich',
  ]
  const runs = [
    () => Array.from({length: 1 + Math.floor(rand() ** 2 * 800)}, () => pick(words)).join(''),
    () => pick(['a', '的', '龘', ' ', '\n', '=', '0', '🎉', 'ab', '数据']).repeat(1 + Math.floor(rand() * 400)),
    () => pick(['，', '。', ' ', '\n\n', '123', '🇫🇷', '<|im_end|>', '\ud800', '']),
  ]
  return Array.from({length: n}, () => Array.from({length: 1 + Math.floor(rand() * 4)}, () => pick(runs)()).join(''))
}
