import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiKeysStore } from '../../db/index.ts';
import { Secret } from '../../vault/index.ts';

/** The local admin token's file in the data dir (mode 0600): management commands on this machine use it. */
export function adminTokenPath(dataDir: string): string {
  return join(dataDir, 'admin-token');
}

/** SHA-256 of an API key, as stored. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Reads the local admin token, or null when there is none (or it cannot be read). */
export function readAdminToken(dataDir: string): Secret | null {
  try {
    const value = readFileSync(adminTokenPath(dataDir), 'utf8').trim();
    return value ? new Secret(value) : null;
  } catch {
    return null;
  }
}

/**
 * Makes sure the data dir holds an admin token and the database knows its hash (a new database, or
 * a data dir moved to PostgreSQL, gets it registered again).
 */
export async function ensureAdminToken(dataDir: string, keys: ApiKeysStore, now: Date): Promise<void> {
  let token = readAdminToken(dataDir);
  if (!token) {
    token = new Secret(`adw_admin_${randomBytes(32).toString('base64url')}`);
    // On PostgreSQL nothing else creates the data dir; it still holds the admin token.
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(adminTokenPath(dataDir), `${token.reveal()}\n`, { mode: 0o600 });
  } else if (statSync(adminTokenPath(dataDir)).mode & 0o077) {
    writeFileSync(adminTokenPath(dataDir), `${token.reveal()}\n`, { mode: 0o600 });
  }
  const hash = hashApiKey(token.reveal());
  if (!(await keys.findByHash(hash)))
    await keys.create({ name: 'local admin token', keyHash: hash, scopes: ['admin'] }, now);
}
