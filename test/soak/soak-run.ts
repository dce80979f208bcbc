// The soak world, in its own process so its memory is the service's alone: the emulator on an
// accelerated clock, an embedded service (PGlite in a data dir) monitoring it on the same clock, and a
// random fault schedule. Prints one JSON line per simulated hour ({ type: 'sample', … }), one per fault
// ({ type: 'fault', … }) and a last one ({ type: 'done', … }).
// Settings (environment): SOAK_DAYS (7), SOAK_SPEED (400), SOAK_CONNECTIONS (20) × SOAK_PER_CONNECTION (50),
// SOAK_SEED (random).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { BENCH_APP, writeWorldSeed } from '../../bench/support/world-seed.ts';
import { createServices, startMonitor } from '../../src/app/index.ts';
import { loadConfig } from '../../src/config/index.ts';
import { createEmulator } from '../../src/emulator/index.ts';
import { createLogger } from '../../src/log/index.ts';
import { buildServer } from '../../src/server/index.ts';
import { Secret } from '../../src/vault/secret.ts';
import { startWebhookSink } from '../support/webhook-sink.ts';

const HOUR = 3_600_000;
const days = Number(process.env.SOAK_DAYS ?? 7);
const speed = Number(process.env.SOAK_SPEED ?? 400);
const connections = Number(process.env.SOAK_CONNECTIONS ?? 20);
const perConnection = Number(process.env.SOAK_PER_CONNECTION ?? 50);
const seedValue = Number(process.env.SOAK_SEED ?? Date.now() % 1_000_000);

const emit = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);

// mulberry32: the fault schedule can be replayed from its seed.
let state = seedValue >>> 0;
const random = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};
const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;

const dir = mkdtempSync(join(tmpdir(), 'adwarden-soak-'));
const seed = writeWorldSeed(dir, { connections, perConnection, tier: 'none', campaigns: true });
const emulator = await createEmulator({ seed: seed.file, speed, tier: 'none' });
const now = () => emulator.clock.now();
const sink = await startWebhookSink();
const config = loadConfig({
  env: {
    ADWARDEN_DATA_DIR: join(dir, 'data'),
    ADWARDEN_PORT: '0',
    ADWARDEN_CAMPAIGN_WATCH_INTERVAL: '1h',
    ADWARDEN_CHECK_RETENTION: '2d',
    ADWARDEN_ALLOW_PRIVATE_DESTINATIONS: 'true',
  },
});
const services = await createServices(config, {
  command: 'soak',
  logger: createLogger({ level: 'error' }),
  now,
  quietMs: 10 * 60_000,
  // Waits between retries follow the accelerated clock, as in the demo; timeouts stay real.
  clientOptions: {
    tier: 'none',
    retry: { delayScale: 1 / speed },
    breaker: { halfOpenAfterMs: Math.max(100, Math.round(5_000 / speed)) },
  },
});
const server = buildServer(services);
const address = await server.listen({ port: 0, host: '127.0.0.1' });
services.setPublicUrl(address);
const callback = `${address}/oauth/tiktok/callback`;
await emulator.control.allowRedirectUri(BENCH_APP.app_id, callback);
await services.apps.register({
  app_id: BENCH_APP.app_id,
  secret: BENCH_APP.secret,
  environment: 'production',
  base_url: emulator.url,
  redirect_uri: callback,
});
await services.notifications.addChannel({ name: 'ops', kind: 'webhook', url: `${sink.url}/hook` });
const connectionOf = new Map<string, string>();
for (const grant of seed.authorizations) {
  const { connectionId } = await services.connect.importToken({
    appId: BENCH_APP.app_id,
    regime: 'advertiser',
    accessToken: new Secret(grant.access_token),
    advertiserIds: grant.advertiser_ids,
  });
  connectionOf.set(connectionId, grant.advertiser_ids[0]!);
}
const run = await startMonitor(services, { tickMs: Math.max(50, Math.round(20_000 / speed)) });
const db = services.database.db;

/**
 * The owner answers the re-auth link: consent on the emulator's page, back to the callback. On this
 * clock the 10-minute state lasts 1.5 real seconds at 400×, so a slow round trip can outlive it; the
 * owner then does what the page says and starts again (up to three times). Returns what the last page said.
 */
async function reauthorize(
  connectionId: string,
): Promise<{ repaired: boolean; attempts: number; page: string }> {
  let page = '';
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      const link = await services.connections.reauthLink(connectionId);
      const start = await fetch(link.url, { redirect: 'manual' });
      const portal = new URL(start.headers.get('location')!);
      const advertisers = (await services.connections.show(connectionId)).advertiser_list.map(
        (a) => a.advertiser_id,
      );
      const form = new URLSearchParams({
        app_id: BENCH_APP.app_id,
        state: portal.searchParams.get('state')!,
        redirect_uri: portal.searchParams.get('redirect_uri')!,
        decision: 'authorize',
      });
      for (const id of advertisers) form.append('advertiser_ids', id);
      const granted = await fetch(`${portal.origin}/portal/auth`, {
        method: 'POST',
        redirect: 'manual',
        body: form,
      });
      const landed = await fetch(granted.headers.get('location')!);
      page = /<title>([^<]*)<\/title>/.exec(await landed.text())?.[1] ?? `HTTP ${landed.status}`;
      if (page.startsWith('Reconnected')) return { repaired: true, attempts: attempt, page };
    } catch (error) {
      page = (error as Error).message;
    }
  }
  return { repaired: false, attempts: 3, page };
}

const repairs: Array<{ at: number; connectionId: string }> = [];
const restores: Array<{ at: number; advertiserId: string }> = [];
const faults: Record<string, number> = {};

/** One simulated hour's fault draw, and the repairs and restores that fall due. */
async function faultHour(t: number) {
  for (const due of repairs.filter((r) => r.at <= t)) {
    repairs.splice(repairs.indexOf(due), 1);
    const repaired = await reauthorize(due.connectionId).catch(() => false);
    emit({
      type: 'fault',
      at: new Date(t).toISOString(),
      fault: 'reauthorized',
      connection: due.connectionId,
      repaired,
    });
  }
  for (const due of restores.filter((r) => r.at <= t)) {
    restores.splice(restores.indexOf(due), 1);
    await emulator.control.fault({
      type: 'suspendAccount',
      advertiserId: due.advertiserId,
      status: 'STATUS_ENABLE',
    });
  }
  if (random() > 0.25) return;
  const kind = pick(['revoke', 'outage', 'throttle', 'gateway', 'chaos', 'suspend'] as const);
  faults[kind] = (faults[kind] ?? 0) + 1;
  const minutes = (n: number) => n * 60_000;
  switch (kind) {
    case 'revoke': {
      const healthy = (await services.connections.list()).filter((c) => c.status === 'healthy');
      if (healthy.length === 0) return;
      const victim = pick(healthy);
      await emulator.control.fault({
        type: 'revokeToken',
        advertiserId: connectionOf.get(victim.id)!,
        by: 'user',
      });
      repairs.push({ at: t + (2 + Math.floor(random() * 5)) * HOUR, connectionId: victim.id });
      break;
    }
    case 'outage':
      await emulator.control.fault({ type: 'outage', code: 50002, rate: 0.5, durationMs: minutes(15) });
      break;
    case 'throttle':
      await emulator.control.fault({ type: 'throttle', code: 40100, rate: 0.3, durationMs: minutes(10) });
      break;
    case 'gateway':
      await emulator.control.fault({ type: 'gatewayHtml', status: 502, rate: 0.3, durationMs: minutes(10) });
      break;
    case 'chaos':
      await emulator.control.fault({
        type: 'chaos',
        rate: 0.2,
        slowMs: 200,
        stallMs: 2_000,
        bytes: 256 * 1024,
        durationMs: minutes(10),
      });
      break;
    case 'suspend': {
      const advertiserId = pick(seed.authorizations).advertiser_ids[Math.floor(random() * perConnection)]!;
      await emulator.control.fault({ type: 'suspendAccount', advertiserId, status: 'STATUS_LIMIT' });
      restores.push({ at: t + (1 + Math.floor(random() * 6)) * HOUR, advertiserId });
      break;
    }
  }
  emit({ type: 'fault', at: new Date(t).toISOString(), fault: kind });
}

async function sample(hour: number) {
  const count = async (table: string) =>
    Number((await sql.raw<{ n: number }>(`select count(*)::int as n from ${table}`).execute(db)).rows[0]!.n);
  const jobs = await sql<{ state: string; n: number }>`
    select state, count(*)::int as n from pgboss.job group by 1`.execute(db);
  const waiting = await sql<{ name: string; n: number }>`
    select replace(name, 'adwarden-', '') as name, count(*)::int as n from pgboss.job
    where state in ('created', 'retry') group by 1`.execute(db);
  // pg-boss keeps real time: a job waiting or running for two real minutes is stuck, at any speed.
  const stuck = await sql<{ name: string; state: string; n: number }>`
    select name, state, count(*)::int as n from pgboss.job
    where state in ('created', 'retry', 'active') and coalesce(started_on, start_after, created_on) < now() - interval '2 minutes'
    group by 1, 2`.execute(db);
  const statuses = await sql<{ status: string; n: number }>`
    select status, count(*)::int as n from connections group by 1`.execute(db);
  const outbox = await sql<{
    status: string;
    n: number;
  }>`select status, count(*)::int as n from outbox group by 1`.execute(db);
  const unwell = await sql<{ id: string; status: string; reason: string | null }>`
    select id, status, status_reason as reason from connections where status <> 'healthy'`.execute(db);
  const memory = process.memoryUsage();
  emit({
    type: 'sample',
    hour,
    at: new Date(now()).toISOString(),
    rss_mb: Math.round(memory.rss / 1_048_576),
    heap_mb: Math.round(memory.heapUsed / 1_048_576),
    checks: await count('checks'),
    incidents_open: Number(
      (
        await sql<{ n: number }>`select count(*)::int as n from incidents where state <> 'resolved'`.execute(
          db,
        )
      ).rows[0]!.n,
    ),
    incidents: await count('incidents'),
    connections: Object.fromEntries(statuses.rows.map((r) => [r.status, r.n])),
    unwell: unwell.rows,
    outbox: Object.fromEntries(outbox.rows.map((r) => [r.status, r.n])),
    jobs: Object.fromEntries(jobs.rows.map((r) => [r.state, r.n])),
    waiting: Object.fromEntries(waiting.rows.map((r) => [r.name, r.n])),
    stuck_jobs: stuck.rows,
    tiktok_calls: await emulator.control.requestCount(),
    deliveries: sink.received.length,
  });
}

const started = now();
const realStart = Date.now();
try {
  for (let hour = 1; hour <= days * 24; hour++) {
    const target = started + hour * HOUR;
    while (now() < target) await new Promise((resolve) => setTimeout(resolve, 20));
    await faultHour(now());
    await sample(hour);
  }
  emit({
    type: 'done',
    seed: seedValue,
    days,
    speed,
    advertisers: connections * perConnection,
    connections,
    real_seconds: Math.round((Date.now() - realStart) / 1000),
    faults,
  });
} finally {
  await run.stop();
  await server.close();
  await services.close();
  await sink.close();
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
}
