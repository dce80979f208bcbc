import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../src/app/index.ts';
import { loadConfig } from '../../src/config/index.ts';
import type { DatabaseHandle } from '../../src/db/index.ts';
import { createLogger } from '../../src/log/index.ts';
import type { Services } from '../../src/services/index.ts';
import { startEmulator } from '../emulator/helpers.ts';
import { freshDatabase } from '../service/stack.ts';
import { adoptEmulatorTokens } from '../support/adopt.ts';
import { eventually, startWebhookSink } from '../support/webhook-sink.ts';

const BIN = fileURLToPath(new URL('../../bin/adwarden.js', import.meta.url));

describe('two adwarden workers on one PostgreSQL', () => {
  let tiktok: Awaited<ReturnType<typeof startEmulator>>;
  let database: DatabaseHandle & { url?: string };
  let services: Services;
  let sink: Awaited<ReturnType<typeof startWebhookSink>>;
  const workers: ChildProcess[] = [];
  const output: string[] = [];
  const tokens: string[] = [];
  let env: Record<string, string>;

  const startWorker = () =>
    new Promise<ChildProcess>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, 'worker'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout!.on('data', (chunk) => {
        output.push(String(chunk));
        if (String(chunk).includes('adwarden worker: monitoring')) resolve(child);
      });
      child.stderr!.on('data', (chunk) => output.push(String(chunk)));
      child.on('exit', (code) => reject(new Error(`worker exited early (${code}): ${output.join('')}`)));
      workers.push(child);
    });

  beforeAll(async () => {
    tiktok = await startEmulator();
    database = await freshDatabase('postgres');
    const schema = new URL(database.url!).searchParams.get('options')!.split('=')[1]!;
    env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      DATABASE_URL: database.url!,
      ADWARDEN_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
      ADWARDEN_DATA_DIR: mkdtempSync(join(tmpdir(), 'adwarden-workers-')),
      ADWARDEN_JOBS_SCHEMA: `jobs_${schema}`,
      ADWARDEN_SWEEP_INTERVAL: '4s',
      ADWARDEN_CAMPAIGN_WATCH_INTERVAL: '1h',
      ADWARDEN_LOG_LEVEL: 'warn',
      ADWARDEN_ALLOW_PRIVATE_DESTINATIONS: 'true', // the webhook sink listens on 127.0.0.1
    };
    services = await createServices(loadConfig({ env }), {
      command: 'test',
      logger: createLogger({ level: 'silent' }),
      database,
    });
    sink = await startWebhookSink();
    await services.notifications.addChannel({ name: 'ops', kind: 'webhook', url: `${sink.url}/hook` });
    tokens.push(...(await adoptEmulatorTokens(services, tiktok)));
    await Promise.all([startWorker(), startWorker()]);
  }, 120_000);

  const finishedTicks = async () => {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from ${sql.table(`${env.ADWARDEN_JOBS_SCHEMA}.job`)}
      where name = 'adwarden-tick' and state = 'completed'`.execute(database.db);
    return rows[0]!.n;
  };

  afterAll(async () => {
    for (const worker of workers) worker.kill('SIGKILL');
    await sink?.close();
    await services?.close();
    await database?.close();
    await tiktok?.emulator.close();
  });

  it('opens one incident per revoked token and sends each once, although a worker is killed mid-sweep', async () => {
    expect(tokens.length).toBe(4);
    for (const token of tokens)
      await tiktok.emulator.control.fault({ type: 'revokeToken', token, by: 'user' });
    // Kill one worker as soon as the sweep has started finding dead tokens.
    await eventually(
      async () => (await services.connections.list()).some((c) => c.status === 'needs_reauth'),
      'the sweep to start',
      60_000,
    );
    workers[0]!.kill('SIGKILL');

    // pg-boss hands the killed worker's probe on once its heartbeat lapses (about a minute here).
    const incidents = await eventually(
      async () => {
        const list = await services.incidents.list({ problem: 'auth' });
        return list.length === 4 && sink.received.length >= 4 ? list : null;
      },
      'four auth incidents, each notified',
      200_000,
    );
    expect(new Set(incidents.map((i) => (i.subject as { id: string }).id)).size).toBe(4);
    expect((await services.connections.list()).every((c) => c.status === 'needs_reauth')).toBe(true);

    // Let three more sweeps run (ticks finished in pg-boss, not a sleep): nothing is added or sent twice.
    const before = sink.received.length;
    const ticksAtStart = await finishedTicks();
    await eventually(async () => (await finishedTicks()) >= ticksAtStart + 3, 'three more sweeps', 60_000);
    expect(sink.received.length).toBe(before);
    // Delivery is at-least-once: a sender killed between the POST and marking the row delivered sends it
    // again under the same webhook-id (receivers dedupe on it). Every id is one event, every event one id.
    const byId = new Map<string, string>();
    for (const r of sink.received) {
      const event = `${r.json.data.incident.id}:${r.json.type}`;
      const id = String(r.headers['webhook-id']);
      expect(byId.get(id) ?? event).toBe(event);
      byId.set(id, event);
    }
    expect(new Set(byId.values()).size).toBe(byId.size);
    expect(byId.size).toBe(4);
    const outbox = await services.notifications.notifications();
    expect(outbox.map((n) => n.status)).toEqual(['delivered', 'delivered', 'delivered', 'delivered']);
    expect((await services.incidents.list()).length).toBe(4);
  }, 260_000);
});
