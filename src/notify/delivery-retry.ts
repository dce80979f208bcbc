/** Attempts at one notification before it is given up (about 10 hours of retries). */
export const MAX_DELIVERY_ATTEMPTS = 8;

/** The first retry waits this long; each next one twice as long. */
const FIRST_RETRY_MS = 5_000;
/** No retry waits longer than an hour. */
const LONGEST_RETRY_MS = 3_600_000;

/**
 * When a failed delivery is tried again: null when it is final (the receiver refused it for good, or
 * it has had its attempts). `attempts` counts the one that just failed; waits double from 5 s, at most
 * an hour apart.
 */
export function deliveryRetryAt(
  failure: { attempts: number; permanent: boolean },
  now: number,
): number | null {
  if (failure.permanent || failure.attempts >= MAX_DELIVERY_ATTEMPTS) return null;
  return now + Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** (failure.attempts - 1));
}
