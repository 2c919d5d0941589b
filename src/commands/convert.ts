import {Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {UsageError} from '../errors.js'
import {INPUT_FORMATS} from '../io/read.js'
import type {InputFormat} from '../io/types.js'
import {convert, type ConvertResult} from '../pipeline/convert.js'
import {NEAR_FIELDS, type NearField} from '../transforms/example.js'
import {parseMapFlags} from '../transforms/mapping.js'
import {renderConvertSummary} from '../pipeline/convert-summary.js'
import {parseShard} from '../shard/spec.js'

export default class Convert extends BaseCommand {
  static override summary = 'Convert CSV/TSV/JSONL/JSON/Parquet/Arrow into LLaMA-Factory Alpaca or ShareGPT data'
  static override description = 'Maps columns (auto-detected or --map), normalises text, drops what LLaMA-Factory would skip and what your filters reject, removes duplicates, and writes JSONL (or a .json array / .arrow) atomically with a manifest beside it.'
  static override strict = false
  static override args = {}
  static override usage = ['convert INPUT... -o OUT [--map FIELD=COLUMN...] [flags]', 'convert - -o OUT [flags]   (INPUT - reads stdin)']
  static override examples = [
    '<%= config.bin %> convert data.csv -o train.jsonl --map instruction=question --map output=answer --rejects rejects.jsonl',
    '<%= config.bin %> convert chats.jsonl -o chats.sharegpt.jsonl --to sharegpt --fix-roles --dedup near',
    '<%= config.bin %> convert qa.csv -o qa.jsonl --report convert-report.html',
    'cat raw.jsonl.gz | <%= config.bin %> convert - -o out.json --input-format jsonl --json',
    '<%= config.bin %> convert big.csv -o out/ --shard $SLURM_ARRAY_TASK_ID/16 --dedup near   # then: lfdata merge out/',
    '<%= config.bin %> convert big.jsonl -o out.jsonl --jobs 4   # 4 shard processes, merged into one file',
  ]
  static override flags = {
    output: Flags.string({char: 'o', required: true, summary: 'Output file (.jsonl, .json, .arrow) or - for stdout'}),
    to: Flags.string({options: ['alpaca', 'sharegpt'], summary: 'Output format (default: alpaca for flat rows, sharegpt for conversations)'}),
    map: Flags.string({multiple: true, summary: 'FIELD=COLUMN, e.g. instruction=question (fields: instruction input output system history messages tools text chosen rejected kto_tag)'}),
    system: Flags.string({summary: 'Constant system prompt for records that have none'}),
    'input-format': Flags.string({options: INPUT_FORMATS, summary: 'Input format (default: from the extension; sniffed from the data for stdin)'}),
    delimiter: Flags.string({summary: 'CSV delimiter (default: sniffed)'}),
    encoding: Flags.string({summary: 'Input text encoding, e.g. gb18030, utf-16le (default: strict UTF-8)'}),
    nfc: Flags.boolean({default: true, allowNo: true, summary: 'Unicode NFC normalisation'}),
    newlines: Flags.boolean({default: true, allowNo: true, summary: 'CRLF/CR → LF'}),
    trim: Flags.boolean({default: true, allowNo: true, summary: 'Trim whitespace around every text'}),
    'strip-control': Flags.boolean({default: true, allowNo: true, summary: 'Drop control characters (keeps tab and newline)'}),
    'keep-empty': Flags.boolean({summary: 'Keep examples with an empty prompt or response'}),
    'min-chars': Flags.integer({summary: 'Drop examples with fewer characters in all'}),
    'max-chars': Flags.integer({summary: 'Drop examples with more characters in all'}),
    'drop-regex': Flags.string({summary: 'Drop examples with any text matching this pattern (linear-time engine)'}),
    'fix-roles': Flags.boolean({summary: 'Repair conversations LF would skip (merge same-role turns, move system turns) instead of dropping them'}),
    dedup: Flags.string({options: ['exact', 'near', 'none'], default: 'exact', summary: 'Duplicate removal'}),
    'near-threshold': Flags.string({default: '0.8', summary: 'Jaccard similarity at which --dedup near drops a record'}),
    'near-fields': Flags.string({multiple: true, delimiter: ',', options: [...NEAR_FIELDS], default: ['prompt', 'response'], summary: 'With --dedup near: the parts of an example compared (comma-separated)'}),
    'dedup-report': Flags.string({summary: 'With --dedup near: write the largest duplicate clusters to FILE.html or FILE.json'}),
    report: Flags.string({summary: 'Write one self-contained HTML page: counts, drops by reason with examples, duplicate clusters with the kept record, the mapping'}),
    rejects: Flags.string({summary: 'Write every dropped record with its reason to this JSONL file'}),
    limit: Flags.integer({summary: 'Read at most this many input records'}),
    'on-error': Flags.string({options: ['fail', 'skip'], default: 'fail', summary: 'A line or row that does not parse: stop (fail), or skip it as a parse_error reject (skip)'}),
    jobs: Flags.integer({summary: 'Cores to convert with, output identical to --jobs 1: threads reading CSV/TSV rows for Alpaca (default: the cores, at most 4, for a file of 96 MiB or more; 1 with --shard), else shard processes (.jsonl output; default 1)'}),
    shard: Flags.string({summary: 'Convert only shard I/N of the inputs (0-based) into OUTPUT/part-I-of-N.jsonl; finish with `lfdata merge OUTPUT`'}),
  }

  async run(): Promise<ConvertResult & {report?: string}> {
    const {argv, flags} = await this.parse(Convert)
    const inputs = argv as string[]
    if (inputs.length === 0) throw new UsageError('no input given', {suggestion: 'lfdata convert INPUT... -o OUT (use - for stdin)'})
    if (flags.output === '-' && this.jsonEnabled()) throw new UsageError('-o - and --json both want stdout; pick one')
    const report = flags.report ? await htmlReport(flags.report) : undefined
    if (flags['dedup-report'] && flags.dedup !== 'near') throw new UsageError(`--dedup-report lists near-duplicate clusters, but --dedup is ${flags.dedup}`, {suggestion: 'add --dedup near (exact duplicate clusters are in convert --report FILE.html)'})
    const result = await convert({
      inputs,
      output: flags.output,
      to: flags.to as 'alpaca' | 'sharegpt' | undefined,
      map: parseMapFlags(flags.map),
      system: flags.system,
      inputFormat: flags['input-format'] as InputFormat | undefined,
      delimiter: flags.delimiter,
      encoding: flags.encoding,
      normalize: {nfc: flags.nfc, newlines: flags.newlines, trim: flags.trim, controlChars: flags['strip-control']},
      filters: {dropEmpty: !flags['keep-empty'], minChars: flags['min-chars'], maxChars: flags['max-chars'], dropRegex: flags['drop-regex']},
      fixRoles: flags['fix-roles'],
      dedup: flags.dedup as 'exact' | 'near' | 'none',
      nearThreshold: Number(flags['near-threshold']),
      nearFields: flags['near-fields'] as NearField[],
      dedupReport: flags['dedup-report'],
      rejects: flags.rejects,
      limit: flags.limit,
      onError: flags['on-error'] as 'fail' | 'skip',
      onDrop: report?.collector.onDrop,
      report: flags.report,
      shard: flags.shard ? parseShard(flags.shard) : undefined,
      jobs: flags.jobs,
    }, this.reporter())
    if (report) await report.write(result, {format: flags['input-format'] as InputFormat | undefined, delimiter: flags.delimiter, encoding: flags.encoding})
    if (flags.output !== '-') this.log(renderConvertSummary(result))
    // With -o - stdout is the data, so the paths go to stderr.
    const note = (line: string) => (flags.output === '-' ? this.logToStderr(line) : this.log(line))
    if (flags['dedup-report']) note(`dedup report: ${flags['dedup-report']}`)
    if (flags.report) note(`report: ${flags.report}`)
    return flags.report ? {...result, report: flags.report} : result
  }
}

/** The --report page's collector and writer, loaded only for a run that writes one (start-up is modules). */
async function htmlReport(path: string) {
  const [{ConvertReportCollector, writeConvertReport}, {reportPath}] = await Promise.all([import('../report/convert-report.js'), import('../report/html.js')])
  reportPath(path)
  const collector = new ConvertReportCollector()
  return {collector, write: (result: ConvertResult, read: Parameters<typeof writeConvertReport>[3]) => writeConvertReport(path, result, collector, read)}
}
