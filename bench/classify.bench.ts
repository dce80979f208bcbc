import { classify } from '../src/catalog/index.ts';
import type { BenchOptions } from './registry.ts';

// What the client classifies on its hot path: envelopes with and without messages, bodies, network errors.
const INPUTS: unknown[] = [
  { code: 0, message: 'OK', request_id: 'r', data: {} },
  { code: 40100, message: 'Too many requests', request_id: 'r', data: {} },
  {
    code: 40133,
    message: "Advertiser (7000000000000000001)'s QPS (21) reaches QPS limit 20 for current path",
    data: {},
  },
  { code: 40001, message: 'advertiser does not grant you /file/video/ad/search/:GET permission', data: {} },
  { code: 50002, message: 'Internal error', data: {} },
  { http: { status: 502, body: '<html><body>Bad Gateway</body></html>' } },
  { transport: { code: 'ECONNRESET' } },
];

/** classify() calls per second over a mix of inputs, median of several rounds. */
export async function classifyBenchmark({ quick }: BenchOptions): Promise<Record<string, unknown>> {
  const rounds = quick ? 3 : 7;
  const perRound = quick ? 50_000 : 300_000;
  for (let i = 0; i < 20_000; i++) classify(INPUTS[i % INPUTS.length], { now: i });
  const rates: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    for (let i = 0; i < perRound; i++) classify(INPUTS[i % INPUTS.length], { now: i });
    rates.push(perRound / ((performance.now() - start) / 1000));
  }
  rates.sort((a, b) => a - b);
  return {
    calls_per_second: Math.round(rates[Math.floor(rates.length / 2)]!),
    rounds,
    calls_per_round: perRound,
  };
}
