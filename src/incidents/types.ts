/**
 * The problems adwarden opens incidents for. Each is one thing a person can act on; the fingerprint
 * (problem + subject + detail) makes a repeat of the same problem update one incident, never a second.
 */
export const PROBLEMS = [
  'auth', // the token is dead (verified), the owner must authorize again
  'permission', // a call is refused for a missing scope or Business Center role
  'environment', // a sandbox token used against production, or the reverse
  'app_credentials', // the app secret was rotated; every connection of the app is affected
  'advertiser_removed', // an advertiser left the authorization, or was deleted
  'account_status', // the ad account is limited or disabled
  'delivery', // an ad rejected, a budget or balance spent, a video failed, an asset lost
  'outage', // TikTok's API fails for many connections at once
  'unreachable', // one connection keeps failing transiently while the platform is fine
  'rate_limit', // a daily quota is spent (per-second and per-minute limits are paced, not alerted)
  'expiry', // a token or refresh token reaches its end soon
  'video', // uploads TikTok never made usable (not in /file/video/ad/info/ by their deadline)
  'monitoring', // the monitor itself is blind: no successful check for several intervals (rate limits)
] as const;

/** One kind of problem. */
export type Problem = (typeof PROBLEMS)[number];

/** How urgent: critical stops spend now, low is informational. */
export type Severity = 'critical' | 'high' | 'medium' | 'low';

export const SEVERITY_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

/** Where an incident lives in its life. */
export type IncidentState = 'open' | 'acknowledged' | 'resolved' | 'muted';

/** What the incident is about. Ids are strings (TikTok ids are 19 digits). */
export interface Subject {
  type: 'platform' | 'app' | 'connection' | 'advertiser' | 'campaign' | 'adgroup' | 'ad';
  id: string;
  /** A name people recognise ("Bluebird Coffee (7120…)"). */
  label: string;
  connectionId?: string;
  appId?: string;
  advertiserId?: string;
}

/** Where an observation came from. */
export type ObservationSource =
  | 'sweep'
  | 'campaign_watch'
  | 'expiry'
  | 'in_band'
  | 'reauth'
  | 'correlation'
  | 'video_watch'
  | 'operator'
  | 'push'
  | 'status_feed';

/**
 * One fact about a subject at a time: "this problem is happening" (`failing`) or "it is not".
 * Sweeps, campaign watch, the expiry job and in-band reports all speak in observations.
 */
export interface Observation {
  problem: Problem;
  subject: Subject;
  /** Tells apart two problems of one kind on one subject (the endpoint refused, the ad status). */
  detail?: string;
  failing: boolean;
  at: number;
  source: ObservationSource;
  severity?: Severity;
  /** One sentence: what is wrong (or that it recovered). */
  summary: string;
  /** Steps a person takes, most likely first. */
  fix?: string[];
  /** Evidence: code, kind, endpoint, method, request id, advertisers, statuses. Never secrets. */
  facts?: Record<string, unknown>;
  /** True when recovery is certain (the owner re-authorized): resolve without a quiet period. */
  definitive?: boolean;
}

/** An incident as the state machine sees it. */
export interface Incident {
  id: string;
  fingerprint: string;
  problem: Problem;
  subject: Subject;
  detail: string | null;
  severity: Severity;
  state: IncidentState;
  summary: string;
  fix: string[];
  facts: Record<string, unknown>;
  openedAt: number;
  updatedAt: number;
  resolvedAt: number | null;
  lastFailingAt: number;
  /** When the problem was first seen gone; resolves after the quiet period unless it returns. */
  recoveringSince: number | null;
  /** Failing observations since it (re)opened. */
  occurrences: number;
  mutedUntil: number | null;
  /** How many times it came back after being resolved. */
  reopenCount: number;
}

/** What a person (or the API) does to an incident. */
export type Command =
  | { type: 'acknowledge'; by: string }
  | { type: 'mute'; by: string; until?: number }
  | { type: 'unmute'; by: string }
  | { type: 'resolve'; by: string; note?: string }
  | { type: 'reopen'; by: string };

/** Everything `evaluateIncident` accepts: an observation, a command, or the passing of time. */
export type IncidentInput =
  | { type: 'observation'; observation: Observation }
  | { type: 'command'; command: Command }
  | { type: 'tick' };

/** Incident events people are told about (one notification per event per channel). */
export const NOTIFY_EVENTS = ['opened', 'reopened', 'escalated', 'resolved'] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];

/** What the shell does after an evaluation. */
export type Effect =
  | { type: 'timeline'; entry: TimelineEntry }
  | { type: 'notify'; event: NotifyEvent }
  | { type: 'remediate' };

/** One line of an incident's history. */
export interface TimelineEntry {
  kind: 'opened' | 'reopened' | 'escalated' | 'observed' | 'recovering' | 'relapsed' | 'resolved' | 'command';
  at: number;
  text: string;
  data?: Record<string, unknown>;
}

/** Tunables of the state machine. */
export interface IncidentPolicy {
  /** How long a problem must stay gone before its incident resolves by itself. @default 120000 */
  quietMs: number;
}

export const DEFAULT_INCIDENT_POLICY: IncidentPolicy = { quietMs: 120_000 };
