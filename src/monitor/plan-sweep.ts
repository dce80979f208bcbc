/** What the sweep planner needs to know about a connection. */
export interface SweepCandidate {
  id: string;
  status: 'pending' | 'healthy' | 'degraded' | 'needs_reauth' | 'revoked';
  nextCheckAt: number | null;
}

/** Tunables of the sweep. */
export interface SweepPolicy {
  /** @default 300000 (5 min) */
  intervalMs: number;
  /** First retry after a transient failure; doubles per failure, capped at the interval. @default 30000 */
  retryAfterMs: number;
  /** Spread of the next check around the interval (±), so checks do not bunch up. @default 0.1 */
  jitter: number;
}

export const DEFAULT_SWEEP_POLICY: SweepPolicy = { intervalMs: 300_000, retryAfterMs: 30_000, jitter: 0.1 };

/**
 * The farthest ahead a next check can be scheduled; one further ahead was set by a clock that has
 * since jumped back (an NTP step, a VM restored from a snapshot).
 */
export function sweepHorizonMs(policy: SweepPolicy): number {
  return Math.ceil(policy.intervalMs * (1 + policy.jitter));
}

/**
 * The connections to check now. A connection waiting for its owner to re-authorize, or revoked, is
 * not swept: its token is never used again, and the re-auth callback checks it once repaired. A
 * pending one is in the middle of its OAuth callback, which checks it and schedules the next sweep.
 * A next check beyond the sweep's horizon is due too: the clock went back since it was planned, and
 * waiting for the clock to catch up would skip sweeps for as long as it jumped.
 */
export function dueConnections(
  candidates: readonly SweepCandidate[],
  now: number,
  policy: SweepPolicy = DEFAULT_SWEEP_POLICY,
): string[] {
  const horizon = now + sweepHorizonMs(policy);
  return candidates
    .filter((c) => c.status === 'healthy' || c.status === 'degraded')
    .filter((c) => c.nextCheckAt === null || c.nextCheckAt <= now || c.nextCheckAt > horizon)
    .sort((a, b) => (a.nextCheckAt ?? 0) - (b.nextCheckAt ?? 0))
    .map((c) => c.id);
}

/**
 * When to check a connection next: after the interval (with jitter) when the check was conclusive,
 * sooner with exponential backoff while it keeps failing transiently, never once it needs re-auth.
 */
export function nextCheckAt(
  outcome: 'ok' | 'transient' | 'dead',
  failures: number,
  now: number,
  policy: SweepPolicy,
  random: () => number,
): number | null {
  if (outcome === 'dead') return null;
  const spread = 1 - policy.jitter + 2 * policy.jitter * random();
  if (outcome === 'ok') return now + Math.round(policy.intervalMs * spread);
  const backoff = Math.min(policy.intervalMs, policy.retryAfterMs * 2 ** Math.max(0, failures - 1));
  return now + Math.round(backoff * spread);
}

/** The fewest calls a sweep can make: one token check per connection plus advertiser info in hundreds. */
export function minimumSweepCalls(
  connections: ReadonlyArray<{ advertisers: number; accountInfo: boolean }>,
): number {
  return connections.reduce((sum, c) => sum + 1 + (c.accountInfo ? Math.ceil(c.advertisers / 100) : 0), 0);
}
