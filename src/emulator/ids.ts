import { createHash, randomBytes } from 'node:crypto';

/** Deterministic 19-digit string ids (TikTok ids are strings and some exceed 2^53). */
export function createIdFactory(seed: string) {
  let counter = 0;
  return {
    /** A 19-digit id starting with `prefix` (e.g. '7' for advertisers, '18' for campaigns). */
    next(prefix: string): string {
      counter += 1;
      const digits = BigInt(
        `0x${createHash('sha256').update(`${seed}:${counter}`).digest('hex').slice(0, 15)}`,
      ).toString();
      return (prefix + digits.padStart(18, '0')).slice(0, 19);
    },
  };
}

/** An opaque random token string (what TikTok hands out as access tokens and auth codes). */
export function randomToken(bytes = 20): string {
  return randomBytes(bytes).toString('hex');
}

/** TikTok-like request id: 32 digits-and-letters, time-prefixed. */
export function requestId(now: number): string {
  const stamp = new Date(now).toISOString().replace(/\D/g, '').slice(0, 14);
  return `${stamp}${randomBytes(9).toString('hex').toUpperCase()}`;
}
