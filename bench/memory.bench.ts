import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { SERVICE_NODE_ARGS } from '../bin/service-node-args.js';
import { createServices } from '../src/app/index.ts';
import { loadConfig } from '../src/config/index.ts';
import { createLogger } from '../src/log/index.ts';
import type { BenchOptions } from './registry.ts';
import { startEmulatorProcess } from './support/emulator-process.ts';
import { processMemory, startServiceProcess } from './support/service-process.ts';
import { adoptWorld, type WorldShape, writeWorldSeed } from './support/world-seed.ts';

const SHAPE: WorldShape = { connections: 200, perConnection: 50, tier: 'ultimate', campaigns: true };
const TARGET_MB = { embedded: 400, postgres: 200 } as const;
const SAMPLE_MS = 250;
const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const BUILT = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const max = (values: number[]) => values.reduce((a, b) => Math.max(a, b), 0);

/**
 * Memory: the resident set of `adwarden serve` (its own process) monitoring 10,000 advertisers in 200
 * connections, embedded (PGlite) and on PostgreSQL. The service sweeps every connection and watches every
 * advertiser's campaigns, paced to the Ultimate tier (50 QPS), so it is busy all the time it is measured.
 * Steady = median of the samples in the second half of the run; peak = the kernel's high-water mark.
 */
export async function memoryBenchmark({ quick }: BenchOptions): Promise<Record<string, unknown>> {
  const durationMs = quick ? 30_000 : 90_000;
  const embedded = await measure('embedded', durationMs);
  // What the embedded defaults save: PGlite's own shared_buffers (128 MB), V8's optimising tier for its
  // WebAssembly, and Node's default young generation (no launcher flags: the entry runs directly).
  const embeddedUntuned = quick
    ? null
    : await measure('embedded', durationMs, undefined, {
        env: { ADWARDEN_EMBEDDED_SHARED_BUFFERS: '128MB', ADWARDEN_EMBEDDED_OPTIMIZE_WASM: 'true' },
        entry: MAIN,
      });
  const onPostgres = (variant: Parameters<typeof measure>[3] = {}) =>
    postgresDatabase()
      .then(async (database) => {
        if ('skipped' in database) return database;
        try {
          return await measure('postgres', durationMs, database.url, variant);
        } finally {
          await database.drop();
        }
      })
      .catch((error: Error) => ({ skipped: error.message }));
  const postgres = await onPostgres();
  // What an installed package runs: the built JavaScript (no type stripping as modules load), with the
  // launcher's flags.
  const postgresInstalled = quick
    ? null
    : existsSync(BUILT)
      ? await onPostgres({ entry: BUILT, nodeArgs: [...SERVICE_NODE_ARGS] })
      : { skipped: 'no dist/ to run: npm run build first' };
  return {
    advertisers: SHAPE.connections * SHAPE.perConnection,
    connections: SHAPE.connections,
    duration_ms: durationMs,
    embedded,
    ...(embeddedUntuned ? { embedded_untuned: embeddedUntuned } : {}),
    postgres,
    ...(postgresInstalled ? { postgres_installed: postgresInstalled } : {}),
    targets_mb: TARGET_MB,
  };
}

async function measure(
  mode: 'embedded' | 'postgres',
  durationMs: number,
  databaseUrl?: string,
  variant: { env?: Record<string, string>; entry?: string; nodeArgs?: string[] } = {},
) {
  const dir = mkdtempSync(join(tmpdir(), `adwarden-memory-${mode}-`));
  const seed = writeWorldSeed(dir, SHAPE);
  const emulator = await startEmulatorProcess(['--seed', seed.file, '--tier', 'none']);
  const env: Record<string, string> = {
    ADWARDEN_DATA_DIR: join(dir, 'data'),
    ADWARDEN_LOG_LEVEL: 'warn',
    ADWARDEN_SWEEP_INTERVAL: '30s',
    ...(databaseUrl
      ? { DATABASE_URL: databaseUrl, ADWARDEN_SECRET_KEY: Buffer.alloc(32, 5).toString('base64') }
      : {}),
    ...variant.env,
  };
  try {
    // Adopt the world with the service's own code, then hand the data dir (or database) to `serve`.
    const services = await createServices(loadConfig({ env }), {
      command: 'bench',
      logger: createLogger({ level: 'silent' }),
    });
    try {
      await adoptWorld(services, emulator.url, SHAPE, seed.authorizations);
    } finally {
      await services.close();
    }
    await emulator.control('/requests', 'DELETE');

    const service = await startServiceProcess(['serve', '--port', '0'], env, /adwarden is serving at (\S+)/, {
      entry: variant.entry,
      nodeArgs: variant.nodeArgs,
    });
    const atReady = processMemory(service.pid)!;
    const samples: Array<{ at: number; rss: number }> = [];
    const t0 = performance.now();
    try {
      while (performance.now() - t0 < durationMs) {
        const memory = processMemory(service.pid);
        if (!memory) throw new Error(`adwarden serve exited during the run:\n${service.output()}`);
        samples.push({ at: performance.now() - t0, rss: memory.rss });
        await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
      }
      const atEnd = processMemory(service.pid)!;
      const steady = samples.filter((s) => s.at >= durationMs / 2).map((s) => s.rss);
      const calls = (await emulator.control<{ total: number }>('/requests')).total;
      return {
        rss_at_ready_mb: atReady.rss,
        rss_steady_mb: median(steady),
        rss_max_second_half_mb: max(steady),
        rss_peak_mb: atEnd.peak,
        anon_at_end_mb: atEnd.anon,
        tiktok_calls_during_run: calls,
        target_mb: TARGET_MB[mode],
        meets_target: median(steady) <= TARGET_MB[mode],
      };
    } finally {
      await service.stop();
    }
  } finally {
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A fresh database on the PostgreSQL of DATABASE_URL (or this machine's, 127.0.0.1:5432). */
async function postgresDatabase(): Promise<{ url: string; drop(): Promise<void> } | { skipped: string }> {
  const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const admin = new pg.Client({ connectionString: base, connectionTimeoutMillis: 3_000 });
  try {
    await admin.connect();
  } catch (error) {
    return { skipped: `no PostgreSQL at ${new URL(base).host}: ${(error as Error).message}` };
  }
  const name = `adwarden_bench_${process.pid}_${Date.now()}`;
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const again = new pg.Client({ connectionString: base });
      await again.connect();
      await again.query(`drop database if exists ${name} with (force)`);
      await again.end();
    },
  };
}
