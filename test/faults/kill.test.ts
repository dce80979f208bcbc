import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServiceProcess } from '../../bench/support/service-process.ts';
import { BENCH_APP, writeWorldSeed } from '../../bench/support/world-seed.ts';
import { createServices } from '../../src/app/index.ts';
import { loadConfig } from '../../src/config/index.ts';
import { openDatabase } from '../../src/db/index.ts';
import { createEmulator } from '../../src/emulator/index.ts';
import { createLogger } from '../../src/log/index.ts';
import { readAdminToken } from '../../src/services/index.ts';
import { Secret } from '../../src/vault/secret.ts';
import { type PrivatePostgres, startPrivatePostgres } from '../support/private-postgres.ts';
import { trial } from '../support/trials.ts';
import { eventually, startWebhookSink } from '../support/webhook-sink.ts';

type Proc = Awaited<ReturnType<typeof startServiceProcess>>;
type Kind = 'serve' | 'worker';

/** A small deterministic PRNG (mulberry32): a run can be replayed from its seed. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** The world every drill runs in: an emulator with one advertiser per authorization and a slow receiver. */
async function world(connections: number) {
  const dir = mkdtempSync(join(tmpdir(), 'adwarden-kill-'));
  const seed = writeWorldSeed(dir, { connections, perConnection: 1, tier: 'none' });
  const emulator = await createEmulator({ seed: seed.file, tier: 'none' });
  const sink = await startWebhookSink({ delayMs: 300 });
  const port = await freePort();
  const callback = `http://127.0.0.1:${port}/oauth/tiktok/callback`;
  await emulator.control.allowRedirectUri(BENCH_APP.app_id, callback);
  return { dir, seed, emulator, sink, port, callback };
}

/** Adopts the world's authorizations into the install `env` describes; returns advertiser → connection. */
/** The settings both drills run with: sweeps every second, campaign watch out of the way. */
const drillEnv = (w: Awaited<ReturnType<typeof world>>) => ({
  ADWARDEN_DATA_DIR: join(w.dir, 'data'),
  ADWARDEN_SWEEP_INTERVAL: '1s',
  ADWARDEN_CAMPAIGN_WATCH_INTERVAL: '1h',
  ADWARDEN_ALLOW_PRIVATE_DESTINATIONS: 'true',
  ADWARDEN_LOG_LEVEL: 'warn',
});

async function adopt(env: Record<string, string>, w: Awaited<ReturnType<typeof world>>) {
  const services = await createServices(loadConfig({ env }), {
    command: 'test',
    logger: createLogger({ level: 'silent' }),
  });
  const connectionOf = new Map<string, string>();
  try {
    await services.apps.register({
      app_id: BENCH_APP.app_id,
      secret: BENCH_APP.secret,
      environment: 'production',
      base_url: w.emulator.url,
      redirect_uri: w.callback,
    });
    await services.notifications.addChannel({ name: 'ops', kind: 'webhook', url: `${w.sink.url}/hook` });
    for (const grant of w.seed.authorizations) {
      const { connectionId } = await services.connect.importToken({
        appId: BENCH_APP.app_id,
        regime: 'advertiser',
        accessToken: new Secret(grant.access_token),
        advertiserIds: grant.advertiser_ids,
        ownerContact: 'owner@example.com',
      });
      connectionOf.set(grant.advertiser_ids[0]!, connectionId);
    }
  } finally {
    await services.close();
  }
  return connectionOf;
}

/**
 * The drill: tokens are revoked, repaired through the re-auth link, and some revoked again, while the
 * processes are killed with SIGKILL at moments aimed alternately at a delivery in flight and at a
 * running probe, each restarted at once. Ends when every incident is where the faults put it and
 * every notification is out; returns what it saw.
 */
async function drill(options: {
  w: Awaited<ReturnType<typeof world>>;
  kills: number;
  connectionOf: Map<string, string>;
  kinds: Kind[];
  start: (kind: Kind) => Promise<Proc>;
  /** The queues with a job running now; null where that cannot be seen from outside (embedded). */
  activeJobs: (() => Promise<Set<string>>) | null;
  random: () => number;
}) {
  const { w, kills, connectionOf } = options;
  const advertisers = [...connectionOf.keys()];
  const n = advertisers.length;
  const admin = () => readAdminToken(join(w.dir, 'data'))!.reveal();
  const api = async (method: string, path: string) => {
    const response = await fetch(`http://127.0.0.1:${w.port}${path}`, {
      method,
      headers: { authorization: `Bearer ${admin()}` },
    });
    // biome-ignore lint/suspicious/noExplicitAny: API answers are read loosely here
    return response.json() as Promise<Record<string, any>>;
  };
  const procs = new Map<Kind, Proc>();
  for (const kind of options.kinds) procs.set(kind, await options.start(kind));
  const killedDuring = { probe: 0, deliver: 0, idle: 0, unobserved: 0 };
  const activeJobs = options.activeJobs;
  let killed = 0;
  let lastKillAt = 0;
  const began = Date.now();
  try {
    for (let i = 0; i < kills; i++) {
      // Revoke every connection, repair each through its re-auth link, then revoke some again (reopen).
      const advertiserId = advertisers[i % n]!;
      const connectionId = connectionOf.get(advertiserId)!;
      if (i < n || i >= 2 * n)
        await w.emulator.control.fault({
          type: 'revokeToken',
          advertiserId,
          by: i < n ? 'user' : 'bc_admin',
        });
      else {
        await eventually(
          async () =>
            (await api('GET', `/api/v1/connections/${connectionId}`)).connection?.status === 'needs_reauth',
          'the revoked connection marked',
          120_000,
        );
        const link = (await api('POST', `/api/v1/connections/${connectionId}/reauth-link`)) as {
          url: string;
        };
        const portal = new URL((await fetch(link.url, { redirect: 'manual' })).headers.get('location')!);
        const granted = await fetch(`${portal.origin}/portal/auth`, {
          method: 'POST',
          redirect: 'manual',
          body: new URLSearchParams({
            app_id: BENCH_APP.app_id,
            state: portal.searchParams.get('state')!,
            redirect_uri: portal.searchParams.get('redirect_uri')!,
            decision: 'authorize',
            advertiser_ids: advertiserId,
          }),
        });
        const landed = await fetch(granted.headers.get('location')!, { redirect: 'manual' });
        expect(await landed.text()).toContain('Reconnected');
      }
      // Aim: a delivery in flight at the receiver, or a running probe (seen in the job table; where it
      // cannot be seen, within the second after the fault, when the next sweep probes).
      const aim = i % 2 === 0 ? 'deliver' : 'probe';
      const aimedAt = Date.now();
      const within = aim === 'probe' && !activeJobs ? options.random() * 1_000 : 3_000;
      while (Date.now() - aimedAt < within) {
        if (aim === 'deliver' && w.sink.inFlight() > 0) break;
        if (aim === 'probe' && activeJobs && (await activeJobs()).has('adwarden-probe')) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await new Promise((resolve) => setTimeout(resolve, Math.round(options.random() * 250)));
      const roll = options.random();
      const victims =
        options.kinds.length === 1
          ? options.kinds
          : roll < 1 / 3
            ? (['serve'] as Kind[])
            : roll < 2 / 3
              ? (['worker'] as Kind[])
              : options.kinds;
      const active = activeJobs ? await activeJobs() : null;
      if (active?.has('adwarden-probe')) killedDuring.probe++;
      if (active?.has('adwarden-deliver') || w.sink.inFlight() > 0) killedDuring.deliver++;
      else if (!active) killedDuring.unobserved++;
      if (active?.size === 0 && w.sink.inFlight() === 0) killedDuring.idle++;
      killed += victims.length;
      const exited = victims.map((v) => new Promise((resolve) => procs.get(v)!.child.once('exit', resolve)));
      for (const v of victims) procs.get(v)!.child.kill('SIGKILL');
      await Promise.all(exited);
      lastKillAt = Date.now();
      for (const v of victims) procs.set(v, await options.start(v));
    }
    const settleFrom = Date.now();
    const reopened = advertisers.slice(0, Math.max(0, kills - 2 * n)).map((a) => connectionOf.get(a)!);
    const incidents = await eventually(
      async () => {
        const all = (await api('GET', '/api/v1/incidents')).incidents as Array<{
          kind: string;
          state: string;
          subject: { id: string };
        }>;
        const list = all.filter((x) => x.kind === 'auth');
        const byConnection = new Map(list.map((x) => [x.subject.id, x]));
        const settled =
          list.length === n &&
          [...connectionOf.values()].every((id) =>
            reopened.includes(id)
              ? byConnection.get(id)?.state === 'open'
              : byConnection.get(id)?.state === 'resolved',
          );
        return settled ? list : null;
      },
      'every incident in the state the faults call for',
      240_000,
    );
    const expectedEvents = 2 * n + reopened.length;
    const delivered = await eventually(
      () => {
        const ids = new Set(w.sink.received.map((r) => String(r.headers['webhook-id'])));
        return ids.size >= expectedEvents ? ids : null;
      },
      'every notification delivered',
      120_000,
    );
    for (const kind of options.kinds) expect(procs.get(kind)!.child.exitCode).toBeNull();
    return {
      incidents,
      expectedEvents,
      delivered,
      killed,
      killedDuring,
      lastKillAt,
      seconds: {
        kills: Math.round((settleFrom - began) / 1000),
        settle: Math.round((Date.now() - settleFrom) / 1000),
      },
      procs,
    };
  } catch (error) {
    for (const p of procs.values()) await p.stop();
    throw error;
  }
}

/** What the receiver saw: each incident event under how many webhook-ids, and same-id redeliveries. */
function deliveriesOf(sink: Awaited<ReturnType<typeof startWebhookSink>>) {
  const idsPerEvent = new Map<string, Set<string>>();
  for (const r of sink.received) {
    const key = `${r.json.data.incident.id}:${r.json.data.event}`;
    idsPerEvent.set(key, (idsPerEvent.get(key) ?? new Set()).add(String(r.headers['webhook-id'])));
  }
  const ids = sink.received.map((r) => String(r.headers['webhook-id']));
  return {
    events: idsPerEvent.size,
    duplicated: [...idsPerEvent].filter(([, set]) => set.size > 1).map(([key]) => key),
    redelivered: ids.length - new Set(ids).size,
  };
}

/** A drill's figures for the report. */
function report(
  t: ReturnType<typeof trial>,
  seed: number,
  run: Awaited<ReturnType<typeof drill>>,
  seen: ReturnType<typeof deliveriesOf>,
  jobs: Array<{ name: string; state: string; n: number }>,
) {
  t.figures({
    seed,
    processes_killed: run.killed,
    kills_during: run.killedDuring,
    seconds: run.seconds,
    incidents: run.incidents.length,
    incident_events_notified: seen.events,
    incident_events_sent_twice: seen.duplicated.length,
    same_webhook_id_redelivered: seen.redelivered,
    jobs: Object.fromEntries(jobs.map((j) => [`${j.name}:${j.state}`, j.n])),
  });
  if (seen.redelivered > 0)
    t.note(
      `${seen.redelivered} notification(s) reached the receiver a second time under the same webhook-id: the sender was killed while the receiver was answering, so it could not know the notification had arrived, and sent it again. Receivers drop these by webhook-id, as Standard Webhooks asks; no incident event was ever sent as two different notifications.`,
    );
}

describe('kill -9 on PostgreSQL: serve and a worker', () => {
  let server: PrivatePostgres | null = null;
  let skipped = '';
  let w: Awaited<ReturnType<typeof world>>;

  beforeAll(async () => {
    const started = await startPrivatePostgres();
    if ('skipped' in started) skipped = started.skipped;
    else server = started;
    w = await world(8);
  }, 120_000);

  afterAll(async () => {
    await w?.sink.close();
    await w?.emulator.close();
    server?.destroy();
  });

  it('loses no incident, sends no incident event twice, and finishes every job', async (context) => {
    if (!server) return context.skip(skipped);
    const kills = 20;
    const seed = Date.now() % 100_000;
    const t = trial('faults', {
      area: 'Crashes',
      tried: `serve (with its workers) and a second worker on one PostgreSQL, killed with SIGKILL ${kills} times (serve, the worker or both, at random) at moments aimed alternately at a delivery in flight and a running probe, each restarted at once; meanwhile 8 tokens revoked, repaired through the re-auth link, 4 revoked again; sweeps every second, a webhook receiver taking 300 ms`,
      expected:
        'every incident opened, resolved or reopened as the faults dictate; each incident event sent as one notification (one webhook-id); every outbox row delivered; no job left unfinished',
      times: kills,
    });
    const env = {
      DATABASE_URL: server.createDatabase('adwarden'),
      ADWARDEN_SECRET_KEY: Buffer.alloc(32, 4).toString('base64'),
      ...drillEnv(w),
    };
    const connectionOf = await adopt(env, w);
    const pgClient = new pg.Client({ connectionString: env.DATABASE_URL });
    await pgClient.connect();
    try {
      const run = await drill({
        w,
        kills,
        connectionOf,
        kinds: ['serve', 'worker'],
        start: (kind) =>
          kind === 'serve'
            ? startServiceProcess(['serve', '--port', String(w.port)], env, /adwarden is serving at (\S+)/)
            : startServiceProcess(['worker'], env, /adwarden worker: monitoring/),
        activeJobs: async () =>
          new Set(
            (
              await pgClient.query<{ name: string }>(
                "select distinct name from pgboss.job where state = 'active'",
              )
            ).rows.map((r) => r.name),
          ),
        random: prng(seed),
      });
      try {
        // A row whose sender was killed while the receiver answered is already at the receiver but not
        // yet marked delivered: it is sent again (same webhook-id) once its claim runs out (20 s).
        const undelivered = async () =>
          (
            await pgClient.query(
              "select id, event, status, attempts, claimed_until, last_error from outbox where status <> 'delivered'",
            )
          ).rows;
        await eventually(
          async () => (await undelivered()).length === 0,
          'every outbox row delivered',
          90_000,
        ).catch(async (error: Error) => {
          throw new Error(`${error.message}: ${JSON.stringify(await undelivered())}`);
        });
        // No job left behind: whatever a killed process held was handed on and finished.
        await eventually(
          async () =>
            (
              await pgClient.query(
                `select 1 from pgboss.job where state in ('created', 'retry', 'active')
                 and created_on < now() - interval '150 seconds'`,
              )
            ).rows.length === 0,
          'no job older than 150 s unfinished',
          180_000,
        );
        const { rows: jobs } = await pgClient.query<{ name: string; state: string; n: number }>(
          "select replace(name, 'adwarden-', '') as name, state, count(*)::int as n from pgboss.job group by 1, 2 order by 1, 2",
        );
        const seen = deliveriesOf(w.sink);
        expect(seen.duplicated).toEqual([]);
        expect(seen.events).toBe(run.expectedEvents);
        report(t, seed, run, seen, jobs);
      } finally {
        for (const p of run.procs.values()) await p.stop();
      }
    } finally {
      await pgClient.end();
    }
  }, 600_000);
});

describe('kill -9 of the embedded service (PGlite)', () => {
  let w: Awaited<ReturnType<typeof world>>;

  beforeAll(async () => {
    w = await world(4);
  }, 60_000);

  afterAll(async () => {
    await w?.sink.close();
    await w?.emulator.close();
  });

  it('reopens its data dir after every kill, loses no incident, and finishes every job', async () => {
    const kills = 10;
    const seed = Date.now() % 100_000;
    const t = trial('faults', {
      area: 'Crashes',
      tried: `the embedded service (PGlite in its data dir, its workers in the same process) killed with SIGKILL ${kills} times at moments aimed alternately at a delivery in flight and a running probe, restarted at once on the same data dir; meanwhile 4 tokens revoked, repaired through the re-auth link, 2 revoked again`,
      expected:
        'the data dir opens after every kill (the dead holder’s lock taken over, the database intact); incidents and notifications as on PostgreSQL; every outbox row delivered; no job left unfinished',
      times: kills,
    });
    const env = {
      ...drillEnv(w),
    };
    const connectionOf = await adopt(env, w);
    const run = await drill({
      w,
      kills,
      connectionOf,
      kinds: ['serve'],
      start: () =>
        startServiceProcess(['serve', '--port', String(w.port)], env, /adwarden is serving at (\S+)/),
      // The embedded database is the service's own: only the receiver's side can be watched from here.
      activeJobs: null,
      random: prng(seed),
    });
    // Time for the restarted service to hand on what the last killed one held (heartbeat 10 s, supervision 10 s).
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, run.lastKillAt + 40_000 - Date.now())));
    await run.procs.get('serve')!.stop();
    expect(run.procs.get('serve')!.child.exitCode).toBe(0);
    // The data dir, opened again here: the outbox all delivered, no job left unfinished, tables readable.
    const database = await openDatabase({ dataDir: join(w.dir, 'data') });
    try {
      const pending = await database.db
        .selectFrom('outbox')
        .select('id')
        .where('status', '<>', 'delivered')
        .execute();
      expect(pending).toEqual([]);
      const jobs = await sql<{ name: string; state: string; n: number }>`
        select replace(name, 'adwarden-', '') as name, state, count(*)::int as n from pgboss.job group by 1, 2 order by 1, 2`.execute(
        database.db,
      );
      const leftBehind = await sql<{ name: string; state: string; n: number }>`
        select name, state, count(*)::int as n from pgboss.job
        where state in ('created', 'retry', 'active') and created_on < ${new Date(run.lastKillAt)}
        group by 1, 2`.execute(database.db);
      expect(leftBehind.rows).toEqual([]);
      const unfinished = jobs.rows.filter((j) => ['created', 'retry', 'active'].includes(j.state));
      const seen = deliveriesOf(w.sink);
      expect(seen.duplicated).toEqual([]);
      expect(seen.events).toBe(run.expectedEvents);
      report(t, seed, run, seen, jobs.rows);
      t.figures({ unfinished_jobs_at_stop: unfinished.reduce((sum, j) => sum + j.n, 0) });
      if (unfinished.length > 0)
        t.note(
          `At the graceful stop ${unfinished.map((j) => `${j.n} ${j.name} job(s) ${j.state}`).join(', ')}: queued by the last tick before the stop; they run at the next start.`,
        );
    } finally {
      await database.close();
    }
  }, 600_000);
});
