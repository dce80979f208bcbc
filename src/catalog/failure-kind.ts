/**
 * The closed vocabulary every decision in adwarden reads. Nothing outside `src/catalog/` looks at
 * a raw TikTok code: retry, pacing, incidents and notifications switch on these values.
 */
export const FAILURE_KINDS = [
  'rate_limited',
  'transient',
  'not_ready',
  'auth_invalid',
  'auth_expired',
  'auth_code_invalid',
  'app_credentials',
  'permission_denied',
  'advertiser_unavailable',
  'invalid_request',
  'not_found',
  'quota_exceeded',
  'blocked',
  'partial_failure',
  'unknown',
] as const;

/** What went wrong, in terms a decision can switch on. */
export type FailureKind = (typeof FAILURE_KINDS)[number];

/** A diagnosis is either a success (`ok`) or one failure kind. */
export type DiagnosisKind = 'ok' | FailureKind;

/** What adwarden does by itself about a failure, before (or instead of) asking a person. */
export const AUTOMATIC_ACTIONS = [
  'none',
  'backoff',
  'pace',
  'poll',
  'refresh',
  'verify_then_reauth',
  'restart_oauth',
  'request_permission',
  'verify_advertiser',
  'check_app_credentials',
  'split_request',
  'reread_state',
  'forget_object',
  'inspect_items',
  'fix_request',
  'stop_and_alert',
  'alert',
] as const;

/** The automatic action for a failure. */
export type AutomaticAction = (typeof AUTOMATIC_ACTIONS)[number];

/** One sentence per action, for people reading `explain` output and the knowledge base. */
export const ACTION_DESCRIPTIONS: Readonly<Record<AutomaticAction, string>> = {
  none: 'Nothing to do.',
  backoff:
    'Retries with exponential backoff and full jitter, within a maximum number of attempts and a deadline.',
  pace: "Slows down to TikTok's rate budget: retry in the next second (QPS), pause 5 minutes (QPM), or park the call until 00:00 UTC (QPD). Never re-authenticates.",
  poll: 'Waits and polls again later; the work is still in progress on TikTok’s side.',
  refresh:
    'Refreshes a tt_user access token with its refresh token, then retries once; asks for re-authorization if the refresh fails.',
  verify_then_reauth:
    'Probes the token (/oauth2/advertiser/get/, then /advertiser/info/) before believing it is dead; if confirmed, marks the connection as needing re-authorization and sends the owner a re-auth link.',
  restart_oauth: 'Starts the authorization again: authorization codes are single-use and live one hour.',
  request_permission:
    'Marks the feature degraded and sends the advertiser owner a re-auth link that asks for the missing permission.',
  verify_advertiser:
    'Checks /oauth2/advertiser/get/ and /advertiser/info/ to confirm whether the advertiser was removed from the authorization or deleted.',
  check_app_credentials:
    'Raises an app-level incident for the operator: the app id / secret pair does not match what TikTok has.',
  split_request:
    'Splits or shrinks the request (fewer ids per call, a shorter date window) and sends it again.',
  reread_state: 'Treats the write as probably applied and re-reads the object before deciding to retry.',
  forget_object: 'Marks the object as deleted locally and stops polling it.',
  inspect_items: 'Reads the per-item results and retries only the items whose errors are transient.',
  fix_request:
    'Does not retry: the request itself must change. Raises a developer alert with the message TikTok gave.',
  stop_and_alert: 'Stops the operation and alerts a person; retrying cannot help.',
  alert: 'Alerts a person; adwarden has no safe automatic action for this.',
};

/** Who has to act for the problem to go away. */
export type Actor = 'nobody' | 'operator' | 'advertiser_owner' | 'bc_admin' | 'developer';

/** How sure we are of TikTok's meaning for a code (see the fact sheet's confidence labels). */
export type Confidence = 'high' | 'medium' | 'low';
