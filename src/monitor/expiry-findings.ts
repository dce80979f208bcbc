/** A connection's known expiries. */
export interface ExpiryCandidate {
  connectionId: string;
  label: string;
  regime: 'advertiser' | 'tt_user';
  status: string;
  issuedAt: number;
  accessExpiresAt: number | null;
  refreshExpiresAt: number | null;
}

/** What the expiry job does about one connection. */
export type ExpiryFinding =
  /** Refresh the access token now (the regime allows it and it ends within the refresh lead). */
  | { connectionId: string; type: 'refresh'; endsAt: number }
  /** Remind the owner to authorize again before `endsAt` (refresh token or maximum token age). */
  | { connectionId: string; type: 'remind'; what: string; endsAt: number; label: string }
  /**
   * Nothing ends within the lead. `endsAt` is the soonest end there is (null: none, or the token is
   * dead): an earlier reminder resolves only when it was about another end (the owner authorized
   * again), not when the clock merely went back.
   */
  | { connectionId: string; type: 'clear'; endsAt: number | null };

/** Tunables of the expiry job. */
export interface ExpiryPolicy {
  /** Remind this long before an end that only re-authorization fixes. @default 7 days */
  reminderLeadMs: number;
  /** Refresh access tokens that end within this. @default 2 hours */
  refreshLeadMs: number;
  /** The operator's maximum token age (advertiser tokens never expire by themselves), or null. */
  maxTokenAgeMs: number | null;
}

/**
 * Reads every known expiry: tt_user access tokens are refreshed ahead of time; refresh tokens (365
 * days) and tokens past the operator's maximum age get a reminder with a re-auth link, 7 days ahead.
 */
export function expiryFindings(
  candidates: readonly ExpiryCandidate[],
  now: number,
  policy: ExpiryPolicy,
): ExpiryFinding[] {
  const findings: ExpiryFinding[] = [];
  for (const c of candidates) {
    // A dead token's reminder is moot: the auth incident (and its re-auth link) took over.
    if (c.status === 'needs_reauth' || c.status === 'revoked') {
      findings.push({ connectionId: c.connectionId, type: 'clear', endsAt: null });
      continue;
    }
    const ends: Array<{ what: string; at: number }> = [];
    if (c.regime === 'tt_user' && c.refreshExpiresAt !== null)
      ends.push({ what: 'the refresh token', at: c.refreshExpiresAt });
    if (policy.maxTokenAgeMs !== null)
      ends.push({ what: 'the maximum token age set by the operator', at: c.issuedAt + policy.maxTokenAgeMs });
    ends.sort((a, b) => a.at - b.at);
    const soonest = ends.find((e) => e.at - now <= policy.reminderLeadMs);
    if (soonest)
      findings.push({
        connectionId: c.connectionId,
        type: 'remind',
        what: soonest.what,
        endsAt: soonest.at,
        label: c.label,
      });
    else findings.push({ connectionId: c.connectionId, type: 'clear', endsAt: ends[0]?.at ?? null });
    const refreshable =
      c.regime === 'tt_user' &&
      c.accessExpiresAt !== null &&
      (c.refreshExpiresAt === null || c.refreshExpiresAt > now);
    if (refreshable && c.accessExpiresAt! - now <= policy.refreshLeadMs)
      findings.push({ connectionId: c.connectionId, type: 'refresh', endsAt: c.accessExpiresAt! });
  }
  return findings;
}
