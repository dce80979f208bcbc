import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServices, type Services } from '../../src/app/index.ts';
import { loadConfig } from '../../src/config/index.ts';
import { openDatabase } from '../../src/db/index.ts';
import { createLogger } from '../../src/log/index.ts';
import { Secret } from '../../src/vault/secret.ts';
import { startEmulatorProcess } from './emulator-process.ts';

const APP_ID = '7100000000000000001';
const id = (prefix: string, n: number) => `${prefix}${String(n).padStart(19 - prefix.length, '0')}`;

/**
 * A monitored world for benchmarks: an emulator process seeded with `connections` authorizations of
 * `perConnection` advertisers each, and an embedded adwarden service (PGlite) that adopted them all.
 */
export async function startMonitorWorld(options: {
  connections: number;
  perConnection: number;
  tier: 'basic' | 'advanced' | 'premium' | 'ultimate' | 'none';
  env?: Record<string, string>;
}) {
  const dir = mkdtempSync(join(tmpdir(), 'adwarden-bench-'));
  const total = options.connections * options.perConnection;
  const seed = {
    apps: [{ app_id: APP_ID, secret: 'bench-secret-0001', name: 'Bench app', tier: options.tier }],
    advertisers: Array.from({ length: total }, (_, i) => ({
      advertiser_id: id('72', i + 1),
      name: `Advertiser ${i + 1}`,
      app_ids: [APP_ID],
      campaigns: false,
    })),
    authorizations: Array.from({ length: options.connections }, (_, c) => ({
      app_id: APP_ID,
      advertiser_ids: Array.from({ length: options.perConnection }, (_, a) =>
        id('72', c * options.perConnection + a + 1),
      ),
      access_token: `bench-token-${String(c).padStart(5, '0')}`,
    })),
  };
  const seedFile = join(dir, 'seed.json');
  writeFileSync(seedFile, JSON.stringify(seed));
  const emulator = await startEmulatorProcess(['--seed', seedFile, '--tier', options.tier]);
  const database = await openDatabase({ memory: true });
  const services: Services = await createServices(
    loadConfig({
      env: { ADWARDEN_DATA_DIR: dir, ADWARDEN_ALLOW_PRIVATE_DESTINATIONS: 'true', ...(options.env ?? {}) },
    }),
    {
      command: 'bench',
      logger: createLogger({ level: 'silent' }),
      database,
      ...(options.tier === 'none' ? { clientOptions: { tier: 'none' as const } } : {}),
    },
  );
  await services.apps.register({
    app_id: APP_ID,
    secret: 'bench-secret-0001',
    environment: 'production',
    base_url: emulator.url,
    rate_tier: options.tier === 'none' ? 'basic' : options.tier,
  });
  const connectionIds: string[] = [];
  for (const grant of seed.authorizations) {
    const adopted = await services.connect.importToken({
      appId: APP_ID,
      regime: 'advertiser',
      accessToken: new Secret(grant.access_token),
      advertiserIds: grant.advertiser_ids,
      ownerContact: 'owner@example.com',
    });
    connectionIds.push(adopted.connectionId);
  }
  return {
    emulator,
    services,
    tokens: seed.authorizations.map((a) => a.access_token),
    /** The connection adopted from each token, in the same order. */
    connectionIds,
    /** API requests the emulator received since the last reset. */
    async requests(): Promise<number> {
      return (await emulator.control<{ total: number }>('/requests')).total;
    },
    async resetRequests() {
      await emulator.control('/requests', 'DELETE');
    },
    async stop() {
      await services.close();
      await database.close();
      await emulator.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
