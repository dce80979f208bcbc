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
  /**
   * The app itself lacks the scope (40001 "The access token lacks the required scope…"), rather than
   * the advertiser not granting it: the developer enables the scope before any re-auth can help.
   */
  appScope?: boolean;
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
    appScope: d.details.reason === 'app_scope_missing',
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
    fix: refusal.appScope ? appScopeFix(call, refusal) : grantFix(call, refusal),
    facts: {
      code: refusal.code,
      endpoint: refusal.endpoint,
      method: refusal.method,
      permission_group: refusal.permissionGroup,
      request_id: refusal.requestId,
      ...(refusal.appScope ? { reason: 'app_scope_missing' } : {}),
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

const groupOf = (refusal: Refusal) =>
  refusal.permissionGroup ? ` (permission group: ${refusal.permissionGroup})` : '';

/** The advertiser (or a Business Center role) did not grant the call. */
function grantFix(call: string, refusal: Refusal): string[] {
  return [
    `The authorization lacks the permission for ${call}${groupOf(refusal)}.`,
    'The advertiser owner re-authorizes through the link adwarden sent, ticking that permission.',
    'If the ad account sits in a Business Center, a BC admin must give the member (or the app) an Operator or Admin role on it.',
  ];
}

/** The app is not approved for the call: no re-authorization can add it until the developer does. */
function appScopeFix(call: string, refusal: Refusal): string[] {
  return [
    `The app itself lacks the scope for ${call}${groupOf(refusal)}: a re-auth link alone cannot add it.`,
    "First the app's developer enables the scope in TikTok's developer portal (My Apps > the app > Scope of permission).",
    'Then the advertiser owner re-authorizes through the link adwarden sent, so the new token carries it.',
  ];
}
