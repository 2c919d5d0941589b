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
