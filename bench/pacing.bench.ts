import { Pool } from 'undici';
import { createTikTokClient } from '../src/index.ts';
import type { BenchOptions } from './registry.ts';
import { startEmulatorProcess } from './support/emulator-process.ts';

/**
 * Pacing: the emulator enforces the Basic tier (10 QPS / 600 QPM); 50 callers push as hard as they can
 * through one client for 60 s (15 s quick). Achieved QPS should sit just under the limit with no 40100
 * after the first second. The contender (full runs) is the same load with no pacing, raw undici against
 * its own emulator, for 15 s: what an unpaced integration gets from the same budget.
 */
export async function pacingBenchmark({ quick }: BenchOptions): Promise<Record<string, unknown>> {
  const emulator = await startEmulatorProcess(['--tier', 'basic']);
  const client = createTikTokClient({
    accessToken: emulator.token.access_token,
    baseUrl: emulator.url,
    tier: 'basic',
    appId: emulator.app.app_id,
  });
  const seconds = quick ? 15 : 60;
  const limitQps = 10;
  let ok = 0;
  let failed = 0;
  try {
    await emulator.control('/requests', 'DELETE');
    const start = Date.now();
    const stopAt = start + seconds * 1000;
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (Date.now() < stopAt) {
          try {
            await client.getUserInfo();
            ok += 1;
          } catch {
            failed += 1;
          }
        }
      }),
    );
    const elapsed = (Date.now() - start) / 1000;
    const { requests } = await emulator.control<{ requests: Array<{ at: string; code: number }> }>(
      '/requests',
    );
    const throttled = requests.filter((r) => r.code === 40100 || r.code === 40133);
    const afterFirstSecond = throttled.filter((r) => Date.parse(r.at) - start > 1_000);
    return {
      seconds: Math.round(elapsed),
      callers: 50,
      limit_qps: limitQps,
      achieved_qps: Number((ok / elapsed).toFixed(2)),
      ratio_of_limit: Number((ok / elapsed / limitQps).toFixed(3)),
      throttled_total: throttled.length,
      throttled_after_first_second: afterFirstSecond.length,
      failed_calls: failed,
      ...(quick ? {} : { unpaced: await unpacedContender(15) }),
      targets: { ratio_of_limit: 0.95, throttled_after_first_second: 0 },
    };
  } finally {
    await client.close();
    await emulator.stop();
  }
}

async function unpacedContender(seconds: number) {
  const emulator = await startEmulatorProcess(['--tier', 'basic']);
  const pool = new Pool(emulator.origin, { connections: 50 });
  let good = 0;
  let throttled = 0;
  let other = 0;
  try {
    const start = Date.now();
    const stopAt = start + seconds * 1000;
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (Date.now() < stopAt) {
          const response = await pool.request({
            method: 'GET',
            path: '/open_api/v1.3/user/info/',
            headers: { 'access-token': emulator.token.access_token },
          });
          const { code } = (await response.body.json()) as { code: number };
          if (code === 0) good += 1;
          else if (code === 40100 || code === 40133) throttled += 1;
          else other += 1;
        }
      }),
    );
    const elapsed = (Date.now() - start) / 1000;
    return {
      seconds: Math.round(elapsed),
      good_qps: Number((good / elapsed).toFixed(2)),
      requests: good + throttled + other,
      throttled,
      throttled_share: Number((throttled / Math.max(1, good + throttled + other)).toFixed(3)),
    };
  } finally {
    await pool.close();
    await emulator.stop();
  }
}
