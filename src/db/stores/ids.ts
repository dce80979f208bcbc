import { randomBytes } from 'node:crypto';

/** A new opaque id with a type prefix, e.g. `con_Xb3…`. */
export function newId(
  prefix: 'con' | 'tok' | 'pkc' | 'key' | 'inc' | 'chn' | 'ntf' | 'usr' | 'cli' | 'inv',
): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`;
}

/** JSON text for a jsonb parameter. */
export const json = (value: unknown): string => JSON.stringify(value ?? null);
