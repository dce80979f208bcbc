import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isSecret, Secret } from './secret.ts';

describe('Secret', () => {
  const secret = new Secret('s3cr3t-value');

  it('redacts itself in strings, JSON and inspection', () => {
    expect(String(secret)).toBe('[redacted]');
    expect(`${secret}`).toBe('[redacted]');
    expect(JSON.stringify({ secret })).toBe('{"secret":"[redacted]"}');
    expect(inspect({ secret })).not.toContain('s3cr3t-value');
  });

  it('gives the value to reveal()', () => {
    expect(secret.reveal()).toBe('s3cr3t-value');
  });

  it('is recognised by isSecret', () => {
    expect(isSecret(secret)).toBe(true);
    expect(isSecret({ toJSON: () => '[redacted]' })).toBe(false);
  });
});
