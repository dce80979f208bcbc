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

// Request ids are made for every response: their randomness is drawn in blocks (one system call per
// 512 ids, not one each) and the time stamp is formatted once per second.
const ID_BYTES = 10;
let pool = Buffer.alloc(0);
let used = 0;
let stampSecond = Number.NaN;
let stampText = '';

/** TikTok's request id: 34 characters, a 14-digit UTC time stamp and 20 upper-case hex digits. */
export function requestId(now: number): string {
  const second = Math.floor(now / 1000);
  if (second !== stampSecond) {
    stampSecond = second;
    stampText = new Date(now).toISOString().replace(/\D/g, '').slice(0, 14);
  }
  if (used + ID_BYTES > pool.length) {
    pool = randomBytes(ID_BYTES * 512);
    used = 0;
  }
  used += ID_BYTES;
  return `${stampText}${pool.toString('hex', used - ID_BYTES, used).toUpperCase()}`;
}
