import type { FormData } from 'undici';
import { Secret } from '../vault/index.ts';
import { type Call, compose, type Envelope, type ParamValue } from './call.ts';
import type { TikTokError } from './errors.ts';
import { createEvents } from './events.ts';
import type { RateTier } from './limits.ts';
import { type AccessTokenProvider, authStep, fixedAccessToken, type ParkedCall } from './steps/auth.ts';
import { breakerStep } from './steps/breaker.ts';
import { type LimiterFactory, paceStep } from './steps/pace.ts';
import { retryStep } from './steps/retry.ts';
import { telemetryStep } from './steps/telemetry.ts';
import { createTransport, TIKTOK_BASE_URLS } from './transport.ts';

/** Options of `createTikTokClient`. */
export interface TikTokClientOptions {
  /** The developer app (needed for OAuth calls and for pacing by app). */
  appId?: string;
  secret?: string | Secret;
  /** @default 'production' */
  environment?: 'production' | 'sandbox';
  /** Any API base including `/open_api/v1.3` (the emulator's `url`); default: TikTok's for the environment. */
  baseUrl?: string;
  /** A fixed access token; or give `tokenProvider`. */
  accessToken?: string | Secret;
  tokenProvider?: AccessTokenProvider;
  /** The app's rate tier; `none` turns pacing off. @default 'basic' */
  tier?: RateTier;
  /** Shared limiter store (e.g. PostgreSQL) so several processes keep to one budget. */
  limiterFactory?: LimiterFactory;
  /** Per-request timeout (headers, and between body chunks). @default 30000 */
  timeoutMs?: number;
  /** Overall deadline per logical call, retries and waits included. @default 120000 */
  callDeadlineMs?: number;
  /** Keep-alive connections. @default 50 */
  connections?: number;
  retry?: {
    maxAttempts?: number;
    maxRateLimitedAttempts?: number;
    random?: () => number;
    delayScale?: number;
  };
  /** Responses larger than this fail with ADW_BODY_TOO_LARGE. @default 32 MiB */
  maxBodyBytes?: number;
  breaker?: { threshold?: number; halfOpenAfterMs?: number };
  /** Called with a call that failed for an auth reason, so a service can replay it after re-auth. */
  parkFailedCall?: (call: ParkedCall, error: TikTokError) => void;
  /** Clock (epoch ms). @default Date.now */
  now?: () => number;
  /**
   * How many times faster than real time `now` runs (an accelerated emulator, as in `adwarden demo`):
   * rate windows, TikTok's pauses and retry waits keep their meaning on that clock. @default 1
   */
  clockSpeed?: number;
}

/** Per-call options of `call()`. */
export interface CallOptions {
  query?: Record<string, ParamValue>;
  body?: Record<string, unknown> | FormData;
  advertiserId?: string;
  /** For writes: safe to send again after a transient failure (idempotent). Reads are always. */
  replaySafe?: boolean;
  /** Overrides the provider's token for this call. */
  accessToken?: string | Secret;
  /** OAuth calls carry app credentials instead of a token. */
  auth?: 'token' | 'none';
  signal?: AbortSignal;
  deadlineMs?: number;
  /** Caps attempts for transient failures below the catalog's (a caller that retries later itself). */
  maxAttempts?: number;
  /** Told the `request_id` of the answer (TikTok's begin with its UTC time: `20260114093000…`). */
  onRequestId?: (requestId: string) => void;
}

/** The pipeline and transport under the typed methods. */
export function createCore(options: TikTokClientOptions) {
  const events = createEvents();
  const now = options.now ?? Date.now;
  const environment = options.environment ?? 'production';
  const transport = createTransport({
    baseUrl: options.baseUrl ?? TIKTOK_BASE_URLS[environment],
    timeoutMs: options.timeoutMs,
    connections: options.connections,
    maxBodyBytes: options.maxBodyBytes,
    now,
  });
  const appId = options.appId ?? 'unknown-app';
  const provider = tokenProviderOf(options);
  const breaker = breakerStep({ appId, events, now, ...options.breaker });
  const pipeline = compose(
    [
      telemetryStep(events),
      retryStep({
        events,
        now,
        ...options.retry,
        delayScale: options.retry?.delayScale ?? 1 / (options.clockSpeed ?? 1),
      }),
      breaker,
      paceStep({
        appId,
        tier: options.tier ?? 'basic',
        environment,
        limiterFactory: options.limiterFactory,
        events,
        now,
        clockSpeed: options.clockSpeed,
      }),
      authStep({ provider, events, parkFailedCall: options.parkFailedCall }),
    ],
    transport.send,
  );
  const deadlineMs = options.callDeadlineMs ?? 120_000;

  async function call<T = unknown>(method: 'GET' | 'POST', path: string, opts: CallOptions = {}): Promise<T> {
    if (!/^\/.*\/$/.test(path))
      throw new TypeError(`path must start and end with "/" (TikTok needs the trailing slash): ${path}`);
    const request = callOf(method, path, opts, (opts.deadlineMs ?? deadlineMs) / (options.clockSpeed ?? 1));
    const envelope = (await pipeline(request)) as Envelope<T>;
    if (opts.onRequestId && typeof envelope.request_id === 'string') opts.onRequestId(envelope.request_id);
    return envelope.data;
  }

  return {
    call,
    events,
    appId,
    secret: () => {
      const secret = options.secret;
      if (secret === undefined)
        throw new Error('this call needs the app secret: pass secret to createTikTokClient');
      return secret instanceof Secret ? secret.reveal() : secret;
    },
    breakerState: () => breaker.state(),
    close: () => transport.close(),
  };
}

/** The core the typed methods build on. */
export type ClientCore = ReturnType<typeof createCore>;

/** Where the client's token comes from: a provider, a fixed token, or nowhere (calls then say so). */
function tokenProviderOf(options: TikTokClientOptions) {
  if (options.tokenProvider) return options.tokenProvider;
  if (options.accessToken !== undefined) return fixedAccessToken(options.accessToken);
  return {
    getAccessToken: () => Promise.reject(new Error('no access token: pass accessToken or tokenProvider')),
  };
}

/**
 * One call as the pipeline carries it. Deadlines are durations on a monotonic clock, so a wall-clock
 * jump neither expires nor extends them; they are the caller's time, so they shrink with an accelerated
 * clock as its waits do (`deadlineMs` comes scaled).
 */
function callOf(method: 'GET' | 'POST', path: string, opts: CallOptions, deadlineMs: number): Call {
  const token = opts.accessToken;
  return {
    method,
    path,
    query: opts.query,
    body: opts.body as Call['body'],
    advertiserId: opts.advertiserId,
    replaySafe: method === 'GET' || opts.replaySafe === true,
    auth: opts.auth ?? 'token',
    accessToken: token === undefined ? undefined : token instanceof Secret ? token.reveal() : token,
    signal: opts.signal,
    maxAttempts: opts.maxAttempts,
    deadline: performance.now() + deadlineMs,
    attempt: 1,
    startedAt: performance.now(),
  };
}
