import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createEmulator } from '../src/emulator/index.ts';
import type { BenchOptions } from './registry.ts';

const LOAD = fileURLToPath(new URL('./load/http-load.ts', import.meta.url));
const CONCURRENCY = 50;

/**
 * The emulator's throughput on GET /advertiser/info/ (limits off), loaded by 50 keep-alive clients in a
 * separate process so the generator does not share the emulator's event loop. Median of the rounds.
 */
export async function emulatorBenchmark({ quick }: BenchOptions): Promise<Record<string, unknown>> {
  const emulator = await createEmulator({ seed: 'demo', tier: 'none' });
  try {
    const world = await emulator.control.state();
    const token = world.tokens.find((t) => t.environment === 'production' && t.regime === 'advertiser')!;
    const ids = encodeURIComponent(JSON.stringify(token.advertiser_ids.slice(0, 5)));
    const url = `${emulator.url}/advertiser/info/?advertiser_ids=${ids}`;
    const rounds = quick ? 1 : 3;
    const results: Array<{ rps: number; errors: number; requests: number }> = [];
    for (let round = 0; round < rounds; round++) {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [LOAD, url, token.access_token, String(CONCURRENCY), quick ? '500' : '1000', quick ? '2000' : '5000'],
        { maxBuffer: 1024 * 1024 },
      );
      results.push(JSON.parse(stdout.trim().split('\n').at(-1)!));
      await emulator.control.clearRequests();
    }
    const sorted = results.map((r) => r.rps).sort((a, b) => a - b);
    return {
      endpoint: 'GET /advertiser/info/ (5 advertisers per call)',
      concurrency: CONCURRENCY,
      rounds,
      errors: results.reduce((sum, r) => sum + r.errors, 0),
      rounds_rps: results.map((r) => r.rps),
      target_rps: 5_000,
      rps: sorted[Math.floor(sorted.length / 2)]!,
    };
  } finally {
    await emulator.close();
  }
}
