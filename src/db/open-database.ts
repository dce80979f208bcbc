import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Secret } from '../vault/secret.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import type { Database } from './schema.ts';

/** An open database: Kysely on top, and the engine underneath for those that need it (pg-boss, limiters). */
export type DatabaseHandle =
  | { kind: 'pglite'; db: Kysely<Database>; pglite: PGlite; close(): Promise<void> }
  | { kind: 'postgres'; db: Kysely<Database>; pool: pg.Pool; close(): Promise<void> };

/** Where the database is: a PostgreSQL URL, an embedded data folder, or memory (tests). */
export type DatabaseLocation =
  | { databaseUrl: Secret }
  | { dataDir: string }
  | { memory: true; template?: Blob | File };

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
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { kind: 'postgres', db, pool, close: () => db.destroy() };
  }
  let pglite: PGlite;
  if ('dataDir' in location) {
    const directory = pgliteDirectory(location.dataDir);
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    pglite = await PGlite.create(directory);
  } else {
    pglite = await PGlite.create(location.template ? { loadDataDir: location.template } : {});
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return { kind: 'pglite', db, pglite, close: () => db.destroy() };
}
