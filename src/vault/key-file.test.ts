import { chmodSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyFilePath, loadOrCreateKeyFile } from './key-file.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'adwarden-keys-'));

describe('loadOrCreateKeyFile', () => {
  it('creates a 0600 key file once and reads the same key afterwards', () => {
    const dataDir = dir();
    const first = loadOrCreateKeyFile(dataDir);
    expect(first.created).toBe(true);
    expect(statSync(keyFilePath(dataDir)).mode & 0o777).toBe(0o600);
    const again = loadOrCreateKeyFile(dataDir);
    expect(again.created).toBe(false);
    expect(again.keys.active.equals(first.keys.active)).toBe(true);
    expect(again.warnings).toEqual([]);
  });

  it('warns when other users can read it', () => {
    const dataDir = dir();
    loadOrCreateKeyFile(dataDir);
    chmodSync(keyFilePath(dataDir), 0o644);
    expect(loadOrCreateKeyFile(dataDir).warnings.join()).toMatch(
      /can be read by other users \(mode 644\); run: chmod 600/,
    );
  });

  it('refuses a damaged key file instead of replacing it', () => {
    const dataDir = dir();
    writeFileSync(keyFilePath(dataDir), '{"active":{"key":"c2hvcnQ="}}');
    expect(() => loadOrCreateKeyFile(dataDir)).toThrow(/active is not a 32-byte base64 key/);
  });
});
