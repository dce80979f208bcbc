import { createTikTokClient } from '../src/index.ts';
import type { BenchOptions } from './registry.ts';
import { startEmulatorProcess } from './support/emulator-process.ts';

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

/**
 * Outage: the emulator answers 50002 to 30% of calls at random. Every logical call should still succeed,
 * at about 1/0.7 ≈ 1.43 requests per call, with the latency the backoff adds measured.
 */
export async function outageBenchmark({ quick }: BenchOptions): Promise<Record<string, unknown>> {
  const emulator = await startEmulatorProcess(['--tier', 'none']);
  const client = createTikTokClient({
    accessToken: emulator.token.access_token,
    baseUrl: emulator.url,
    tier: 'none',
    appId: emulator.app.app_id,
  });
  const rounds = quick ? 1 : 3;
  const perRound = quick ? 500 : 1_000;
  const calls = rounds * perRound;
  const concurrency = 50;
  try {
    // Latency without faults first, to report only what the retries add.
    const baseline: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t0 = performance.now();
      await client.getUserInfo();
      baseline.push(performance.now() - t0);
    }
    await emulator.control('/requests', 'DELETE');
    await emulator.control('/faults', 'POST', { type: 'outage', code: 50002, rate: 0.3 });
    const latencies: number[] = [];
    let succeeded = 0;
    const perRoundRequests: number[] = [];
    let seen = 0;
    for (let round = 0; round < rounds; round++) {
      let started = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (started < perRound) {
            started += 1;
            const t0 = performance.now();
            try {
              await client.getUserInfo();
              succeeded += 1;
            } catch {}
            latencies.push(performance.now() - t0);
          }
        }),
      );
      const total = (await emulator.control<{ total: number }>('/requests')).total;
      perRoundRequests.push(Number(((total - seen) / perRound).toFixed(3)));
      seen = total;
    }
    const { requests } = await emulator.control<{ requests: Array<{ code: number }> }>('/requests');
    const failures = requests.filter((r) => r.code === 50002).length;
    const base50 = percentile(baseline, 50);
    const base99 = percentile(baseline, 99);
    return {
      logical_calls: calls,
      rounds,
      requests_per_call_by_round: perRoundRequests,
      requests: requests.length,
      failure_rate: Number((failures / requests.length).toFixed(3)),
      success_rate: Number((succeeded / calls).toFixed(4)),
      requests_per_call: Number((requests.length / calls).toFixed(3)),
      added_latency_p50_ms: Math.round(Math.max(0, percentile(latencies, 50) - base50)),
      added_latency_p99_ms: Math.round(Math.max(0, percentile(latencies, 99) - base99)),
      breaker: client.breakerState(),
      targets: { success_rate: 1, requests_per_call: 1.5, ideal_requests_per_call: 1.43 },
    };
  } finally {
    await client.close();
    await emulator.stop();
  }
}
