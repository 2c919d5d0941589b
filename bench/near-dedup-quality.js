#!/usr/bin/env node
// Planted near-duplicate benchmark for `--dedup near` (issue #6): documents of 50–400 words in English and
// Chinese, near-copies made with known edit rates (2–20% of words/characters substituted, inserted or
// deleted), the truth kept aside. Runs the MinHash/LSH stage at the threshold and reports, per language:
//  - precision and recall against the exact truth: a copy is a true near-duplicate when the exact Jaccard
//    similarity of its shingles and its original's reaches the threshold (what MinHash/LSH promises);
//  - recall of all planted copies by edit rate (heavily edited copies fall below 0.8 Jaccard by design:
//    20% word substitutions leave a Jaccard of about 0.67, so no 0.8-threshold method should drop them). Usage: node bench/near-dedup-quality.js [--docs N] [--threshold T]
import {nearDedup} from '../dist/transforms/near-dedup.js'
import {shingleHashes} from '../dist/transforms/near-dedup/shingles.js'

const args = process.argv.slice(2)
const opt = (name, def) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : def)
const DOCS = opt('--docs', 1000)
const THRESHOLD = opt('--threshold', 0.8)

let seed = 12345
const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32)
const pick = (xs) => xs[Math.floor(rand() * xs.length)]
const EN = 'time year people way day man thing woman life child world school state family student group country problem hand part place case week company system program question work government number night point home water room mother area money story fact month lot right study book eye job word business issue side kind head house service friend father power hour game line end member law car city community name president team minute idea kid body information back parent face others level office door health person art war history party result change morning reason research girl guy moment air teacher force education'.split(' ')
const ZH = '的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持'.split('')

function doc(lang) {
  const n = 50 + Math.floor(rand() * 351)
  return Array.from({length: n}, () => (lang === 'en' ? pick(EN) : pick(ZH)))
}
function mutate(tokens, rate, lang) {
  const out = [...tokens]
  const edits = Math.max(1, Math.round(out.length * rate))
  for (let e = 0; e < edits; e++) {
    const i = Math.floor(rand() * out.length)
    const r = rand()
    const t = lang === 'en' ? pick(EN) : pick(ZH)
    if (r < 0.5) out[i] = t
    else if (r < 0.75) out.splice(i, 0, t)
    else if (out.length > 1) out.splice(i, 1)
  }
  return out
}

export async function runQuality({docs = DOCS, threshold = THRESHOLD} = {}) {
  const report = {}
  for (const lang of ['en', 'zh']) {
    const items = []
    const originals = Array.from({length: docs}, () => doc(lang))
    originals.forEach((tokens, i) => items.push({id: `o${i}`, dupOf: null, tokens}))
    // Half of the originals get a near-copy, with an edit rate from 2% to 20%.
    for (let i = 0; i < docs; i += 2) {
      const rate = 0.02 + rand() * 0.18
      items.push({id: `c${i}`, dupOf: `o${i}`, rate, tokens: mutate(originals[i], rate, lang)})
    }
    // Shuffle copies after their originals: originals first keeps "first wins" meaningful.
    const join = lang === 'en' ? ' ' : ''
    const source = (async function* () {
      for (const it of items) yield {...it, text: it.tokens.join(join)}
    })()
    const dropped = new Set()
    const stage = nearDedup({threshold}, (x) => x.text, (x) => ({source: x.id, line: 0}), (x) => dropped.add(x.id))
    for await (const _ of stage(source)) void _
    const byId = new Map(items.map((x) => [x.id, x]))
    const jaccard = (a, b) => {
      const A = new Set(shingleHashes(a.tokens.join(join)))
      const B = new Set(shingleHashes(b.tokens.join(join)))
      let inter = 0
      for (const x of A) if (B.has(x)) inter++
      return inter / (A.size + B.size - inter)
    }
    const copies = items.filter((x) => x.dupOf)
    const truth = new Set(copies.filter((x) => jaccard(x, byId.get(x.dupOf)) >= threshold).map((x) => x.id))
    const tp = [...dropped].filter((id) => truth.has(id)).length
    const buckets = {}
    for (const c of copies) {
      const b = c.rate < 0.08 ? '2-8%' : c.rate < 0.14 ? '8-14%' : '14-20%'
      buckets[b] ??= {planted: 0, dropped: 0}
      buckets[b].planted++
      if (dropped.has(c.id)) buckets[b].dropped++
    }
    report[lang] = {
      documents: items.length, planted: copies.length, truly_near: truth.size, dropped: dropped.size,
      precision: +(dropped.size ? tp / dropped.size : 1).toFixed(4), recall: +(truth.size ? tp / truth.size : 1).toFixed(4),
      planted_recall_by_edit_rate: buckets,
    }
  }
  return report
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await runQuality()
  console.log(JSON.stringify({threshold: THRESHOLD, ...r}, null, 2))
}
