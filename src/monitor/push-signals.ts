import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Observation, Subject } from '../incidents/index.ts';

/** A push delivery, read: which subscription sent it, and what it says happened. */
export interface PushDelivery {
  subscriptionId: string;
  entity: string;
  /** Epoch ms TikTok says the event happened (or null when it does not say). */
  at: number | null;
  signal: PushSignal;
}

/** What a delivery tells, in adwarden's words. */
export type PushSignal =
  | { kind: 'account_status'; advertiserId: string; status: string; reason: string }
  | {
      kind: 'review';
      level: 'ad' | 'adgroup';
      advertiserId: string;
      id: string;
      name: string | null;
      rejected: boolean;
      reason: string;
    }
  | {
      kind: 'platform';
      incidentId: string;
      title: string;
      level: string;
      resolved: boolean;
    }
  | { kind: 'other' };

/** Why a delivery was refused (the route answers 401 or 400). */
export type PushRefusal = 'unsigned' | 'bad_signature' | 'stale' | 'malformed';

/**
 * Checks `tiktok-signature` (`t=<unix seconds>,s=<hex HMAC-SHA256 of "<t>.<raw body>" keyed by the app
 * secret>`, several `s=` allowed while a secret rotates) and its age (within `toleranceMs` of `now`: an
 * old signed delivery cannot be replayed). Compares in constant time.
 */
export function verifySignature(
  header: string | undefined,
  rawBody: string,
  secrets: readonly string[],
  now: number,
  toleranceMs = 5 * 60_000,
): PushRefusal | null {
  if (!header) return 'unsigned';
  const parts = header.split(',').map((p) => p.trim().split('='));
  const t = parts.find(([k]) => k === 't')?.[1];
  const signatures = parts.filter(([k, v]) => k === 's' && v).map(([, v]) => v!);
  if (!t || !/^\d{1,12}$/.test(t) || signatures.length === 0) return 'bad_signature';
  const expected = secrets.map((secret) => createHmac('sha256', secret).update(`${t}.${rawBody}`).digest());
  const matches = signatures.some((s) => {
    if (!/^[0-9a-f]{64}$/i.test(s)) return false;
    const given = Buffer.from(s, 'hex');
    return expected.some((e) => timingSafeEqual(e, given));
  });
  if (!matches) return 'bad_signature';
  if (Math.abs(now - Number(t) * 1000) > toleranceMs) return 'stale';
  return null;
}

const text = (value: unknown) =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';

/** Reads a delivery's JSON body; null when it is not one (not an object, no subscription or entity). */
export function readDelivery(rawBody: string): PushDelivery | null {
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return null;
  }
  if (typeof body !== 'object' || body === null) return null;
  const b = body as Record<string, unknown>;
  const subscriptionId = text(b.subscription_id);
  const entity = text(b.subscribe_entity ?? b.entity);
  if (!subscriptionId || !entity) return null;
  const rawContent = typeof b.content === 'string' ? safeParse(b.content) : b.content;
  const content = (typeof rawContent === 'object' && rawContent ? rawContent : {}) as Record<string, unknown>;
  const seconds = Number(b.event_time ?? content.status_change_time ?? content.update_time);
  return {
    subscriptionId,
    entity,
    at: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : null,
    signal: signalOf(entity, content),
  };
}

function safeParse(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return null;
  }
}

function signalOf(entity: string, c: Record<string, unknown>): PushSignal {
  const advertiserId = text(c.advertiser_id);
  if (entity === 'AD_ACCOUNT_SUSPENSION' && advertiserId && text(c.status))
    return {
      kind: 'account_status',
      advertiserId,
      status: text(c.status),
      reason: text(c.suspension_reason),
    };
  if ((entity === 'AD' || entity === 'AD_GROUP') && advertiserId) {
    const level = entity === 'AD' ? 'ad' : 'adgroup';
    const id = text(level === 'ad' ? c.ad_id : c.adgroup_id);
    const review = text(c.review_status ?? c.status).toUpperCase();
    if (id && review)
      return {
        kind: 'review',
        level,
        advertiserId,
        id,
        name: text(level === 'ad' ? c.ad_name : c.adgroup_name) || null,
        rejected: /REJECT|DENY|NOT_APPROVED/.test(review),
        reason: text(c.reject_reason ?? c.rejection_reason),
      };
  }
  if (entity === 'API_SERVICE_STATUS' && text(c.incident_id))
    return {
      kind: 'platform',
      incidentId: text(c.incident_id),
      title: text(c.incident_title ?? c.title) || 'TikTok API incident',
      level: text(c.incident_level) || 'UNKNOWN',
      resolved: text(c.incident_event_type).toUpperCase() === 'RESOLVE',
    };
  return { kind: 'other' };
}

/** The fix an account-status incident gives, whether the sweep or a push found it. */
export const ACCOUNT_STATUS_FIX = [
  'Open the account in TikTok Ads Manager: the banner at the top says why it is limited or disabled.',
  'Fix what it names (payment, qualification documents, a policy violation) or appeal; the incident resolves when the status returns to STATUS_ENABLE.',
];

/**
 * The observation a push makes, on the same subject and fingerprint as the poller's, so push and poll
 * are one incident: an account limited or lifted, an ad or ad group rejected or approved. Null for
 * signals that are not observations (platform status is TikTok's own incident; other entities).
 */
export function pushObservation(signal: PushSignal, advertiser: Subject, at: number): Observation | null {
  if (signal.kind === 'account_status') {
    const failing = signal.status !== 'STATUS_ENABLE';
    return {
      problem: 'account_status',
      subject: advertiser,
      failing,
      at,
      source: 'push',
      severity: signal.status === 'STATUS_DISABLE' ? 'critical' : 'high',
      summary: failing
        ? `The ad account ${advertiser.label} cannot deliver: ${signal.status}${signal.reason ? ` (${signal.reason})` : ''}.`
        : `The ad account ${advertiser.label} is enabled again.`,
      fix: ACCOUNT_STATUS_FIX,
      facts: { status: signal.status, ...(signal.reason ? { suspension_reason: signal.reason } : {}) },
    };
  }
  if (signal.kind !== 'review') return null;
  const kind = signal.level === 'ad' ? 'Ad' : 'Ad group';
  const name = signal.name ? `"${signal.name}" ` : '';
  return {
    problem: 'delivery',
    subject: {
      ...advertiser,
      type: signal.level,
      id: signal.id,
      label: `${signal.name ?? signal.level} (${signal.id}) · ${advertiser.label.replace(/ \(\d+\)$/, '')}`,
    },
    detail: 'rejected',
    failing: signal.rejected,
    at,
    source: 'push',
    severity: 'high',
    summary: signal.rejected
      ? `${kind} ${name}(${signal.id}) of ${advertiser.label} was rejected in review${signal.reason ? ` (${signal.reason})` : ''}.`
      : `${kind} ${name}(${signal.id}) passed review.`,
    fix: [
      'Open it in TikTok Ads Manager and read the rejection reason.',
      'Edit the creative or landing page to meet the policy and submit it again; the incident resolves when it delivers.',
    ],
    facts: { advertiser_id: signal.advertiserId, ...(signal.reason ? { reject_reason: signal.reason } : {}) },
  };
}
