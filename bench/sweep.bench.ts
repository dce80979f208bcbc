import { sql } from 'kysely';
import { startMonitor } from '../src/app/index.ts';
import type { EmbeddedTuning } from '../src/db/index.ts';
import { APP_BUDGETS } from '../src/tiktok/index.ts';
import type { BenchOptions } from './registry.ts';
import { startMonitorWorld } from './support/monitor-world.ts';

/**
 * One liveness sweep over 10,000 advertisers in 200 connections: the calls it makes against the
 * theoretical minimum (one token check per connection + advertiser info per hundred), and its time
 * against the bound the app's rate budget sets. Limits off (≤ 10 s target) and, in a full run, on
 * the basic tier (10 QPS: time ≤ 1.1 × calls ÷ 10).
 */
export async function sweepBenchmark({ quick }: BenchOptions): Promise<Record<string, unknown>> {
  const results: Record<string, unknown> = { limits_off: await sweepOnce('none', undefined, quick ? 1 : 3) };
  if (!quick) {
    // The embedded memory tuning's price: the same sweep with V8 optimising PGlite's WebAssembly.
    results.limits_off_optimized_wasm = await sweepOnce('none', { sharedBuffersMb: 128, optimizeWasm: true });
    results.basic_tier = await sweepOnce('basic', undefined, 2);
  }
  return { connections: 200, advertisers: 10_000, ...results };
}

async function sweepOnce(tier: 'none' | 'basic', tuning?: EmbeddedTuning, rounds = 3) {
  // Campaign watch out of the way (it is measured on its own): a week apart, and next due in a day.
  const world = await startMonitorWorld({
    connections: 200,
    perConnection: 50,
    tier,
    tuning,
    env: { ADWARDEN_CAMPAIGN_WATCH_INTERVAL: '7d' },
  });
  const db = world.services.database.db;
  try {
    const minimum = Number(
      (
        await sql<{
          n: number;
        }>`select sum(1 + ceil(c::numeric / 100))::int as n from (select count(*) as c from advertisers where granted group by connection_id) t`.execute(
          db,
        )
      ).rows[0]!.n,
    );
    // A warm-up sweep where limits are off (it costs a second), then the measured rounds.
    const warmups = tier === 'none' ? 1 : 0;
    const measured: Array<{ ms: number; calls: number }> = [];
    for (let round = 0; round < warmups + rounds; round++) {
      const run = await sweepRound(world);
      if (round >= warmups) measured.push(run);
    }
    const sweepMs = [...measured.map((m) => m.ms)].sort((a, b) => a - b)[Math.floor(measured.length / 2)]!;
    const apiCalls = Math.max(...measured.map((m) => m.calls));
    const perSecond = tier === 'none' ? null : APP_BUDGETS[tier].perSecond;
    const bound = perSecond === null ? null : Math.round((apiCalls / perSecond) * 1000);
    return {
      tier,
      rounds: measured.length,
      rounds_ms: measured.map((m) => Math.round(m.ms)),
      api_calls: apiCalls,
      minimum_calls: minimum,
      calls_equal_minimum: measured.every((m) => m.calls === minimum),
      sweep_ms: Math.round(sweepMs),
      budget_bound_ms: bound,
      ratio_to_bound: bound === null ? null : Number((sweepMs / bound).toFixed(3)),
      target: tier === 'none' ? 'sweep_ms ≤ 10000' : 'sweep_ms ≤ 1.1 × budget_bound_ms',
    };
  } finally {
    await world.stop();
  }
}

/** One sweep of every connection: the time until each has a check newer than the start, and the calls made. */
async function sweepRound(world: Awaited<ReturnType<typeof startMonitorWorld>>) {
  const db = world.services.database.db;
  // Every connection due now.
  await db
    .updateTable('connections')
    .set({ next_check_at: new Date(0), next_watch_at: new Date(Date.now() + 86_400_000) })
    .execute();
  await world.resetRequests();
  const started = new Date();
  const t0 = performance.now();
  const run = await startMonitor(world.services, { tickMs: 100, concurrency: { probe: 4 } });
  for (;;) {
    const row = await db
      .selectFrom('connections')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where((eb) => eb.or([eb('last_check_at', 'is', null), eb('last_check_at', '<', started)]))
      .executeTakeFirstOrThrow();
    if (Number(row.n) === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const ms = performance.now() - t0;
  await run.stop();
  return { ms, calls: await world.requests() };
}
