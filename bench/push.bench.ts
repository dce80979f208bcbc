import { buildServer } from '../src/server/index.ts';
import type { BenchOptions } from './registry.ts';
import { startMonitorWorld } from './support/monitor-world.ts';
import { percentile } from './support/percentile.ts';

/**
 * Detection by push: each round suspends one advertiser in the emulator (a separate process), which
 * delivers TikTok's signed AD_ACCOUNT_SUSPENSION push to adwarden's /webhooks/tiktok over HTTP; the
 * time is from the fault to the incident being open. Sweeps and watch are an hour apart: only the push
 * can find it in time.
 */
export async function pushBenchmark({ quick }: BenchOptions): Promise<Record<string, unknown>> {
  const rounds = quick ? 5 : 30;
  const world = await startMonitorWorld({
    connections: 5,
    perConnection: Math.ceil(rounds / 5),
    tier: 'none',
    env: {
      ADWARDEN_SWEEP_INTERVAL: '1h',
      ADWARDEN_CAMPAIGN_WATCH_INTERVAL: '1h',
      ADWARDEN_TIKTOK_STATUS_FEED: 'off',
    },
  });
  const { services } = world;
  const server = buildServer(services);
  try {
    const address = await server.listen({ port: 0, host: '127.0.0.1' });
    services.setPublicUrl(address);
    let subscriptions = 0;
    for (const id of world.connectionIds) subscriptions += await services.push.subscribe(id);
    const advertisers = (
      await Promise.all(world.connectionIds.map((id) => services.connections.show(id)))
    ).flatMap((c) => c.advertiser_list.map((a) => a.advertiser_id));
    const opened: number[] = [];
    for (const advertiserId of advertisers.slice(0, rounds)) {
      const t0 = performance.now();
      await world.emulator.control('/faults', 'POST', {
        type: 'suspendAccount',
        advertiserId,
        status: 'STATUS_LIMIT',
      });
      for (;;) {
        const found = (await services.incidents.list()).some(
          (i) => i.kind === 'account_status' && (i.subject as { id?: string }).id === advertiserId,
        );
        if (found) break;
        if (performance.now() - t0 > 30_000) throw new Error(`no incident for ${advertiserId} within 30 s`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      opened.push(performance.now() - t0);
    }
    return {
      rounds: opened.length,
      subscriptions,
      open_p50_ms: percentile(opened, 50),
      open_p99_ms: percentile(opened, 99),
      open_max_ms: Math.round(Math.max(...opened)),
      target: 'open p99 ≤ 2000 ms after TikTok sends the push',
    };
  } finally {
    await server.close();
    await world.stop();
  }
}
