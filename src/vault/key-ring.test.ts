import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createKeyRing, generateKey, keyIdFor } from './key-ring.ts';
import { Secret } from './secret.ts';

const row = { table: 'connection_tokens', rowId: 'tok_1', purpose: 'access_token' };

describe('createKeyRing', () => {
  it('opens what it sealed, and names the key in the sealed value', () => {
    const key = generateKey();
    const ring = createKeyRing(key);
    const sealed = ring.seal('act.plaintext-token', row);
    expect(sealed).not.toContain('plaintext');
    expect(ring.keyIdOf(sealed)).toBe(keyIdFor(key));
    expect(ring.open(sealed, row).reveal()).toBe('act.plaintext-token');
  });

  it('refuses a sealed value moved to another row or purpose', () => {
    const ring = createKeyRing(generateKey());
    const sealed = ring.seal('token', row);
    expect(() => ring.open(sealed, { ...row, rowId: 'tok_2' })).toThrow(/sealed for another row or purpose/);
    expect(() => ring.open(sealed, { ...row, purpose: 'refresh_token' })).toThrow(/ADW|another row/);
  });

  it('refuses a tampered value', () => {
    const ring = createKeyRing(generateKey());
    const parts = ring.seal('token', row).split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0] = (body[0] ?? 0) ^ 1;
    parts[3] = body.toString('base64url');
    expect(() => ring.open(parts.join('.'), row)).toThrow(/altered/);
  });

  it('keeps opening values sealed with a previous key, and seals with the active one', () => {
    const old = generateKey();
    const sealedBefore = createKeyRing(old).seal('token', row);
    const ring = createKeyRing(generateKey(), [old]);
    expect(ring.open(sealedBefore, row).reveal()).toBe('token');
    expect(ring.keyIdOf(ring.seal('token', row))).toBe(ring.activeKeyId);
    expect(() => createKeyRing(generateKey()).open(sealedBefore, row)).toThrow(/does not hold/);
  });

  it('returns Secrets that redact themselves', () => {
    const ring = createKeyRing(generateKey());
    const secret = ring.open(ring.seal(new Secret('act.value'), row), row);
    expect(`${secret} ${JSON.stringify({ secret })} ${inspect(secret)}`).not.toContain('act.value');
  });
});
