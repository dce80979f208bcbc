import type { CatalogEntry, RetryPolicy } from '../entry.ts';

/** Never retried: a person or a code change must act first. */
export const NEVER: RetryPolicy = { mode: 'never' };

/** TikTok-side trouble: exponential backoff with full jitter. */
export const TRANSIENT_RETRY: RetryPolicy = {
  mode: 'backoff',
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
  // Independent failures (30% during an outage) need this many tries for every call to get through
  // (0.3^10 ≈ 6e-6); the call's deadline bounds the time spent.
  maxAttempts: 10,
};

/** TikTok's rate-limit recovery: next second (QPS), 5 minutes (QPM), then 00:00 UTC (QPD). */
export const RATE_LIMIT_RETRY: RetryPolicy = {
  mode: 'rate_limit',
  escalationMs: [1_000, 5_000, 300_000],
  parkUntilUtcMidnight: true,
};

/** Asynchronous work not finished yet: poll with backoff up to a deadline. */
export const POLL: RetryPolicy = {
  mode: 'poll',
  initialDelayMs: 2_000,
  maxDelayMs: 60_000,
  deadlineMs: 30 * 60_000,
};

/** The parts every row spells out; the rest defaults (high confidence, SDK + RC sources, no folklore). */
type RowInput = Pick<
  CatalogEntry,
  'code' | 'name' | 'kind' | 'title' | 'meaning' | 'causes' | 'fix' | 'action' | 'retry' | 'actor'
> &
  Partial<CatalogEntry>;

/** Fills the defaults of a catalog row. */
export function row(input: RowInput): CatalogEntry {
  return {
    confidence: 'high',
    sources: ['SDK', 'RC'],
    alsoDescribedAs: [],
    inTikTokTables: true,
    ...input,
  };
}

/** Rows for a block of codes that share everything but their number, name and title. */
export function rows(
  members: ReadonlyArray<readonly [code: number, name: string | null, title: string]>,
  shared: Omit<RowInput, 'code' | 'name' | 'title'> & Partial<CatalogEntry>,
): CatalogEntry[] {
  return members.map(([code, name, title]) => row({ ...shared, code, name, title }));
}
