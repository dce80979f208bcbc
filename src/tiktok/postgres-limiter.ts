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
    // The store keeps whole milliseconds: an evenly spaced budget (1 per 1/QPS s) becomes a 1-second window.
    const whole =
      duration >= 1
        ? { points, duration }
        : { points: Math.max(1, Math.floor(points / duration)), duration: 1 };
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
