import { RateLimiterPostgres } from 'rate-limiter-flexible';
import type { LimiterFactory } from './steps/pace.ts';

/** A `pg` Pool, or anything with the same `query`. */
export interface PostgresClient {
  query(text: string | { text: string; values?: unknown[] }, values?: unknown[]): Promise<unknown>;
}

/**
 * A limiter factory on PostgreSQL, so every process pacing the same app shares one budget.
 * Creates its table once (default `adwarden_rate_limits`), then hands out limiters.
 * @example createTikTokClient({ …, limiterFactory: await postgresLimiterFactory(pool) })
 */
export async function postgresLimiterFactory(
  pool: PostgresClient,
  options: { tableName?: string } = {},
): Promise<LimiterFactory> {
  const tableName = options.tableName ?? 'adwarden_rate_limits';
  await new Promise<void>((resolve, reject) => {
    new RateLimiterPostgres(
      {
        storeClient: pool,
        storeType: 'pool',
        tableName,
        points: 1,
        duration: 1,
        clearExpiredByTimeout: false,
      },
      (error?: Error) => (error ? reject(error) : resolve()),
    );
  });
  return ({ keyPrefix, points, duration }) => {
    // The store keeps whole milliseconds. A window of several requests would let two windows' worth
    // through across their boundary (twice the limit within one TikTok second), so an evenly spaced
    // budget stays evenly spaced: its interval rounded up to a whole millisecond.
    const whole = points === 1 ? { points, duration: wholeMsSeconds(duration) } : { points, duration };
    return new RateLimiterPostgres({
      storeClient: pool,
      storeType: 'pool',
      tableName,
      tableCreated: true,
      clearExpiredByTimeout: false,
      keyPrefix,
      ...whole,
    });
  };
}

/**
 * `seconds` rounded up to a whole number of milliseconds that survives the store's `seconds × 1000`
 * exactly (1.001 × 1000 is not 1001 in floating point; the next millisecond up is taken then).
 */
export function wholeMsSeconds(seconds: number): number {
  for (let ms = Math.ceil(seconds * 1000 - 1e-9); ; ms++) if ((ms / 1000) * 1000 === ms) return ms / 1000;
}
