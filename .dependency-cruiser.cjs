/**
 * The layers of src/, lowest first (README, Design). A module may import its own layer and the layers below,
 * never above and never a sibling in the same layer:
 *
 *   lf                                  LF facts: pure, no file I/O, nothing else from src/
 *   errors.ts, reporter.ts, version.ts, worker-pool.ts, worker-serve.ts, warm-workers.ts   shared by everything above lf
 *   io | tokenize | templates           readers/writers | strings to ids | chat layouts as data
 *   measure                             example length = template layout × tokenizer
 *   transforms | stats | registry | check   the core
 *   shard                               a sharded run's byte ranges, part and dedup log (over io and transforms)
 *   pipeline                            one use case per command
 *   commands, cli.ts, base-command.ts, warm-start.ts   flags in, result out
 *
 * No exceptions list: a new import that breaks a rule means the code moves, not the rule.
 */
const LOW = ['io', 'tokenize', 'templates']
const CORE = ['transforms', 'stats', 'registry', 'check']
const TOP = '^src/(commands/|cli\\.ts$|base-command\\.ts$|warm-start\\.ts$)'
const dirs = (names) => `^src/(${names.join('|')})/`

module.exports = {
  forbidden: [
    {name: 'no-circular', severity: 'error', comment: 'import cycles hide a missing layer', from: {}, to: {circular: true}},
    {name: 'lf-imports-nothing', severity: 'error', comment: 'src/lf imports nothing from the rest of src/', from: {path: '^src/lf/'}, to: {path: '^src/', pathNot: '^src/lf/'}},
    {name: 'lf-no-file-io', severity: 'error', comment: 'src/lf is pure: file I/O lives in src/io or the caller', from: {path: '^src/lf/'}, to: {dependencyTypes: ['core'], path: '^(node:)?(fs|fs/promises|child_process|worker_threads|net|http|https)$'}},
    {name: 'shared-files-stay-low', severity: 'error', comment: 'errors/reporter/version/worker-pool/worker-serve/warm-workers sit under every layer but lf', from: {path: '^src/(errors|reporter|version|worker-pool|worker-serve|warm-workers)\\.ts$'}, to: {path: '^src/[^/]+/'}},
    {name: 'low-layer-siblings', severity: 'error', comment: 'io, tokenize and templates do not import each other (templates never tokens, tokenize never input files)', from: {path: dirs(LOW)}, to: {path: dirs(LOW), pathNot: '^src/$1/'}},
    {name: 'low-layer-up', severity: 'error', comment: 'io, tokenize and templates import only lf and the shared files', from: {path: dirs(LOW)}, to: {path: `${dirs(['measure', ...CORE, 'shard', 'pipeline'])}|${TOP}`}},
    {name: 'measure-up', severity: 'error', comment: 'measure combines templates and tokenize; it reads no files (io) and knows no core', from: {path: '^src/measure/'}, to: {path: `${dirs(['io', ...CORE, 'shard', 'pipeline'])}|${TOP}`}},
    {name: 'core-siblings', severity: 'error', comment: 'transforms, stats, registry and check do not reach into each other; pipeline wires them', from: {path: dirs(CORE)}, to: {path: dirs(CORE), pathNot: '^src/$1/'}},
    {name: 'core-up', severity: 'error', comment: 'the core does not import pipeline or commands', from: {path: dirs(CORE)}, to: {path: `^src/(pipeline|shard)/|${TOP}`}},
    {name: 'shard-up', severity: 'error', comment: 'shard serves pipeline; it does not import it or commands', from: {path: '^src/shard/'}, to: {path: `^src/pipeline/|${TOP}`}},
    {name: 'pipeline-up', severity: 'error', comment: 'pipeline does not import commands', from: {path: '^src/pipeline/'}, to: {path: TOP}},
    {name: 'src-not-test', severity: 'error', comment: 'src never imports test code, bench or scripts', from: {path: '^src/'}, to: {path: '^(test|bench|scripts)/'}},
  ],
  options: {
    doNotFollow: {path: 'node_modules'},
    tsPreCompilationDeps: true,
    tsConfig: {fileName: 'tsconfig.json'},
    enhancedResolveOptions: {exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js']},
  },
}
