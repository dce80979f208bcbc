import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Secret } from '../vault/index.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import type { Database } from './schema.ts';

/** An open database: Kysely on top, and the engine underneath for those that need it (pg-boss, limiters). */
export type DatabaseHandle =
  | { kind: 'pglite'; db: Kysely<Database>; pglite: PGlite; close(): Promise<void> }
  | { kind: 'postgres'; db: Kysely<Database>; pool: pg.Pool; close(): Promise<void> };

/** How the embedded database uses memory (the configuration's `embedded` settings). */
export interface EmbeddedTuning {
  /** PostgreSQL's shared_buffers, in MB. @default 32 */
  sharedBuffersMb: number;
  /** Let V8 tier PGlite's WebAssembly up to its optimising compiler. @default false */
  optimizeWasm: boolean;
}

/** The embedded defaults; see docs/performance.md for what they cost and save. */
export const DEFAULT_EMBEDDED_TUNING: EmbeddedTuning = { sharedBuffersMb: 32, optimizeWasm: false };

/** Where the database is: a PostgreSQL URL, an embedded data folder, or memory (tests). */
export type DatabaseLocation =
  | { databaseUrl: Secret }
  | { dataDir: string; tuning?: EmbeddedTuning }
  | { memory: true; template?: Blob | File; tuning?: EmbeddedTuning };

/**
 * PGlite's start options for a tuning. Two things dominate an embedded service's memory: PGlite's own
 * shared_buffers (128 MB by default, inside the WebAssembly memory, which never shrinks), and V8's
 * optimising recompile of the 9 MB PostgreSQL module, which takes ~500 MB of compiler memory for a few
 * seconds after start and keeps ~50 MB of optimised code. Without it PostgreSQL runs on V8's baseline
 * code: peak memory falls from ~900 MB to ~300 MB, and queries take about 20% longer.
 */
function pgliteOptions(tuning: EmbeddedTuning) {
  // V8 reads these when it compiles a module, so they must be set before PGlite compiles its own; they
  // apply to the whole process, whose only WebAssembly is PGlite.
  setFlagsFromString(tuning.optimizeWasm ? '--wasm-dynamic-tiering' : '--no-wasm-dynamic-tiering');
  setFlagsFromString(tuning.optimizeWasm ? '--wasm-tier-up' : '--no-wasm-tier-up');
  // Start parameters, not postgresql.conf: PGlite would overwrite the data dir's file with them.
  const defaults = (PGlite as unknown as { defaultStartParams?: string[] }).defaultStartParams ?? [];
  return { startParams: [...defaults, '-c', `shared_buffers=${tuning.sharedBuffersMb}MB`] };
}

/** The embedded database's folder inside the data dir. */
export function pgliteDirectory(dataDir: string): string {
  return join(dataDir, 'pgdata');
}

/**
 * Opens the database. Embedded mode does not lock the data dir: take the lock first (`lockDataDir`).
 * @throws Error when PGlite or PostgreSQL cannot be reached; the message names where.
 */
export async function openDatabase(location: DatabaseLocation): Promise<DatabaseHandle> {
  if ('databaseUrl' in location) {
    const pool = new pg.Pool({ connectionString: location.databaseUrl.reveal(), max: 10 });
    // An idle client's error (server restart) must not crash the process; the next query reconnects.
    pool.on('error', () => {});
    // Nor may a checked-out one's: the pool takes its listener off a client it hands out, and a server
    // that restarts says goodbye to every session, busy or not. The query in flight, if any, rejects by
    // itself, and the pool discards the broken client when it comes back.
    pool.on('connect', (client) => client.on('error', () => {}));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { kind: 'postgres', db, pool, close: () => db.destroy() };
  }
  let pglite: PGlite;
  if ('dataDir' in location) {
    const directory = pgliteDirectory(location.dataDir);
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    pglite = await PGlite.create(directory, pgliteOptions(location.tuning ?? DEFAULT_EMBEDDED_TUNING));
  } else {
    const options = pgliteOptions(location.tuning ?? DEFAULT_EMBEDDED_TUNING);
    pglite = await PGlite.create(
      location.template ? { ...options, loadDataDir: location.template } : options,
    );
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return { kind: 'pglite', db, pglite, close: () => db.destroy() };
}
