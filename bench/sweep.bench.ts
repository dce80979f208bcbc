import { sql } from 'kysely';
import { startMonitor } from '../src/app/index.ts';
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
  const variants = quick ? (['none'] as const) : (['none', 'basic'] as const);
  const results: Record<string, unknown> = {};
  for (const tier of variants) results[tier === 'none' ? 'limits_off' : 'basic_tier'] = await sweepOnce(tier);
  return { connections: 200, advertisers: 10_000, ...results };
}

async function sweepOnce(tier: 'none' | 'basic') {
  const world = await startMonitorWorld({ connections: 200, perConnection: 50, tier });
  const db = world.services.database.db;
  try {
    // Every connection due now; campaign watch out of the way (it is measured on its own).
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
    const sweepMs = performance.now() - t0;
    await run.stop();
    const apiCalls = await world.requests();
    const minimum = Number(
      (
        await sql<{
          n: number;
        }>`select sum(1 + ceil(c::numeric / 100))::int as n from (select count(*) as c from advertisers where granted group by connection_id) t`.execute(
          db,
        )
      ).rows[0]!.n,
    );
    const perSecond = tier === 'none' ? null : APP_BUDGETS[tier].perSecond;
    const bound = perSecond === null ? null : Math.round((apiCalls / perSecond) * 1000);
    return {
      tier,
      api_calls: apiCalls,
      minimum_calls: minimum,
      calls_equal_minimum: apiCalls === minimum,
      sweep_ms: Math.round(sweepMs),
      budget_bound_ms: bound,
      ratio_to_bound: bound === null ? null : Number((sweepMs / bound).toFixed(3)),
      target: tier === 'none' ? 'sweep_ms ≤ 10000' : 'sweep_ms ≤ 1.1 × budget_bound_ms',
    };
  } finally {
    await world.stop();
  }
}
