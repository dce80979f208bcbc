import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKey, keyIdFor } from './key-ring.ts';

/** The embedded mode's key file: the active key and, while a rotation is unfinished, earlier ones. */
export interface KeyFile {
  active: Buffer;
  previous: Buffer[];
}

/** A key file that cannot be used. `code` is `ADW_KEY_FILE_INVALID`. */
export class KeyFileError extends Error {
  override readonly name = 'KeyFileError';
  readonly code = 'ADW_KEY_FILE_INVALID';
}

/** Path of the key file in a data dir. */
export function keyFilePath(dataDir: string): string {
  return join(dataDir, 'secret-keys.json');
}

/**
 * Reads the key file, creating it (mode 0600) with a fresh key on first start. Returns warnings, e.g.
 * when its permissions let other users read it.
 * @throws KeyFileError when it exists but cannot be read or parsed (it is never overwritten then).
 */
export function loadOrCreateKeyFile(dataDir: string): {
  keys: KeyFile;
  created: boolean;
  warnings: string[];
} {
  const path = keyFilePath(dataDir);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new KeyFileError(`cannot read the key file ${path} (${(error as NodeJS.ErrnoException).code})`);
    }
    const keys = { active: generateKey(), previous: [] };
    writeKeyFile(dataDir, keys);
    return { keys, created: true, warnings: [] };
  }
  const warnings: string[] = [];
  const mode = statSync(path).mode & 0o777;
  if (mode & 0o077) {
    warnings.push(
      `the key file ${path} can be read by other users (mode ${mode.toString(8)}); run: chmod 600 ${path}`,
    );
  }
  return { keys: parseKeyFile(path, text), created: false, warnings };
}

/** Writes the key file atomically with mode 0600. */
export function writeKeyFile(dataDir: string, keys: KeyFile): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = keyFilePath(dataDir);
  const temporary = `${path}.${process.pid}.tmp`;
  const entry = (key: Buffer) => ({ id: keyIdFor(key), key: key.toString('base64') });
  const content = {
    version: 1,
    note: 'adwarden sealing keys. Keep this file secret and back it up with the data dir: without it, stored tokens cannot be opened.',
    active: entry(keys.active),
    previous: keys.previous.map(entry),
  };
  writeFileSync(temporary, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}

function parseKeyFile(path: string, text: string): KeyFile {
  const fail = (why: string) => new KeyFileError(`the key file ${path} is invalid: ${why}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw fail('not JSON');
  }
  const decode = (entry: unknown, where: string): Buffer => {
    const key = (entry as { key?: unknown } | null)?.key;
    const bytes = typeof key === 'string' ? Buffer.from(key, 'base64') : Buffer.alloc(0);
    if (bytes.length !== 32) throw fail(`${where} is not a 32-byte base64 key`);
    return bytes;
  };
  const file = parsed as { active?: unknown; previous?: unknown };
  if (typeof file !== 'object' || file === null) throw fail('not an object');
  const previous = Array.isArray(file.previous) ? file.previous : [];
  return {
    active: decode(file.active, 'active'),
    previous: previous.map((entry, i) => decode(entry, `previous[${i}]`)),
  };
}
