import { keyFilePath, loadOrCreateKeyFile, writeKeyFile } from './key-file.ts';
import { createKeyRing, generateKey, type KeyRing } from './key-ring.ts';
import type { Secret } from './secret.ts';

/** The slice of the configuration the keys come from. */
export interface KeySettings {
  readonly secretKey: Secret | null;
  readonly previousSecretKeys: readonly Secret[];
  /** Set: keys must come from the environment (several processes share the database). */
  readonly databaseUrl: Secret | null;
  readonly dataDir: string;
}

/** Where the sealing keys come from, and how a rotation gets its new key. */
export interface KeyRingSource {
  readonly description: string;
  ring(): KeyRing;
  /** Warnings worth logging at start (e.g. a key file others can read). */
  readonly warnings: readonly string[];
  /**
   * Starts a rotation: a key file gets a new active key (old ones kept until re-sealing finishes);
   * with keys from the environment the new key is already active, so nothing changes.
   * A rotation that was interrupted is resumed instead of starting another.
   */
  beginRotation(): { ring: KeyRing; started: boolean };
  /** Drops every key but the active one (all values are re-sealed). */
  finishRotation(): KeyRing;
}

/** A setup problem with the keys. `code` is `ADW_SECRET_KEY_REQUIRED`. */
export class SecretKeyRequiredError extends Error {
  override readonly name = 'SecretKeyRequiredError';
  readonly code = 'ADW_SECRET_KEY_REQUIRED';
}

/** Keys from ADWARDEN_SECRET_KEY (+ previous keys), or embedded mode's key file in the data dir. */
export function keyRingSource(config: KeySettings): KeyRingSource {
  const secretKey = config.secretKey;
  if (secretKey) {
    const active = Buffer.from(secretKey.reveal(), 'base64');
    const previous = config.previousSecretKeys.map((key) => Buffer.from(key.reveal(), 'base64'));
    let ring = createKeyRing(active, previous);
    return {
      description: 'ADWARDEN_SECRET_KEY',
      warnings: [],
      ring: () => ring,
      beginRotation: () => ({ ring, started: false }),
      finishRotation() {
        ring = createKeyRing(active);
        return ring;
      },
    };
  }
  if (config.databaseUrl) {
    throw new SecretKeyRequiredError(
      'ADWARDEN_SECRET_KEY is required with DATABASE_URL: several processes, possibly on several machines, share the database and must seal with the same key. Create one with: openssl rand -base64 32',
    );
  }
  const loaded = loadOrCreateKeyFile(config.dataDir);
  let keys = loaded.keys;
  let ring = createKeyRing(keys.active, keys.previous);
  const warnings = [...loaded.warnings];
  if (loaded.created) {
    warnings.push(
      `created the key file ${keyFilePath(config.dataDir)} (mode 0600); back it up with the data dir`,
    );
  }
  return {
    description: keyFilePath(config.dataDir),
    warnings,
    ring: () => ring,
    beginRotation() {
      // Old keys still in the file mean the last rotation did not finish: resume it.
      if (keys.previous.length > 0) return { ring, started: false };
      keys = { active: generateKey(), previous: [keys.active, ...keys.previous] };
      writeKeyFile(config.dataDir, keys);
      ring = createKeyRing(keys.active, keys.previous);
      return { ring, started: true };
    },
    finishRotation() {
      keys = { active: keys.active, previous: [] };
      writeKeyFile(config.dataDir, keys);
      ring = createKeyRing(keys.active);
      return ring;
    },
  };
}
