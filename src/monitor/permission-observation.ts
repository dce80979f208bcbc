import type { Diagnosis } from '../catalog/index.ts';
import type { Observation, ObservationSource, Subject } from '../incidents/index.ts';

/** A refusal as the monitor saw it: which call, for whom, and what TikTok said. */
export interface Refusal {
  method: string;
  endpoint: string;
  /** TikTok's message ("advertiser does not grant you /campaign/get/:GET permission"), or the title. */
  message: string;
  code: number | string;
  permissionGroup: string | null;
  requestId: string | null;
}

/** The refusal a permission diagnosis describes; `call` fills in what the message does not name. */
export function refusalOf(d: Diagnosis, call: { method: string; endpoint: string }): Refusal {
  return {
    method: d.details.method ?? call.method,
    endpoint: d.details.endpoint ?? call.endpoint,
    message: d.message ?? d.title,
    code: d.code,
    permissionGroup: d.details.permissionGroup ?? null,
    requestId: d.requestId ?? null,
  };
}

/** The subject of a problem that belongs to one advertiser of a connection. */
export function advertiserSubject(
  advertiser: { id: string; name: string },
  connection: { connectionId: string; appId: string },
): Subject {
  return {
    type: 'advertiser',
    id: advertiser.id,
    label:
      advertiser.name && advertiser.name !== advertiser.id
        ? `${advertiser.name} (${advertiser.id})`
        : advertiser.id,
    connectionId: connection.connectionId,
    appId: connection.appId,
    advertiserId: advertiser.id,
  };
}

/**
 * A permission incident's observation: one per subject and refused call (`GET /campaign/get/`), so a
 * refusal seen by the sweep, campaign watch, video polls and in-band reports is one incident.
 */
export function permissionRefused(
  subject: Subject,
  refusal: Refusal,
  at: number,
  source: ObservationSource,
): Observation {
  const call = `${refusal.method} ${refusal.endpoint}`;
  return {
    problem: 'permission',
    subject,
    detail: call,
    failing: true,
    at,
    source,
    summary: `TikTok refuses ${call} for ${subject.label}: ${refusal.message.replace(/\.$/, '')}.`,
    fix: [
      `The authorization lacks the permission for ${call}${refusal.permissionGroup ? ` (permission group: ${refusal.permissionGroup})` : ''}.`,
      'In the developer portal, check the app has that permission; then the advertiser owner re-authorizes through the link adwarden sent, ticking it.',
      'If the ad account sits in a Business Center, a BC admin must give the member (or the app) an Operator or Admin role on it.',
    ],
    facts: {
      code: refusal.code,
      endpoint: refusal.endpoint,
      method: refusal.method,
      permission_group: refusal.permissionGroup,
      request_id: refusal.requestId,
      ...(subject.advertiserId ? { advertiser_id: subject.advertiserId } : {}),
    },
  };
}

/** The observation that a call once refused works again for the subject. */
export function permissionRestored(
  subject: Subject,
  call: { method: string; endpoint: string },
  at: number,
  source: ObservationSource,
): Observation {
  return {
    problem: 'permission',
    subject,
    detail: `${call.method} ${call.endpoint}`,
    failing: false,
    at,
    source,
    summary: `${call.method} ${call.endpoint} works again.`,
  };
}
