import { budgetBenchmark } from './budget.bench.ts';
import { classifyBenchmark } from './classify.bench.ts';
import { clientBenchmark } from './client.bench.ts';
import { detectionBenchmark } from './detection.bench.ts';
import { emulatorBenchmark } from './emulator.bench.ts';
import { memoryBenchmark } from './memory.bench.ts';
import { outageBenchmark } from './outage.bench.ts';
import { pacingBenchmark } from './pacing.bench.ts';
import { pushBenchmark } from './push.bench.ts';
import { sweepBenchmark } from './sweep.bench.ts';

/** Options every benchmark takes. */
export interface BenchOptions {
  /** Fewer rounds, for a smoke run in CI. */
  quick: boolean;
}

/** A benchmark returns the figures it measured. */
export type Benchmark = (options: BenchOptions) => Promise<Record<string, unknown>>;

/** The order a full run takes: cheap and CPU-bound first, the long service runs last. */
export const BENCH_ORDER = [
  'classify',
  'emulator',
  'client',
  'pacing',
  'outage',
  'sweep',
  'detection',
  'push',
  'budget',
  'memory',
];

/** Every benchmark, by the name `npm run bench -- <name>` takes. */
export const benchmarks: Record<string, Benchmark> = {
  budget: budgetBenchmark,
  classify: classifyBenchmark,
  client: clientBenchmark,
  detection: detectionBenchmark,
  emulator: emulatorBenchmark,
  memory: memoryBenchmark,
  outage: outageBenchmark,
  pacing: pacingBenchmark,
  push: pushBenchmark,
  sweep: sweepBenchmark,
};
