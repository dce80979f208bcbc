/** What a check learned, as the health rule reads it. */
export interface HealthInput {
  /** The verification's status (`valid`, `advertiser_removed`, `revoked`, `inconclusive`…). */
  status: string;
  needsReauth: boolean;
  summary: string;
  /** Accounts `/advertiser/info/` reported as unable to deliver. */
  blocked: ReadonlyArray<{ advertiser_id: string; name: string; status: string }>;
  /** Advertisers refusing `/advertiser/info/` for a permission, with how people know them. */
  refused: ReadonlyArray<{ label: string; message: string }>;
}

/** What the check means for the connection's stored health. */
export type HealthVerdict =
  /** The token is dead: the connection waits for its owner to authorize again. */
  | { change: 'needs_reauth'; reason: string }
  /** The token answered: healthy, or degraded with a reason. `ok` marks a successful check. */
  | { change: 'status'; status: 'healthy' | 'degraded'; reason: string | null; ok: boolean }
  /** Nothing proven either way (transient, rate limited): only the time of the check is recorded. */
  | { change: 'none' };

/**
 * The connection's health from one check. Pure: the connections service stores it.
 * - a dead token (verified) needs re-auth;
 * - a token that works is healthy, or degraded while advertisers left the authorization, accounts
 *   cannot deliver, or an advertiser refuses account information (the first of these is the reason);
 * - a rotated app secret or a token of the other environment is degraded but not dead: the app is at
 *   fault, and the connection recovers once it is fixed;
 * - anything else (transient, rate limited) changes nothing.
 */
export function connectionHealth(input: HealthInput): HealthVerdict {
  if (input.needsReauth) return { change: 'needs_reauth', reason: input.summary };
  if (input.status === 'valid' || input.status === 'advertiser_removed') {
    const reason =
      input.status === 'advertiser_removed'
        ? input.summary
        : input.blocked.length > 0
          ? `Accounts that cannot deliver: ${input.blocked.map((b) => `${b.name} (${b.advertiser_id}, ${b.status})`).join(', ')}.`
          : input.refused.length > 0
            ? `GET /advertiser/info/ is refused for ${input.refused.map((r) => r.label).join(', ')}: ${input.refused[0]!.message.replace(/\.$/, '')}.`
            : null;
    return { change: 'status', status: reason === null ? 'healthy' : 'degraded', reason, ok: true };
  }
  if (input.status === 'app_secret_rotated' || input.status === 'wrong_environment')
    return { change: 'status', status: 'degraded', reason: input.summary, ok: false };
  return { change: 'none' };
}
