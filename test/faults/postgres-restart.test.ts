import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServiceProcess } from '../../bench/support/service-process.ts';
import { createServices } from '../../src/app/index.ts';
import { loadConfig } from '../../src/config/index.ts';
import { createLogger } from '../../src/log/index.ts';
import { startEmulator } from '../emulator/helpers.ts';
import { adoptEmulatorTokens } from '../support/adopt.ts';
import { type PrivatePostgres, startPrivatePostgres } from '../support/private-postgres.ts';
import { trial } from '../support/trials.ts';
import { eventually, startWebhookSink } from '../support/webhook-sink.ts';

const RECOVER_MS = 10_000;

/**
 * `adwarden serve` (with its workers) on a PostgreSQL server of the test's own, which is stopped and
 * started again under it: cleanly, crashed (immediate), and down for a while.
 */
describe('PostgreSQL restarted under a running service', () => {
  let server: PrivatePostgres | null = null;
  let skipped = '';
  let tiktok: Awaited<ReturnType<typeof startEmulator>>;
  let sink: Awaited<ReturnType<typeof startWebhookSink>>;
  let env: Record<string, string>;
  const tokens: string[] = [];

  beforeAll(async () => {
    const started = await startPrivatePostgres();
    if ('skipped' in started) {
      skipped = started.skipped;
      return;
    }
    server = started;
    tiktok = await startEmulator();
    sink = await startWebhookSink();
    env = {
      DATABASE_URL: server.createDatabase('adwarden'),
      ADWARDEN_SECRET_KEY: Buffer.alloc(32, 3).toString('base64'),
      ADWARDEN_DATA_DIR: mkdtempSync(join(tmpdir(), 'adwarden-pgr-')),
      ADWARDEN_SWEEP_INTERVAL: '1s',
      ADWARDEN_ALLOW_PRIVATE_DESTINATIONS: 'true',
      ADWARDEN_LOG_LEVEL: 'warn',
    };
    const services = await createServices(loadConfig({ env }), {
      command: 'test',
      logger: createLogger({ level: 'silent' }),
    });
    try {
      await services.notifications.addChannel({ name: 'ops', kind: 'webhook', url: `${sink.url}/hook` });
      tokens.push(...(await adoptEmulatorTokens(services, tiktok)));
    } finally {
      await services.close();
    }
  }, 120_000);

  afterAll(async () => {
    await sink?.close();
    await tiktok?.emulator.close();
    server?.destroy();
  });

  it('recovers by itself within 10 s of each restart, without a crash loop, and loses no alert', async (context) => {
    if (!server) return context.skip(skipped);
    const db = server;
    const restarts = [
      { mode: 'fast' as const, downMs: 500 },
      { mode: 'immediate' as const, downMs: 500 },
      { mode: 'immediate' as const, downMs: 8_000 },
    ];
    const t = trial('faults', {
      area: 'PostgreSQL',
      tried:
        'the PostgreSQL server under a running serve (with workers, sweeping every second) stopped cleanly, crashed (immediate stop), and crashed and kept down for 8 s, then started again',
      expected:
        'the same process keeps running (no crash loop); within 10 s of the server being back, /readyz answers 200 and every connection has been checked again; an incident found afterwards is alerted once',
      times: restarts.length,
    });
    const service = await startServiceProcess(['serve', '--port', '0'], env, /adwarden is serving at (\S+)/);
    const url = service.match[1]!;
    const client = () => new pg.Client({ connectionString: env.DATABASE_URL });
    /** The time of the least recent check of any connection: every one was checked since then. */
    const everyChecked = async (): Promise<number> => {
      const c = client();
      await c.connect();
      try {
        const { rows } = await c.query<{ at: Date | null }>(
          'select min(last_check_at) as at from connections',
        );
        return rows[0]?.at?.getTime() ?? 0;
      } finally {
        await c.end();
      }
    };
    try {
      await eventually(async () => (await everyChecked()) > 0, 'the first checks', 30_000);
      const recoveries: number[] = [];
      const readyAfter: number[] = [];
      for (const restart of restarts) {
        db.stop(restart.mode);
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect((await fetch(`${url}/readyz`)).status).toBe(503);
        await new Promise((resolve) => setTimeout(resolve, restart.downMs));
        db.start();
        const backAt = Date.now();
        await eventually(
          async () => (await fetch(`${url}/readyz`)).status === 200,
          'ready again',
          RECOVER_MS,
        );
        readyAfter.push(Date.now() - backAt);
        await eventually(
          async () => (await everyChecked()) > backAt,
          'every connection checked after the restart',
          RECOVER_MS,
        );
        recoveries.push(Date.now() - backAt);
        expect(service.child.exitCode, service.output()).toBeNull();
      }

      // Work still flows end to end: a revoked token is found, its incident opened and alerted once.
      await tiktok.emulator.control.fault({ type: 'revokeToken', token: tokens[0]!, by: 'user' });
      const alert = await eventually(
        () => sink.received.find((r) => r.json?.type === 'incident.opened'),
        'the alert for the revoked token',
        30_000,
      );
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      expect(
        sink.received.filter((r) => r.headers['webhook-id'] === alert.headers['webhook-id']),
      ).toHaveLength(1);
      expect(service.child.exitCode).toBeNull();
      t.figures({
        ready_ms: readyAfter,
        recovery_ms: recoveries,
        slowest_recovery_ms: Math.max(...recoveries),
        target_ms: RECOVER_MS,
        service_restarts: 0,
      });
    } finally {
      await service.stop();
    }
    expect(service.output()).not.toMatch(/uncaught|unhandled|internal error/i);
  }, 240_000);
});
