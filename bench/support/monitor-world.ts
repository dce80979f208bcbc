import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServices } from '../../src/app/index.ts';
import { loadConfig } from '../../src/config/index.ts';
import { type EmbeddedTuning, openDatabase } from '../../src/db/index.ts';
import { createLogger } from '../../src/log/index.ts';
import type { Services } from '../../src/services/index.ts';
import { startEmulatorProcess } from './emulator-process.ts';
import { adoptWorld, type WorldShape, writeWorldSeed } from './world-seed.ts';

/**
 * A monitored world for benchmarks: an emulator process seeded with `connections` authorizations of
 * `perConnection` advertisers each, and an embedded adwarden service (PGlite) that adopted them all.
 */
export async function startMonitorWorld(
  options: WorldShape & { env?: Record<string, string>; tuning?: EmbeddedTuning },
) {
  const dir = mkdtempSync(join(tmpdir(), 'adwarden-bench-'));
  const seed = writeWorldSeed(dir, options);
  const emulator = await startEmulatorProcess(['--seed', seed.file, '--tier', options.tier]);
  const database = await openDatabase({ memory: true, tuning: options.tuning });
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
  const connectionIds = await adoptWorld(services, emulator.url, options, seed.authorizations);
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
