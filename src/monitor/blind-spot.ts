import type { Observation } from '../incidents/index.ts';
import type { CheckDiagnosis, CheckOutcomeKind } from './check-observations.ts';

/** When a connection the monitor cannot check counts as a blind spot. */
export interface BlindSpotPolicy {
  /** Sweep intervals without a successful check, rate limits answering every try. @default 2 */
  afterIntervals: number;
}

export const DEFAULT_BLIND_SPOT_POLICY: BlindSpotPolicy = { afterIntervals: 2 };

/** What the blind-spot rule reads from one check. */
export interface BlindSpotInput {
  outcome: CheckOutcomeKind;
  diagnosis: CheckDiagnosis | null;
  appId: string;
  connection: { id: string; label: string };
  /** The last successful check of the connection (or when it was connected, if never). */
  lastOkAt: number;
  now: number;
  sweepIntervalMs: number;
}

const minutes = (ms: number) => `${Math.max(1, Math.round(ms / 60_000))} minute${ms >= 90_000 ? 's' : ''}`;

/**
 * The monitor's own blind spot: rate limits answering every check of a connection for several sweep
 * intervals mean adwarden sees nothing of it (a revoked token there would go unnoticed), and a person
 * must know. Pure: failing while rate-limited checks keep the connection unseen past the threshold,
 * passing when a check succeeds again, nothing otherwise. A spent daily quota has its own incident
 * (`rate_limit`), which already says calls are parked until 00:00 UTC.
 */
export function blindSpotObservation(
  input: BlindSpotInput,
  policy: BlindSpotPolicy = DEFAULT_BLIND_SPOT_POLICY,
): Observation | null {
  const subject = { type: 'app' as const, id: input.appId, label: `app ${input.appId}`, appId: input.appId };
  const base = {
    problem: 'monitoring' as const,
    subject,
    detail: 'rate_limited',
    at: input.now,
    source: 'sweep' as const,
  };
  if (input.outcome === 'ok')
    return { ...base, failing: false, summary: 'Checks of the app’s connections succeed again.' };
  if (input.outcome !== 'rate_limited' || input.diagnosis?.window === 'day') return null;
  const blindMs = input.now - input.lastOkAt;
  const intervals = Math.floor(blindMs / input.sweepIntervalMs);
  if (intervals < policy.afterIntervals) return null;
  const code = input.diagnosis?.code ?? 40100;
  // TikTok's own refusal, or adwarden holding the calls in the pause TikTok's refusals asked for.
  const why =
    typeof code === 'number'
      ? `TikTok answers rate limits (${code}) for app ${input.appId}`
      : `app ${input.appId}'s calls are paused after TikTok's rate limits (${code})`;
  return {
    ...base,
    failing: true,
    summary: `Monitoring degraded: no successful check of ${input.connection.label} for ${minutes(blindMs)} (${intervals} sweep intervals) because ${why}. While this lasts adwarden cannot see a revoked token or a suspended account on it.`,
    fix: [
      'Nothing is wrong with the connection: adwarden paces its calls and keeps re-checking; this resolves when a check succeeds.',
      `Find what else spends the app's rate budget (other integrations using app ${input.appId}, large report jobs) and spread it out, or ask TikTok for a higher rate tier.`,
    ],
    facts: {
      code,
      window: input.diagnosis?.window ?? null,
      connection_id: input.connection.id,
      blind_ms: blindMs,
      intervals,
      request_id: input.diagnosis?.request_id ?? null,
    },
  };
}
