import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { createEmulator } from '../../src/emulator/index.ts';
import { createTikTokClient, postgresLimiterFactory } from '../../src/index.ts';

// Two clients with their own pools — as two processes would have — share one budget through PostgreSQL.
const config = loadConfig();
if (!config.databaseUrl) throw new Error('DATABASE_URL is not set: npm run test:postgres needs PostgreSQL.');
const pools = [0, 1].map(() => new pg.Pool({ connectionString: config.databaseUrl!.reveal(), max: 5 }));
const table = `adwarden_rl_${process.pid}_${Date.now()}`;

afterAll(async () => {
  await pools[0]!.query(`drop table if exists ${table}`);
  await Promise.all(pools.map((p) => p.end()));
});

describe('pacing on a shared PostgreSQL store', () => {
  it('keeps clients of one app within the app’s limit together, in one process and across two', async () => {
    const emulator = await createEmulator({ seed: 'demo', tier: 'basic' });
    const world = await emulator.control.state();
    const app = world.apps.find((a) => a.environment === 'production')!;
    const token = world.tokens.find((t) => t.app_id === app.app_id)!;
    const clients = await Promise.all(
      pools.map(async (pool) =>
        createTikTokClient({
          appId: app.app_id,
          accessToken: token.access_token,
          baseUrl: emulator.url,
          tier: 'basic',
          limiterFactory: await postgresLimiterFactory(pool, { tableName: table }),
        }),
      ),
    );
    try {
      await Promise.all(clients.flatMap((client) => Array.from({ length: 12 }, () => client.getUserInfo())));
      const codes = (await emulator.control.requests()).map((r) => r.code);
      expect(codes).toHaveLength(24);
      expect(codes.filter((c) => c !== 0)).toEqual([]);

      // And across processes: a second Node process paces on the same table while this one calls too.
      await emulator.control.clearRequests();
      const worker = fileURLToPath(new URL('./pacing-worker.ts', import.meta.url));
      const other = promisify(execFile)(process.execPath, [
        worker,
        config.databaseUrl!.reveal(),
        table,
        emulator.url,
        app.app_id,
        token.access_token,
        '15',
      ]);
      await Promise.all(Array.from({ length: 15 }, () => clients[0]!.getUserInfo()));
      await other;
      const both = (await emulator.control.requests()).map((r) => r.code);
      expect(both).toHaveLength(30);
      expect(both.filter((c) => c !== 0)).toEqual([]);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
      await emulator.close();
    }
  });
});
