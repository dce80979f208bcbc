import type { DiagnosisDetails } from './diagnosis.ts';

const GRANT = /does not grant you\s+(\/[\w/.-]*?)\s*:\s*([A-Za-z]+)\s+permission/i;
const DELETED = /doesn'?t exist or has been deleted/i;
const APP_MISMATCH = /app_id is inconsistent with the token/i;
const STALE_AUTH_CODE = /old auth_?code/i;
const RATE = /\b(QPS|QPM|QPD)\s*\(\s*(\d+)\s*\)\s*reaches\s*(?:(?:QPS|QPM|QPD)\s+)?limit\s*(\d+)/i;
// TikTok's current app-limit wording: "App 7659707118749564929 reaches the QPS limit 1, current QPS is 2."
// and the short "App reaches the QPS limit 20".
const APP_RATE =
  /\bApp\s*(\d{6,20})?\s+reaches the\s+(QPS|QPM|QPD)\s+limit\s*(\d+)(?:\s+for\s+[^\s,]+)?(?:\s*,\s*current\s+(?:QPS|QPM|QPD)\s+is\s+(\d+))?/i;
// "The access token lacks the required scope for endpoint '/campaign/get/(method=GET)'": the app's scope.
const APP_SCOPE =
  /lacks the required scope for endpoint\s*'?(\/[\w/.-]*?)\s*\(\s*method\s*=\s*([A-Za-z]+)\s*\)/i;
const BANNED_COUNTRY = /banned country/i;
const TIME_SPAN = /max(?:imum)? time span is\s*(\d+)\s*days?/i;
const DUPLICATED_MATERIAL = /duplicated material name/i;
const ADVERTISER = /advertiser\s*(?:\(\s*|_id\s*[:=]?\s*|id\s*[:=]?\s*)?(\d{6,20})/i;
const APP = /\bapp\s*(?:\(\s*|_id\s*[:=]?\s*)(\d{6,20})/i;
const WINDOWS = { QPS: 'second', QPM: 'minute', QPD: 'day' } as const;

// Where a path's permission most likely comes from: TikTok fixes scopes at authorization time.
const PERMISSION_GROUPS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^\/(file|creative|video|image)\//, 'Creative Management'],
  [/^\/(campaign|adgroup|ad|smart_plus)\//, 'Ads Management'],
  [/^\/report\//, 'Reporting'],
  [/^\/bc\//, 'Business Center'],
  [/^\/(pixel|event)\//, 'Measurement (pixels and events)'],
  [/^\/(dmp|audience)\//, 'Audience Management'],
  [/^\/(advertiser|oauth2)\//, 'Ad Account Management'],
  [/^\/(tt_user|user|business)\//, 'TikTok Accounts'],
];

/** Reads what a TikTok `message` says beyond its code. Pure; never throws. */
export function readMessage(message: string): DiagnosisDetails {
  const details: DiagnosisDetails = {};
  const grant = GRANT.exec(message);
  if (grant) {
    details.reason = 'scope_not_granted';
    details.endpoint = grant[1];
    details.method = grant[2]!.toUpperCase();
    details.permissionGroup = PERMISSION_GROUPS.find(([path]) => path.test(grant[1]!))?.[1];
  }
  const scope = APP_SCOPE.exec(message);
  if (scope) {
    details.reason = 'app_scope_missing';
    details.endpoint = scope[1];
    details.method = scope[2]!.toUpperCase();
    details.permissionGroup = PERMISSION_GROUPS.find(([path]) => path.test(scope[1]!))?.[1];
  }
  if (DELETED.test(message)) details.reason = 'advertiser_deleted';
  if (BANNED_COUNTRY.test(message)) details.reason = 'region_blocked';
  const span = TIME_SPAN.exec(message);
  if (span) {
    details.reason = 'time_span_too_long';
    details.maxDays = Number(span[1]);
  }
  if (DUPLICATED_MATERIAL.test(message)) details.reason = 'duplicate_material';
  if (APP_MISMATCH.test(message)) details.reason = 'app_token_mismatch';
  if (STALE_AUTH_CODE.test(message)) details.reason = 'stale_auth_code';
  const rate = RATE.exec(message);
  if (rate) {
    details.window = WINDOWS[rate[1]!.toUpperCase() as keyof typeof WINDOWS];
    details.currentRate = Number(rate[2]);
    details.limit = Number(rate[3]);
  }
  const appRate = APP_RATE.exec(message);
  if (appRate) {
    details.window = WINDOWS[appRate[2]!.toUpperCase() as keyof typeof WINDOWS];
    details.limit = Number(appRate[3]);
    if (appRate[4] !== undefined) details.currentRate = Number(appRate[4]);
    if (appRate[1] !== undefined) details.appId = appRate[1];
  }
  const advertiser = ADVERTISER.exec(message);
  if (advertiser) details.advertiserId = advertiser[1];
  const app = APP.exec(message);
  if (app && !details.appId) details.appId = app[1];
  return stripUndefined(details);
}

// Messages TikTok sends, recognised without a code (for `adwarden explain "<message>"`), in order of precedence.
const SIGNATURES: ReadonlyArray<readonly [RegExp, number]> = [
  [GRANT, 40001],
  [APP_SCOPE, 40001],
  [BANNED_COUNTRY, 41000],
  [TIME_SPAN, 40002],
  [DUPLICATED_MATERIAL, 40911],
  [APP_RATE, 40100],
  [DELETED, 40001],
  [APP_MISMATCH, 40000],
  [/advertiser\s*\(?\d*\)?'?s?\s*QPS\s*\(\s*\d+\s*\)\s*reaches/i, 40133],
  [RATE, 40100],
  [/too frequent|temporarily restricted|too many requests/i, 40100],
  [/access token is null|set it in http header with key Access-Token/i, 40104],
  [
    /access token is (incorrect|invalid)|access token has been revoked|token.*revoked|invalid access token/i,
    40105,
  ],
  [/refresh token (is |has )?expired/i, 40103],
  [/refresh token is invalid/i, 40107],
  [/access token (is |has )?expired/i, 40102],
  [STALE_AUTH_CODE, 40101],
  [/authorization code is expired/i, 40131],
  [/auth_?code.*(used|expired|invalid)|invalid (authorization|auth) code/i, 40110],
  [/transcoding in process|video (is )?(still )?transcoding/i, 40901],
  [/query is too large/i, 40067],
  [/must be set to array|invalid parameter/i, 40002],
  [/system (is )?(in )?maintenance/i, 60001],
  [/internal service error/i, 51000],
  [/system error/i, 50000],
];

/** Finds the TikTok code a bare message most likely came with; undefined when nothing matches. */
export function codeFromMessage(message: string): number | undefined {
  return SIGNATURES.find(([pattern]) => pattern.test(message))?.[1];
}

function stripUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}
