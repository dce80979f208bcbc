import { createHash, randomBytes } from 'node:crypto';

/** A fresh unguessable value (256 bits, base64url) for an OAuth state or a re-auth link. */
export function newNonce(): string {
  return randomBytes(32).toString('base64url');
}

/** What is stored instead of a nonce: its SHA-256 (a database reader cannot replay it). */
export function hashNonce(nonce: string): string {
  return createHash('sha256').update(nonce).digest('base64url');
}

/** How long an OAuth state is accepted. */
export const STATE_TTL_MS = 10 * 60_000;
/** How long a re-auth link sent to an owner works. */
export const REAUTH_LINK_TTL_MS = 14 * 86_400_000;
