import type { Incident } from './types.ts';

/** Something adwarden does by itself about an incident. The executor records each on the timeline. */
export type RemediationAction =
  /** Create a re-auth link bound to the connection and send it to the owner (and the channels). */
  | { type: 'send_reauth_link'; connectionId: string; why: string }
  /** Refresh a tt_user token now instead of waiting for its next use. */
  | { type: 'refresh_token'; connectionId: string }
  /** Probe the connection again soon, backing off while it keeps failing. */
  | { type: 'recheck'; connectionId: string }
  /** Re-run the calls that failed while the connection was broken. */
  | { type: 'replay_parked'; connectionId: string }
  /** Hold per-connection noise while the platform incident is open. */
  | { type: 'suppress_noise' };

/** When the planner is asked. */
export type RemediationTrigger = 'opened' | 'resolved';

/**
 * Decides what is safe to do without a person, from the incident alone. Pure: the executor does it.
 * Auth and permission problems get a re-auth link for the owner and, once repaired, the failed calls
 * re-run; expiring tt_user tokens are refreshed when the regime allows; transient trouble is
 * re-checked with backoff. Everything else (a rejected ad, a spent budget, a rotated app secret) needs
 * a person, and the fix text says exactly what to do.
 */
export function planRemediation(incident: Incident, trigger: RemediationTrigger): RemediationAction[] {
  const connectionId = incident.subject.connectionId;
  if (trigger === 'resolved') {
    if (connectionId && (incident.problem === 'auth' || incident.problem === 'permission'))
      return [{ type: 'replay_parked', connectionId }];
    return [];
  }
  switch (incident.problem) {
    case 'auth':
      return connectionId
        ? [{ type: 'send_reauth_link', connectionId, why: 'the token no longer works' }]
        : [];
    case 'permission':
      return connectionId
        ? [
            {
              type: 'send_reauth_link',
              connectionId,
              why: `the authorization lacks the permission for ${String(incident.facts.method ?? '')} ${String(incident.facts.endpoint ?? '')}`.trim(),
            },
          ]
        : [];
    case 'expiry':
      if (!connectionId) return [];
      return incident.facts.refreshable === true
        ? [{ type: 'refresh_token', connectionId }]
        : [
            {
              type: 'send_reauth_link',
              connectionId,
              why: `${String(incident.facts.what ?? 'the token')} ends soon`,
            },
          ];
    case 'unreachable':
      return connectionId ? [{ type: 'recheck', connectionId }] : [];
    case 'outage':
      return [{ type: 'suppress_noise' }];
    default:
      return [];
  }
}

/** How an action reads on the incident's timeline ("handled automatically: …"). */
export function describeAction(action: RemediationAction, outcome: string): string {
  const what = {
    send_reauth_link: 'a re-auth link was created and sent to the owner',
    refresh_token: 'the token was refreshed',
    recheck: 'the connection is re-checked with backoff',
    replay_parked: 'the calls that failed were re-run',
    suppress_noise: 'per-connection alerts for transient failures are held until the platform recovers',
  }[action.type];
  return `Handled automatically: ${what}${outcome ? ` (${outcome})` : ''}.`;
}
