// npm run bench [-- <name>…] [--quick]: runs the named benchmarks (all of them without a name), each
// printing one JSON object. A full run (not --quick) also records each result in
// bench/results/latest.json and regenerates docs/performance.md from that file; a run of every benchmark
// is also archived in bench/results/runs/, for the page's comparison across machines.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BENCH_ORDER, benchmarks } from './registry.ts';
import { type ArchivedRun, type BenchResults, machineInfo, renderPerformance, runName } from './report.ts';

const RESULTS = fileURLToPath(new URL('./results/latest.json', import.meta.url));
const RUNS = fileURLToPath(new URL('./results/runs/', import.meta.url));
const DOC = fileURLToPath(new URL('../docs/performance.md', import.meta.url));

/** The archived full runs, oldest first. */
const archivedRuns = (): ArchivedRun[] =>
  existsSync(RUNS)
    ? readdirSync(RUNS)
        .filter((file) => file.endsWith('.json'))
        .sort()
        .map((file) => ({
          name: file.replace(/\.json$/, ''),
          results: JSON.parse(readFileSync(`${RUNS}${file}`, 'utf8')) as BenchResults,
        }))
    : [];

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const unknownFlags = args.filter((arg) => arg.startsWith('--') && arg !== '--quick');
const named = args.filter((arg) => !arg.startsWith('--'));
const names = named.length > 0 ? named : BENCH_ORDER;

if (unknownFlags.length > 0 || names.some((name) => !(name in benchmarks))) {
  console.error(`usage: npm run bench [-- <${BENCH_ORDER.join('|')}>…] [--quick]`);
  process.exit(2);
}

const machine = machineInfo();
const results: BenchResults = existsSync(RESULTS)
  ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as BenchResults)
  : { benchmarks: {} };
const thisRun: BenchResults = { benchmarks: {} };
let failed = 0;
for (const name of names) {
  const started = Date.now();
  try {
    const result = await benchmarks[name]!({ quick });
    console.log(JSON.stringify({ benchmark: name, quick, node: process.version, ...result }));
    if (!quick) {
      results.benchmarks[name] = {
        at: new Date(started).toISOString(),
        seconds: Math.round((Date.now() - started) / 1000),
        machine,
        result,
      };
      thisRun.benchmarks[name] = results.benchmarks[name];
      // Written after each benchmark, so an interrupted full run keeps what it measured.
      mkdirSync(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
      writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
      writeFileSync(DOC, renderPerformance(results, archivedRuns()));
    }
  } catch (error) {
    failed += 1;
    console.error(`benchmark ${name} failed: ${(error as Error).stack ?? error}`);
    console.log(JSON.stringify({ benchmark: name, quick, error: (error as Error).message }));
  }
}
if (!quick && failed === 0 && BENCH_ORDER.every((name) => name in thisRun.benchmarks)) {
  const first = thisRun.benchmarks[BENCH_ORDER[0]!]!;
  mkdirSync(RUNS, { recursive: true });
  writeFileSync(`${RUNS}${runName(first.at, machine)}.json`, `${JSON.stringify(thisRun, null, 2)}\n`);
  writeFileSync(DOC, renderPerformance(results, archivedRuns()));
}
process.exit(failed > 0 ? 1 : 0);
