import { APP_BUDGETS } from '../src/tiktok/index.ts';
import type { BenchOptions } from './registry.ts';
import { startMonitorWorld } from './support/monitor-world.ts';

const DAY = 86_400_000;

/**
 * The whole monitor's TikTok calls per advertiser per day, at the default intervals, measured on a
 * world like an agency's (campaigns on every advertiser, a third on Smart+, a quarter on GMV Max):
 * each kind of work is run and its calls counted at the emulator, then scaled to a day — a probe per
 * connection every 5 minutes, campaign watch every 15 minutes, spend read once an hour (the first
 * read of an advertiser, four weeks of hours, is counted apart), push reconciliation once an hour.
 * Reported against the Basic tier's 10 QPS (864,000 calls a day): how many advertisers one app can watch.
 */
export async function budgetBenchmark({ quick }: BenchOptions): Promise<Record<string, unknown>> {
  const connections = quick ? 4 : 20;
  const perConnection = 5;
  const world = await startMonitorWorld({
    connections,
    perConnection,
    tier: 'none',
    campaigns: true,
    env: { ADWARDEN_TIKTOK_STATUS_FEED: 'off' },
  });
  const { services } = world;
  const count = async (work: () => Promise<unknown>) => {
    await world.resetRequests();
    await work();
    return world.requests();
  };
  try {
    const advertisers = connections * perConnection;
    const each = (run: (id: string) => Promise<unknown>) => async () => {
      for (const id of world.connectionIds) await run(id);
    };
    const probe = await count(each((id) => services.monitor.probe(id, 'bench')));
    // The first watch of each advertiser reads four weeks of hourly spend; the next reads the listings only.
    const firstWatch = await count(each((id) => services.monitor.watch(id)));
    const watch = await count(each((id) => services.monitor.watch(id)));
    // An hour later: listings and one spend read (yesterday and today).
    await services.database.db
      .updateTable('spend_reads')
      .set({ read_at: new Date(Date.now() - 3_700_000) })
      .execute();
    const hourlyWatch = await count(each((id) => services.monitor.watch(id)));
    // The Smart+ and GMV Max listings skipped for advertisers without them are asked again once an hour.
    const familyRecheck = firstWatch - hourlyWatch;
    const reconcile = await count(() => services.push.reconcile());

    const perDay = {
      probes: (DAY / 300_000) * probe,
      watches: (DAY / 900_000 - 24) * watch + 24 * (hourlyWatch + familyRecheck),
      push_reconcile: 24 * reconcile,
    };
    const total = perDay.probes + perDay.watches + perDay.push_reconcile;
    const perAdvertiser = total / advertisers;
    const basicPerDay = APP_BUDGETS.basic.perSecond * 86_400;
    return {
      advertisers,
      connections,
      calls_per_round: {
        probe_all: probe,
        first_watch_all: firstWatch,
        watch_all: watch,
        watch_with_spend_all: hourlyWatch,
        family_recheck_all: familyRecheck,
        push_reconcile: reconcile,
      },
      calls_per_advertiser_per_day: Math.round(perAdvertiser),
      of_which: {
        probes: Math.round(perDay.probes / advertisers),
        campaign_watch_and_spend: Math.round(perDay.watches / advertisers),
        push_reconcile: Number((perDay.push_reconcile / advertisers).toFixed(2)),
      },
      first_read_per_advertiser: Number(((firstWatch - watch) / advertisers).toFixed(2)),
      basic_tier_calls_per_day: basicPerDay,
      advertisers_per_app_at_basic: Math.floor(basicPerDay / perAdvertiser),
      note: 'per-connection probes are shared by its advertisers (5 per connection here); pushes cost no calls',
    };
  } finally {
    await world.stop();
  }
}
