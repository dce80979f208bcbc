/** The latest check of one connection. */
export interface CheckOutcome {
  connectionId: string;
  appId: string;
  at: number;
  /** `transient`: the check failed for a reason that is not the connection's own (5xx, timeouts, resets). */
  outcome: 'ok' | 'transient' | 'other';
}

/** Tunables of outage correlation. */
export interface OutagePolicy {
  /** Only checks this recent count. @default 600000 (10 min) */
  windowMs: number;
  /** At least this many connections must fail together. @default 3 */
  minConnections: number;
  /** …and at least this share of the connections checked in the window. @default 0.5 */
  minShare: number;
}

export const DEFAULT_OUTAGE_POLICY: OutagePolicy = { windowMs: 600_000, minConnections: 3, minShare: 0.5 };

/** What the correlation concluded. */
export interface OutageVerdict {
  outage: boolean;
  failing: string[];
  checked: number;
  apps: string[];
}

/**
 * Decides whether transient failures are TikTok's (a platform outage) or a few connections' own.
 * Many connections failing transiently together, across every app that has failures to show, is one
 * platform incident; the per-connection noise is then held back until it clears.
 */
export function correlateOutage(
  outcomes: readonly CheckOutcome[],
  now: number,
  policy: OutagePolicy = DEFAULT_OUTAGE_POLICY,
): OutageVerdict {
  const latest = new Map<string, CheckOutcome>();
  for (const outcome of outcomes) {
    if (now - outcome.at > policy.windowMs || outcome.at > now) continue;
    const seen = latest.get(outcome.connectionId);
    if (!seen || seen.at <= outcome.at) latest.set(outcome.connectionId, outcome);
  }
  const recent = [...latest.values()];
  const failing = recent.filter((o) => o.outcome === 'transient');
  const appsFailing = new Set(failing.map((o) => o.appId));
  // Failures confined to one app while another app has healthy connections (enough to judge by) look
  // like that app's trouble, not TikTok's.
  const healthyElsewhere = new Set(
    recent.filter((o) => o.outcome === 'ok' && !appsFailing.has(o.appId)).map((o) => o.connectionId),
  );
  const outage =
    failing.length >= policy.minConnections &&
    failing.length / Math.max(1, recent.length) >= policy.minShare &&
    (appsFailing.size >= 2 || healthyElsewhere.size < 2);
  return {
    outage,
    failing: failing.map((o) => o.connectionId).sort(),
    checked: recent.length,
    apps: [...appsFailing].sort(),
  };
}
