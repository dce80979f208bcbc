import type { ClassifyContext } from './classify.ts';
import type { Diagnosis } from './diagnosis.ts';
import { suggestRetry } from './suggest-retry.ts';

/**
 * Sharpens a diagnosis with what the message says: overloaded codes (40001, 40000/40113, 40101) get
 * the kind, action and fix their message implies; rate limits get their window and suggested wait.
 */
export function refineDiagnosis(diagnosis: Diagnosis, context: ClassifyContext): Diagnosis {
  const refined = { ...diagnosis, ...refinement(diagnosis) };
  return { ...refined, ...suggestRetry(refined, context.now) };
}

function refinement(diagnosis: Diagnosis): Partial<Diagnosis> {
  const { details, code } = diagnosis;
  if (details.reason === 'region_blocked') return REGION_BLOCKED;
  if (code === 40001 && details.reason === 'app_scope_missing' && details.endpoint)
    return appScope(diagnosis);
  if (code === 40002 && details.reason === 'time_span_too_long') return timeSpan(diagnosis);
  return messageRefinement(diagnosis);
}

function messageRefinement(diagnosis: Diagnosis): Partial<Diagnosis> {
  const { details, code } = diagnosis;
  const advertiser = diagnosis.advertiserId ? ` ${diagnosis.advertiserId}` : '';
  if (code === 40001 && details.reason === 'scope_not_granted' && details.endpoint) {
    const call = `${details.method ?? 'this method on'} ${details.endpoint}`;
    const group = details.permissionGroup
      ? `the ${details.permissionGroup} permission`
      : 'the permission for that endpoint';
    return {
      title: `Permission not granted: ${call}`,
      meaning: `The advertiser${advertiser} has not granted this app permission to call ${call}. TikTok fixes permissions when the advertiser authorizes the app, so retrying cannot help.`,
      causes: diagnosis.causes.slice(0, 2),
      fix: [
        `Ask the advertiser owner to authorize the app again with ${group} ticked; adwarden sends them a re-auth link for this connection.`,
        `If the call writes and the authorizing user is an Analyst on the ad account, ask a Business Center admin to make them Admin or Operator.`,
        `Until then, adwarden marks the features that use ${details.endpoint} as degraded instead of failing the whole connection.`,
      ],
    };
  }
  if (code === 40001 && details.reason === 'advertiser_deleted') {
    return {
      kind: 'advertiser_unavailable',
      action: 'verify_advertiser',
      title: 'Advertiser deleted or no longer authorized',
      meaning: `TikTok says the advertiser${advertiser} does not exist or has been deleted; it may also have been removed from the app's authorization.`,
      fix: [
        'adwarden checks /oauth2/advertiser/get/ to see whether the advertiser is still in the authorization.',
        'If it was removed by mistake, the owner authorizes the app again and ticks the advertiser.',
        'If the account was closed, remove it from the connection.',
      ],
    };
  }
  if ((code === 40000 || code === 40113) && details.reason === 'app_token_mismatch') {
    return {
      kind: 'auth_invalid',
      action: 'verify_then_reauth',
      actor: 'advertiser_owner',
      title: 'Token belongs to another app',
      meaning:
        'The access token was issued to a different TikTok app than the app_id sent with it ("app_id is inconsistent with the token\'s app information").',
      fix: [
        'Check that the connection uses the app it was authorized through (app id and secret in adwarden).',
        'Then have the owner authorize again through this app; adwarden sends the re-auth link.',
      ],
    };
  }
  if (code === 40101 && details.reason === 'stale_auth_code') {
    return {
      kind: 'auth_code_invalid',
      action: 'restart_oauth',
      actor: 'advertiser_owner',
      title: 'Authorization code already used or stale',
      fix: ['Start the authorization again for a fresh code; codes live one hour and work once.'],
    };
  }
  if (diagnosis.kind === 'rate_limited' && details.limit !== undefined) {
    const unit = { second: 'QPS', minute: 'QPM', day: 'QPD' }[details.window ?? 'second'];
    const who = code === 40133 ? `Advertiser${advertiser}` : 'The app';
    return {
      title: `${diagnosis.title}: ${details.currentRate ?? '?'} ${unit} against a limit of ${details.limit}`,
      fix: [
        `${who} sent ${details.currentRate ?? 'more than'} ${unit} against a limit of ${details.limit}.`,
        ...diagnosis.fix,
      ],
    };
  }
  return {};
}

/** "Client IP address is in banned Country list." (code 41000, and -1 on some endpoints). */
const REGION_BLOCKED: Partial<Diagnosis> = {
  kind: 'blocked',
  action: 'stop_and_alert',
  retryable: false,
  retry: { mode: 'never' },
  actor: 'operator',
  title: 'Client IP in a blocked region',
  meaning:
    'TikTok refuses calls from the IP address adwarden calls from: it is in a country or region TikTok blocks ("Client IP address is in banned Country list."). The token and the app are not at fault.',
  causes: ['The server, its proxy or its NAT gateway leaves the network in a blocked region.'],
  fix: [
    'Route adwarden’s outbound traffic to TikTok through a network in an allowed region (another host, a proxy or an egress gateway).',
    'Nothing to re-authorize: the same calls work once they leave from an allowed region; retrying from the same address cannot help.',
  ],
};

/** 40001 "The access token lacks the required scope for endpoint …": the app, not the advertiser. */
function appScope(diagnosis: Diagnosis): Partial<Diagnosis> {
  const { details } = diagnosis;
  const call = `${details.method ?? 'this method on'} ${details.endpoint}`;
  const group = details.permissionGroup ? ` (permission group: ${details.permissionGroup})` : '';
  return {
    actor: 'developer',
    title: `App lacks the scope for ${call}`,
    meaning: `The app itself is not approved for ${call}${group}: its scopes in TikTok's developer portal do not include it, so no token the app gets can carry it. A re-auth link alone cannot fix this.`,
    causes: [
      'The scope was never enabled for the app, or was removed in the developer portal.',
      'The app is a sandbox or draft app whose scopes differ from the production one.',
    ],
    fix: [
      `The app's developer enables the scope${group} in TikTok's developer portal (My Apps > the app > Scope of permission) and, if TikTok asks, waits for its review.`,
      'Then the advertiser owner authorizes the app again through the re-auth link adwarden sent, so the new token carries the scope.',
    ],
  };
}

/** 40002 "max time span is 30 days when use stat_time_day": the report window is split, like 40067. */
function timeSpan(diagnosis: Diagnosis): Partial<Diagnosis> {
  const days = diagnosis.details.maxDays ?? 30;
  return {
    action: 'split_request',
    title: `Report window longer than ${days} days`,
    meaning: `TikTok answers daily reports (stat_time_day) for at most ${days} days per request. The request is valid otherwise.`,
    fix: [
      `Split the date range into windows of at most ${days} days and send one request per window (adwarden's report reads do this by themselves).`,
    ],
  };
}
