import type { Diagnosis } from './diagnosis.ts';

const DAY_MS = 86_400_000;
const QPM_PAUSE_MS = 300_000;

/**
 * The first wait TikTok's recovery rules suggest for a diagnosis: the next second for a QPS limit,
 * 5 minutes for QPM, 00:00 UTC for QPD; the first backoff or poll delay otherwise. Pure.
 */
export function suggestRetry(
  diagnosis: Diagnosis,
  now?: number,
): Pick<Diagnosis, 'retryAfterMs' | 'retryAt'> {
  const { retry, details } = diagnosis;
  switch (retry.mode) {
    case 'never':
      return {};
    case 'backoff':
    case 'poll':
      return { retryAfterMs: retry.initialDelayMs };
    case 'rate_limit': {
      if (details.window === 'day') {
        if (now === undefined) return {};
        const midnight = Math.floor(now / DAY_MS) * DAY_MS + DAY_MS;
        return { retryAfterMs: midnight - now, retryAt: new Date(midnight).toISOString() };
      }
      if (details.window === 'minute') return { retryAfterMs: QPM_PAUSE_MS };
      if (details.window === 'second' && now !== undefined) return { retryAfterMs: 1_000 - (now % 1_000) };
      return { retryAfterMs: retry.escalationMs[0] ?? 1_000 };
    }
  }
}
