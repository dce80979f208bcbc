import type { CatalogEntry } from '../entry.ts';
import { NEVER, RATE_LIMIT_RETRY, row, rows } from './define.ts';

const RATE_LIMIT = {
  kind: 'rate_limited',
  action: 'pace',
  retry: RATE_LIMIT_RETRY,
  actor: 'nobody',
} as const;
const DEAD_TOKEN = {
  kind: 'auth_invalid',
  action: 'verify_then_reauth',
  retry: NEVER,
  actor: 'advertiser_owner',
} as const;
const NEW_AUTHORIZATION = {
  kind: 'auth_code_invalid',
  action: 'restart_oauth',
  retry: NEVER,
  actor: 'advertiser_owner',
} as const;
const APP_ACCESS = { kind: 'permission_denied', action: 'alert', retry: NEVER, actor: 'operator' } as const;
const RATE_RECOVERY =
  'Recovery per TikTok: QPS exceeded → retry in the next second; QPM exceeded → stop for 5 minutes; QPD exceeded → stop until 00:00 UTC.';

/** Rate limits, tokens, authorization codes and app credentials: the 401xx block and 40016. */
export const AUTH_CODES: readonly CatalogEntry[] = [
  row({
    ...RATE_LIMIT,
    code: 40100,
    name: 'REQUEST_TOO_FREQUENT',
    title: 'Requests too frequent (app rate limit)',
    meaning: `Requests too frequent: the developer app reached its rate limit (QPS, QPM or QPD of its tier, or an endpoint limit). It is a rate limit, not an authentication error: the token is fine. ${RATE_RECOVERY}`,
    causes: [
      'More calls per second, minute or day than the app’s tier allows (Basic: 10 QPS / 600 QPM / 864,000 QPD), summed over all its tokens and workers.',
      'An endpoint with a lower limit of its own (e.g. /ad/create/ at 5 QPS on Basic).',
    ],
    fix: [
      'Nothing to re-authorize: the token is valid.',
      'Lower concurrency per app, or spread work over the day; adwarden’s client paces calls to the tier’s budget.',
      'If it happens daily, apply for a higher rate tier (My Apps → App Detail → Authorization).',
    ],
    sources: ['SDK', 'RC', 'AB', 'SG', 'PH', 'OW', 'SF'],
    alsoDescribedAs: [
      { claim: 'Invalid Access Token: re-run OAuth', by: 'adskull.io', verdict: 'contradicts' },
      {
        claim: 'Authentication Failed (headers missing)',
        by: 'theautomationengine.com',
        verdict: 'contradicts',
      },
    ],
  }),
  row({
    code: 40101,
    name: 'INVALID_PARTNER',
    kind: 'app_credentials',
    title: 'Invalid app credentials or authorization code',
    meaning:
      'Invalid authentication parameters: the app_id / secret pair does not match, or the authorization code is invalid (e.g. "Not able to get long-term access_token with an old auth_code").',
    causes: [
      'The app secret was rotated or mistyped.',
      'The app id belongs to another app.',
      'At token exchange: an old or reused auth_code.',
    ],
    fix: [
      'Compare the app id and secret with TikTok’s developer portal (My Apps → App Detail) and update them where they are configured (adwarden apps add, or the client’s options).',
      'At token exchange: start the authorization again for a fresh code.',
    ],
    action: 'check_app_credentials',
    retry: NEVER,
    actor: 'operator',
    alsoDescribedAs: [
      {
        claim: 'Requests made too frequently (rate limit)',
        by: 'PostHog utils.py comment',
        verdict: 'contradicts',
      },
    ],
  }),
  row({
    code: 40102,
    name: 'ACCESS_TOKEN_EXPIRE',
    kind: 'auth_expired',
    title: 'Access token expired',
    meaning:
      'The access token has expired. Expected for TikTok account (tt_user) tokens, which live 24 hours; unexpected for Marketing API advertiser tokens, which do not expire on a timer.',
    causes: [
      'A tt_user access token older than 24 hours.',
      'For an advertiser token: it was invalidated on TikTok’s side.',
    ],
    fix: [
      'tt_user tokens: refresh with the refresh token, then retry (the service does this by itself).',
      'Advertiser tokens (no refresh exists): the owner authorizes the app again through the re-auth link.',
    ],
    action: 'refresh',
    retry: NEVER,
    actor: 'advertiser_owner',
    alsoDescribedAs: [
      {
        claim: 'Rate limited for a certain field value',
        by: 'PostHog utils.py comment',
        verdict: 'contradicts',
      },
    ],
  }),
  row({
    code: 40103,
    name: 'REFRESH_TOKEN_EXPIRE',
    kind: 'auth_expired',
    title: 'Refresh token expired',
    meaning:
      'The tt_user refresh token has expired (they live 365 days); the account holder must authorize again.',
    causes: ['The refresh token is older than a year, or was not used before it ran out.'],
    fix: [
      'The TikTok account holder authorizes the app again (the service sends them the link, and reminds them 7 days ahead).',
    ],
    action: 'restart_oauth',
    retry: NEVER,
    actor: 'advertiser_owner',
  }),
  row({
    code: 40104,
    name: 'EMPTY_ACCESS_TOKEN',
    kind: 'invalid_request',
    title: 'Access token missing',
    meaning:
      'The Access-Token header is empty or missing ("Access token is null, you should set it in http header with key Access-Token.").',
    causes: [
      'The caller did not send the Access-Token header, or sent the token in Authorization or the query instead.',
    ],
    fix: [
      'Send the token in the `Access-Token` header, without a `Bearer ` prefix. This is a caller bug, not an advertiser problem.',
    ],
    action: 'fix_request',
    retry: NEVER,
    actor: 'developer',
  }),
  row({
    ...DEAD_TOKEN,
    code: 40105,
    name: 'INVALID_ACCESS_TOKEN',
    title: 'Access token invalid or revoked',
    meaning:
      'The access token is invalid, incorrect or has been revoked ("Access token is incorrect or has been revoked").',
    causes: [
      'The advertiser or a Business Center admin cancelled the app’s authorization.',
      'The app revoked the token (/oauth2/revoke_token/).',
      'A sandbox token sent to production, or the reverse.',
      'A `Bearer ` prefix or whitespace around the token.',
    ],
    fix: [
      'Probe the token first (/oauth2/advertiser/get/) to rule out a sandbox/production mix-up or a formatting problem; the service does before it calls a token dead.',
      'If it is confirmed dead, the connection owner authorizes the app again through the re-auth link; the same connection gets the new token.',
    ],
    sources: ['SDK', 'RC', 'SF', 'PH'],
  }),
  row({
    ...DEAD_TOKEN,
    code: 40106,
    name: 'INVALID_CORE_USER',
    title: 'Token does not match this advertiser or user',
    meaning: 'The core user is invalid: the token does not belong to this advertiser or user.',
    causes: ['The token was used for an advertiser it was not issued for.'],
    fix: [
      'Check which connection’s token is used for this advertiser; re-authorize if the advertiser should be covered.',
    ],
  }),
  row({
    ...NEW_AUTHORIZATION,
    code: 40107,
    name: 'INVALID_REFRESH_TOKEN',
    kind: 'auth_invalid',
    title: 'Refresh token invalid',
    meaning:
      'The refresh token is invalid, which includes trying to refresh a long-term Marketing API token (those cannot be refreshed).',
    causes: [
      'A refresh with a revoked or mistyped refresh token.',
      'A refresh attempted for an advertiser (Marketing API) token.',
    ],
    fix: ['The owner authorizes the app again. Never call refresh for advertiser tokens.'],
  }),
  ...rows(
    [
      [40108, 'INVALID_GRANT_TYPE', 'Invalid grant_type'],
      [40109, 'ERROR_AES_DECIPHER', 'Decryption error'],
      [40116, 'AUTH_SIG_ERROR', 'Authentication signature invalid'],
    ],
    {
      kind: 'invalid_request',
      action: 'fix_request',
      retry: NEVER,
      actor: 'developer',
      meaning: 'The OAuth request is malformed.',
      causes: ['A bug in how the OAuth request is built.'],
      fix: ['Check the OAuth request body against TikTok’s documentation.'],
    },
  ),
  row({
    ...NEW_AUTHORIZATION,
    code: 40110,
    name: 'AUTH_CODE_ERROR',
    title: 'Authorization code invalid, used or expired',
    meaning:
      'The authorization code was cancelled, already used or has expired. Codes live one hour and work once.',
    causes: [
      'The callback was replayed or the code exchanged twice.',
      'More than an hour passed between consent and exchange.',
    ],
    fix: [
      'Start the authorization again and exchange the new code at once: a code lives an hour and works once.',
    ],
    alsoDescribedAs: [
      {
        claim: 'No permission to access this advertiser (a test mock)',
        by: 'PostHog tests',
        verdict: 'contradicts',
      },
    ],
  }),
  row({
    ...DEAD_TOKEN,
    code: 40111,
    name: null,
    title: 'Undocumented authentication failure',
    meaning:
      'This code appears in no TikTok source (SDK table or return-code appendix); adwarden treats it as a generic authentication failure.',
    causes: ['Unknown.'],
    fix: [
      'Probe the token (/oauth2/advertiser/get/); quote the request_id to TikTok support so the meaning can be confirmed.',
    ],
    confidence: 'low',
    sources: [],
    inTikTokTables: false,
  }),
  row({
    code: 40112,
    name: 'PASSWORD_ERROR',
    kind: 'auth_invalid',
    title: 'Wrong password',
    meaning: 'A wrong password was given.',
    causes: ['Wrong credentials in a password-based flow.'],
    fix: ['Check the credentials used for this flow.'],
    action: 'alert',
    retry: NEVER,
    actor: 'operator',
  }),
  row({
    code: 40113,
    name: 'APP_FORBIDDEN',
    kind: 'app_credentials',
    title: 'App blocked or does not exist',
    meaning:
      'The app is blocked or does not exist. TikTok’s appendix also gives "The app_id is inconsistent with the token\'s app information" as an example, which adwarden refines to "token belongs to another app".',
    causes: ['A wrong app id.', 'The app was disabled on TikTok’s side.'],
    fix: ['Check the app in TikTok’s developer portal, and the app id it is configured with.'],
    action: 'check_app_credentials',
    retry: NEVER,
    actor: 'operator',
  }),
  row({
    ...DEAD_TOKEN,
    code: 40114,
    name: 'ADVERTISER_LOGOUT',
    title: 'Advertiser logged out',
    meaning: 'The advertiser logged out or logged off; the authorization no longer holds.',
    causes: ['The advertiser account holder logged off.'],
    fix: ['The owner authorizes the app again through the re-auth link.'],
    confidence: 'medium',
    sources: ['SDK'],
  }),
  row({
    ...NEW_AUTHORIZATION,
    code: 40115,
    name: 'AUTH_TIMESTAMP_EXPIRE',
    title: 'Authorization timestamp expired',
    meaning: 'The authorization timestamp expired.',
    causes: ['The exchange came too late after consent.'],
    fix: ['Start the authorization again for a new code.'],
  }),
  ...rows(
    [
      [40117, 'APP_METHOD_FORBIDDEN', 'Method forbidden for this app'],
      [40118, 'NOT_IN_WHITELIST', 'Not on the allowlist for this feature'],
      [40119, 'NOT_SAME_IDENTITY', 'Developer and advertiser are not the same identity'],
      [40124, 'DEVELOPER_REJECTED', 'Developer profile not approved'],
      [40125, 'DEVELOPER_NO_PERMISSION', 'Developer has no permission'],
    ],
    {
      ...APP_ACCESS,
      meaning:
        'The developer app may not use this API, feature or advertiser: an app-level access decision on TikTok’s side.',
      causes: [
        'The app lacks access to the API or feature, the feature is allowlist- or region-gated, or the developer account is not approved.',
      ],
      fix: [
        'In TikTok’s developer portal, check the app’s approved APIs and apply for the feature; retrying cannot help.',
      ],
    },
  ),
  ...rows(
    [
      [40121, 'NOT_A_TCM_CREATOR', 'Not a TikTok Creator Marketplace creator'],
      [40122, 'TCM_CREATOR_INVALID_COUNTRY', 'Creator country not supported'],
      [40126, 'GARM_SINGLE_AUTH_FAILED', 'Brand-safety (GARM) authorization failed'],
      [40127, 'GARM_DOUBLE_AUTH_FAILED', 'Brand-safety (GARM) double authorization failed'],
      [40128, 'GARM_SINGLE_VALIDATE_ERROR', 'Brand-safety (GARM) validation failed'],
      [40129, 'GARM_DOUBLE_VALIDATE_ERROR', 'Brand-safety (GARM) double validation failed'],
    ],
    {
      ...APP_ACCESS,
      meaning: 'The account or app does not qualify for this creator or brand-safety feature.',
      causes: ['Creator, country or brand-safety requirements are not met.'],
      fix: ['Check the feature’s eligibility requirements with TikTok.'],
      confidence: 'medium',
      sources: ['SDK'],
    },
  ),
  row({
    ...NEW_AUTHORIZATION,
    code: 40120,
    name: 'TIKTOK_USER_NOT_LOGGED_IN',
    kind: 'auth_invalid',
    title: 'TikTok user not logged in',
    meaning: 'The TikTok user is not logged in.',
    causes: ['The TikTok account session ended.'],
    fix: ['The TikTok account holder logs in and authorizes again.'],
  }),
  row({
    code: 40130,
    name: 'SCOPE_NOT_AUTHORIZED',
    kind: 'permission_denied',
    title: 'Scope not authorized',
    meaning: 'The scope this call needs was not authorized.',
    causes: ['The permission was not ticked at authorization time.'],
    fix: [
      'The owner authorizes the app again with the scope ticked (the service sends them a re-auth link).',
    ],
    action: 'request_permission',
    retry: NEVER,
    actor: 'advertiser_owner',
    confidence: 'medium',
    sources: ['SDK'],
  }),
  row({
    ...NEW_AUTHORIZATION,
    code: 40131,
    name: 'SCOPE_TT_USER_OAUTH_FAILED',
    title: 'TikTok account authorization failed',
    meaning:
      'The tt_user OAuth step failed; an observed message is "Authorization code is expired." from /tt_user/oauth2/token/.',
    causes: ['An expired or reused TikTok account authorization code.'],
    fix: ['Start the TikTok account authorization again.'],
    confidence: 'medium',
    sources: ['SDK'],
  }),
  row({
    ...RATE_LIMIT,
    code: 40132,
    name: 'REQUEST_FREQUENCY_LIMITED',
    title: 'Too frequent for one field value',
    meaning: `Requests are too frequent for a single field value (e.g. one pixel_code on /pixel/track/). ${RATE_RECOVERY}`,
    causes: [
      'Many calls with the same field value in a short time.',
      'If sustained: possibly a leaked token used elsewhere.',
    ],
    fix: [
      'Slow down calls for that value; if it persists, check whether the token is used by something else.',
    ],
  }),
  row({
    ...RATE_LIMIT,
    code: 40133,
    name: null,
    title: 'Advertiser rate limit for this path',
    meaning: `The advertiser reached its per-path QPS limit, e.g. "Advertiser (…)'s QPS (21) reaches QPS limit 20 for current path". ${RATE_RECOVERY}`,
    causes: ['Too many calls for one advertiser on one endpoint, typically from parallel jobs.'],
    fix: [
      'Nothing to re-authorize. adwarden’s client keeps a per-advertiser, per-path budget and retries after a second.',
    ],
    sources: ['RC', 'AB'],
  }),
  row({
    ...RATE_LIMIT,
    code: 40016,
    name: 'BIZ_FC_ERROR',
    title: 'Requests too frequent (endpoint limit)',
    meaning: `Requests too frequent at the app-level endpoint limit; handled like 40100. ${RATE_RECOVERY}`,
    causes: ['The app exceeded an endpoint’s own limit.'],
    fix: ['Nothing to re-authorize; adwarden’s client paces calls to the endpoint’s budget.'],
    sources: ['SDK', 'RC', 'PH'],
  }),
];
