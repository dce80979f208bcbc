import { startMonitor } from '../src/app/index.ts';
import { startWebhookSink } from '../test/support/webhook-sink.ts';
import type { BenchOptions } from './registry.ts';
import { startMonitorWorld } from './support/monitor-world.ts';
import { percentile } from './support/percentile.ts';

/**
 * Detection: a token is revoked in the emulator; how long until its incident is open, and until the
 * alert is delivered to a webhook. Twice: found by the sweep (bounded by the interval, 5 s here) and
 * reported in-band (POST /api/v1/observations, verified by a probe at once).
 */
export async function detectionBenchmark({ quick }: BenchOptions): Promise<Record<string, unknown>> {
  const rounds = quick ? 3 : 10;
  const world = await startMonitorWorld({
    connections: 2 * rounds,
    perConnection: 2,
    tier: 'none',
    env: { ADWARDEN_SWEEP_INTERVAL: '5s', ADWARDEN_CAMPAIGN_WATCH_INTERVAL: '1h' },
  });
  const sink = await startWebhookSink();
  const { services } = world;
  await services.notifications.addChannel({ name: 'bench', kind: 'webhook', url: `${sink.url}/hook` });
  const run = await startMonitor(services, { tickMs: 100 });
  const measure = async (connectionId: string, token: string, inBand: boolean) => {
    const t0 = performance.now();
    await world.emulator.control('/faults', 'POST', { type: 'revokeToken', token, by: 'user' });
    if (inBand)
      await services.monitor.observeInBand({
        connection_id: connectionId,
        code: 40105,
        message: 'Access token is invalid or has been revoked',
        endpoint: '/campaign/get/',
      });
    let opened: number | null = null;
    for (;;) {
      if (opened === null && (await services.incidents.list({ connectionId })).some((i) => i.kind === 'auth'))
        opened = performance.now() - t0;
      const delivered = sink.received.find((r) => r.json?.data?.incident?.subject?.id === connectionId);
      if (opened !== null && delivered) return { open: opened, notify: performance.now() - t0 - opened };
      if (performance.now() - t0 > 60_000) throw new Error(`no incident for ${connectionId} within 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  try {
    const sweep: Array<{ open: number; notify: number }> = [];
    const inBand: Array<{ open: number; notify: number }> = [];
    for (let i = 0; i < rounds; i++) {
      sweep.push(await measure(world.connectionIds[i]!, world.tokens[i]!, false));
      inBand.push(await measure(world.connectionIds[rounds + i]!, world.tokens[rounds + i]!, true));
    }
    const summary = (values: Array<{ open: number; notify: number }>) => ({
      open_p50_ms: percentile(
        values.map((v) => v.open),
        50,
      ),
      open_p99_ms: percentile(
        values.map((v) => v.open),
        99,
      ),
      notify_p50_ms: percentile(
        values.map((v) => v.notify),
        50,
      ),
      notify_p99_ms: percentile(
        values.map((v) => v.notify),
        99,
      ),
    });
    return {
      rounds,
      sweep_interval_ms: 5_000,
      by_sweep: { ...summary(sweep), target: 'open ≤ sweep interval + 2000 ms; notify ≤ 1000 ms' },
      in_band: { ...summary(inBand), target: 'open ≤ 1000 ms' },
    };
  } finally {
    await run.stop();
    await sink.close();
    await world.stop();
  }
}
