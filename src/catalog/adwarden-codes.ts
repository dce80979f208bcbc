import { NEVER, TRANSIENT_RETRY } from './codes/define.ts';
import type { RetryPolicy } from './entry.ts';
import type { Actor, AutomaticAction, DiagnosisKind } from './failure-kind.ts';

/** A failure that never reached TikTok's code table: an HTTP status, an unreadable body, a network error. */
export interface ResponseProblem {
  readonly code: AdwardenDiagnosisCode;
  readonly kind: DiagnosisKind;
  readonly title: string;
  readonly meaning: string;
  readonly causes: readonly string[];
  readonly fix: readonly string[];
  readonly action: AutomaticAction;
  readonly retry: RetryPolicy;
  readonly actor: Actor;
}

const LIMITED_RETRY: RetryPolicy = {
  mode: 'backoff',
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
  maxAttempts: 3,
};
const NETWORK = {
  kind: 'transient',
  action: 'backoff',
  retry: TRANSIENT_RETRY,
  actor: 'nobody',
  fix: [
    'Retried with exponential backoff.',
    'If it lasts, check this machine’s network path to TikTok (DNS, proxy, firewall).',
  ],
} as const;

/** adwarden's own codes for diagnoses that carry no TikTok code. */
export const RESPONSE_PROBLEMS = {
  ADW_HTTP_NOT_FOUND: {
    code: 'ADW_HTTP_NOT_FOUND',
    kind: 'not_found',
    title: 'HTTP 404: wrong path or missing trailing slash',
    meaning:
      'The request never reached the API logic: no route matches. Every v1.3 path ends in "/" and TikTok answers 404 without it.',
    causes: [
      'A missing trailing slash.',
      'A typo in the path or a wrong /open_api/v1.3/ prefix.',
      'A wrong base URL.',
    ],
    fix: ['Check the path, its trailing slash and the base URL.'],
    action: 'fix_request',
    retry: NEVER,
    actor: 'developer',
  },
  ADW_HTTP_SERVER_ERROR: {
    code: 'ADW_HTTP_SERVER_ERROR',
    kind: 'transient',
    title: 'HTTP 5xx: gateway or server error',
    meaning:
      'TikTok’s gateway or servers failed; the body may be an HTML page instead of JSON. TikTok advises waiting about 5 minutes before opening a ticket.',
    causes: ['A TikTok-side outage or overloaded gateway.'],
    fix: ['Retried with exponential backoff.', 'If it lasts, check TikTok’s API status page.'],
    action: 'backoff',
    retry: TRANSIENT_RETRY,
    actor: 'nobody',
  },
  ADW_HTTP_RATE_LIMITED: {
    code: 'ADW_HTTP_RATE_LIMITED',
    kind: 'rate_limited',
    title: 'HTTP 429 (not how the Marketing API signals limits)',
    meaning:
      'The Marketing API signals rate limits as HTTP 200 with code 40100/40133; a 429 comes from another TikTok product (TikTok for Developers) or a proxy in between.',
    causes: ['A proxy between adwarden and TikTok, or a call to another TikTok product’s host.'],
    fix: ['Slowed down and retried; check the base URL and any proxy in between.'],
    action: 'pace',
    retry: { mode: 'rate_limit', escalationMs: [1_000, 5_000, 300_000], parkUntilUtcMidnight: false },
    actor: 'nobody',
  },
  ADW_RATE_BUDGET_TIMEOUT: {
    code: 'ADW_RATE_BUDGET_TIMEOUT',
    kind: 'rate_limited',
    title: 'Waited for rate budget until the call deadline',
    meaning:
      "The call was never sent: adwarden held it for the app's rate budget (after 40100/40133 answers) and its deadline passed first.",
    causes: ['Calls beyond what the app’s rate tier allows, or a throttling storm on TikTok’s side.'],
    fix: [
      'Nothing is wrong with the token: the call can be made again once the budget frees up.',
      'If it happens often, spread the work out or ask TikTok for a higher rate tier.',
    ],
    action: 'pace',
    retry: { mode: 'rate_limit', escalationMs: [1_000, 5_000, 300_000], parkUntilUtcMidnight: false },
    actor: 'nobody',
  },
  ADW_HTTP_CLIENT_ERROR: {
    code: 'ADW_HTTP_CLIENT_ERROR',
    kind: 'invalid_request',
    title: 'Unexpected HTTP status',
    meaning:
      'An HTTP status the Marketing API does not use for API errors (those are HTTP 200 with a non-zero code): the request did not reach the API logic.',
    causes: ['A wrong method, host or proxy; HTTP 401/403 come from other TikTok products.'],
    fix: ['Check the method, the base URL and any proxy in between.'],
    action: 'fix_request',
    retry: NEVER,
    actor: 'developer',
  },
  ADW_BODY_NOT_JSON: {
    code: 'ADW_BODY_NOT_JSON',
    kind: 'transient',
    title: 'Response body is not JSON',
    meaning:
      'The body is not JSON: an HTML gateway page, an empty body or a truncated response. It is never treated as success.',
    causes: ['A gateway error page.', 'A connection cut mid-response.'],
    fix: ['Retried with backoff (a write only when it is marked replay-safe).'],
    action: 'backoff',
    retry: LIMITED_RETRY,
    actor: 'nobody',
  },
  ADW_ENVELOPE_MALFORMED: {
    code: 'ADW_ENVELOPE_MALFORMED',
    kind: 'transient',
    title: 'Response is not a usable TikTok envelope',
    meaning:
      'The body is JSON but not a TikTok envelope: it has no numeric `code`, or it claims success (code 0) without `data`. TikTok always sends a numeric code, and data with code 0.',
    causes: ['A proxy or gateway answered instead of TikTok.', 'A changed or broken response.'],
    fix: ['Retried a few times; if it lasts, capture the response and check what answers at the base URL.'],
    action: 'backoff',
    retry: LIMITED_RETRY,
    actor: 'nobody',
  },
  ADW_BODY_TOO_LARGE: {
    code: 'ADW_BODY_TOO_LARGE',
    kind: 'transient',
    title: 'Response body too large',
    meaning: 'The body exceeded the size adwarden accepts for one response; it was not read.',
    causes: [
      'A gateway or proxy sent something that is not an API response.',
      'A page size far larger than needed.',
    ],
    fix: ['Retried a few times; lower page_size if it is the API’s real answer.'],
    action: 'backoff',
    retry: LIMITED_RETRY,
    actor: 'nobody',
  },
  ADW_NETWORK_TIMEOUT: {
    ...NETWORK,
    code: 'ADW_NETWORK_TIMEOUT',
    title: 'Request timed out',
    meaning: 'No complete response arrived in time.',
    causes: ['A slow TikTok response or a network stall.'],
  },
  ADW_NETWORK_RESET: {
    ...NETWORK,
    code: 'ADW_NETWORK_RESET',
    title: 'Connection reset',
    meaning: 'The connection was closed before the response was complete.',
    causes: ['A gateway or network device dropped the connection.'],
  },
  ADW_NETWORK_REFUSED: {
    ...NETWORK,
    code: 'ADW_NETWORK_REFUSED',
    title: 'Connection refused',
    meaning: 'Nothing accepted the connection at the base URL.',
    causes: ['A wrong base URL or port, or the host is down.'],
  },
  ADW_DNS_FAILURE: {
    ...NETWORK,
    code: 'ADW_DNS_FAILURE',
    title: 'Host name not resolved',
    meaning: 'The API host name could not be resolved.',
    causes: ['A DNS failure or a typo in the base URL.'],
  },
  ADW_NETWORK_ERROR: {
    ...NETWORK,
    code: 'ADW_NETWORK_ERROR',
    title: 'Network error',
    meaning: 'The request failed before any response arrived.',
    causes: ['A network failure between adwarden and TikTok.'],
  },
  ADW_CIRCUIT_OPEN: {
    code: 'ADW_CIRCUIT_OPEN',
    kind: 'transient',
    title: 'Paused after repeated failures',
    meaning:
      'adwarden stopped sending this app’s calls for a moment because the last ones all failed transiently (its circuit breaker is open); it probes again shortly.',
    causes: ['A TikTok outage or a network problem affecting every call of the app.'],
    fix: [
      'Nothing to do: adwarden probes TikTok again after a short pause and resumes when a probe succeeds.',
      'If it lasts, check TikTok’s API status page and this machine’s network path.',
    ],
    action: 'backoff',
    retry: NEVER,
    actor: 'nobody',
  },
  ADW_ABORTED: {
    code: 'ADW_ABORTED',
    kind: 'transient',
    title: 'Call cancelled',
    meaning: 'The caller cancelled the call (its AbortSignal fired) before it completed.',
    causes: ['A shutdown, a caller-side deadline, or a user cancelling.'],
    fix: ['Nothing to fix in TikTok; run the call again when it is wanted.'],
    action: 'none',
    retry: NEVER,
    actor: 'nobody',
  },
} as const satisfies Record<string, ResponseProblem>;

/** The codes of `RESPONSE_PROBLEMS`. */
export type AdwardenDiagnosisCode =
  | 'ADW_HTTP_NOT_FOUND'
  | 'ADW_HTTP_SERVER_ERROR'
  | 'ADW_HTTP_RATE_LIMITED'
  | 'ADW_RATE_BUDGET_TIMEOUT'
  | 'ADW_HTTP_CLIENT_ERROR'
  | 'ADW_BODY_NOT_JSON'
  | 'ADW_ENVELOPE_MALFORMED'
  | 'ADW_BODY_TOO_LARGE'
  | 'ADW_NETWORK_TIMEOUT'
  | 'ADW_NETWORK_RESET'
  | 'ADW_NETWORK_REFUSED'
  | 'ADW_CIRCUIT_OPEN'
  | 'ADW_ABORTED'
  | 'ADW_DNS_FAILURE'
  | 'ADW_NETWORK_ERROR';

/** adwarden's own error codes outside diagnoses, with what each means. Listed in docs/errors.md. */
export const ADWARDEN_ERROR_CODES = {
  ADW_CONFIG_INVALID:
    'One or more settings are invalid; every problem is listed with the variable, file key or flag that set it.',
  ADW_CONFIG_FILE_UNREADABLE:
    'The config file named by ADWARDEN_CONFIG or --config could not be read or is not valid JSON.',
  ADW_USAGE: 'The command line is wrong: an unknown command or option, or a missing argument (exit code 2).',
  ADW_EXPLAIN_UNRECOGNIZED:
    '`adwarden explain` could not find a TikTok code, response or known message in its input (exit code 1).',
  ADW_EMULATOR_START:
    '`adwarden emulator` could not listen on the given host and port (in use, or not an address of this machine).',
  ADW_EMULATOR_SEED:
    '`adwarden emulator --seed FILE`: the seed file is unreadable, not JSON, or does not validate; the message names the field (exit code 2).',
  ADW_EMULATOR_SCENARIO:
    '`adwarden emulator --scenario`: no shipped scenario has that name and no such file validates; the message names each bad step (exit code 2).',
  ADW_DATA_DIR_LOCKED:
    'Another live adwarden process holds the data dir (one process per data dir); the message names its command, pid and URL. Management commands talk to it instead.',
  ADW_DATA_DIR_NOT_A_DIR:
    'The data dir is a file, or sits on a path that cannot be created (a missing mount): adwarden refuses to start and changes nothing. Point ADWARDEN_DATA_DIR at a folder.',
  ADW_DATA_DIR_READ_ONLY:
    'The data dir cannot be written (a read-only mount, or permissions): adwarden refuses to start there, and changes nothing. Make it writable or point ADWARDEN_DATA_DIR elsewhere.',
  ADW_PORT_IN_USE:
    'The port adwarden should listen on is taken (another adwarden, or another program). Stop it, or choose another port with --port or ADWARDEN_PORT.',
  ADW_CANNOT_LISTEN:
    'adwarden cannot listen on the host and port it was given: ports below 1024 need privileges, and the host must be an address of this machine. Set ADWARDEN_HOST / ADWARDEN_PORT.',
  ADW_DATA_DIR_FULL:
    'The filesystem of the data dir has less than 32 MB free: an embedded service refuses to start, and a running one answers /readyz with 503 and pauses the monitor until there is room, then carries on. Nothing is written half-way.',
  ADW_SECRET_KEY_REQUIRED:
    'DATABASE_URL is set but ADWARDEN_SECRET_KEY is not: processes sharing a PostgreSQL database must seal with the same key.',
  ADW_KEY_FILE_INVALID:
    'The key file in the data dir cannot be read or parsed; it is never overwritten. Restore it from the backup taken with the data dir.',
  ADW_VAULT_OPEN_FAILED:
    'A sealed value cannot be opened: sealed with a key the key ring lacks, moved to another row or purpose, or altered.',
  ADW_NEEDS_REAUTH:
    'The connection has no usable token: the owner must authorize again through a re-auth link (`adwarden connections reauth-link <id>`).',
  ADW_NOT_FOUND: 'No such app, connection, link or route.',
  ADW_INVALID_INPUT:
    'A request body or command input does not validate; the message lists each field and why.',
  ADW_CONFLICT: 'The request does not fit the current state, e.g. a used or expired re-auth link.',
  ADW_UNAUTHORIZED:
    'The API needs `Authorization: Bearer <key>` with a live API key or the local admin token.',
  ADW_FORBIDDEN:
    'Signed in, but not allowed: the API key lacks the scope the route needs (read, write, admin), or a form came without the session’s CSRF token or from another site.',
  ADW_RATE_LIMITED:
    'Too many failed sign-ins from one address or for one account; wait the minutes it names.',
  ADW_BAD_REQUEST: 'The HTTP request itself is malformed (e.g. a body that is not JSON).',
  ADW_TIKTOK_FAILED:
    'TikTok (or the emulator) refused or failed a call the service made; the diagnosis says why.',
  ADW_NO_CREDENTIALS:
    'A management command has a service URL but no API key: set ADWARDEN_API_KEY, or run it where the data dir holds the admin-token file.',
  ADW_SERVICE_UNREACHABLE:
    'A management command could not reach the service URL, or what answered is not adwarden.',
  ADW_API_ERROR: 'The service answered an error without a code of its own.',
  ADW_UNRECOGNIZED:
    '`classify()` got nothing to go on: no return code, no known message, no HTTP or network facts (kind unknown).',
  ADW_DEADLINE_TIMEOUT:
    "A call's overall deadline passed while it waited for rate budget; diagnosed as ADW_RATE_BUDGET_TIMEOUT (rate limited, never an auth problem).",
  ADW_INTERNAL: 'An unexpected internal error; the log has the details.',
} as const;

/** adwarden's own error code names. */
export type AdwardenErrorCode = keyof typeof ADWARDEN_ERROR_CODES;
