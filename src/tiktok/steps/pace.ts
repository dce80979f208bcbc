import { setTimeout as sleep } from 'node:timers/promises';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { classify, isRateLimited } from '../../catalog/index.ts';
import type { Call, Step } from '../call.ts';
import { TikTokError, TikTokTransportError } from '../errors.ts';
import { callEvent, type Events } from '../events.ts';
import {
  ADVERTISER_PATH_PER_SECOND,
  APP_BUDGETS,
  type Budget,
  ENDPOINT_BUDGETS,
  type RateTier,
  SANDBOX_BUDGET,
} from '../limits.ts';

/** Makes a limiter: in memory by default, or on a shared store (PostgreSQL) for several processes. */
export type LimiterFactory = (options: {
  keyPrefix: string;
  points: number;
  duration: number;
}) => RateLimiterAbstract;

/** Pacing settings. */
export interface PaceOptions {
  appId: string;
  tier: RateTier;
  environment: 'production' | 'sandbox';
  /** Requests are spaced at this share of the limit, leaving room for clock skew. @default 0.98 */
  headroom?: number;
  limiterFactory?: LimiterFactory;
  now?: () => number;
  /**
   * How many times faster than real time `now` runs (an accelerated emulator clock): the budgets keep
   * their meaning on that clock, so windows and holds shrink by it in real time. @default 1
   */
  clockSpeed?: number;
  events: Events;
}

const memoryFactory: LimiterFactory = (options) => new RateLimiterMemory(options);
const DAY_MS = 86_400_000;
/**
 * After this many rate-limit answers within a minute with no success in between, assume the per-minute
 * limit (a spent minute refuses everything until it rolls over; a per-second limit lets some through).
 */
const MINUTE_SUSPICION = 3;
/** Rate-limit answers for this long without relief mean the daily limit (fact sheet §4). */
const DAY_SUSPICION_MS = 10 * 60_000;

/**
 * Token buckets per app (per second, minute, day), per app+endpoint where TikTok sets a lower limit, and
 * per advertiser+path. Requests are spaced evenly (one every 1/QPS s, or 60/QPM s where the minute is
 * the stricter limit), so no second or minute TikTok counts — aligned or not — sees more than its limit. Adapts to what TikTok answers: a 40100/40133
 * holds the bucket for the next second; repeated ones mean the per-minute limit (5-minute pause); if they
 * persist, the daily limit — calls then fail fast with `retryAt` = next 00:00 UTC instead of sleeping.
 */
export function paceStep(options: PaceOptions): Step {
  if (options.tier === 'none') return (call, next) => next(call);
  const factory = options.limiterFactory ?? memoryFactory;
  const headroom = options.headroom ?? 0.98;
  const now = options.now ?? Date.now;
  const speed = options.clockSpeed ?? 1;
  const tier = options.tier;
  const { app, endpoints, advertiser } = limitersFor({ ...options, tier }, factory, headroom, speed);

  // What TikTok told us: holds per scope (until, on performance.now()), and how long the app has been
  // throttled without relief.
  const holds = new Map<string, { until: number; placedAt: number }>();
  let throttledSince: number | null = null;
  let recentHits: number[] = [];
  let parkedUntil = 0;

  return async (call, next) => {
    if (parkedUntil > now()) throw parkedError(call, parkedUntil, now());
    await waitForHolds(holds, call);
    const endpoint = endpoints.get(call.path);
    if (endpoint) for (const limiter of endpoint) await take(limiter, 'k', call);
    for (const limiter of app) await take(limiter, 'k', call);
    if (call.advertiserId) await take(advertiser, `${call.advertiserId}:${call.path}`, call);
    const sentAt = performance.now();
    try {
      const envelope = await next(call);
      throttledSince = null;
      // Requests get through between the refusals: a per-second limit, not a spent minute.
      recentHits = [];
      return envelope;
    } catch (error) {
      if (error instanceof TikTokError && isRateLimited(error.diagnosis.kind)) adapt(call, error, sentAt);
      throw error;
    }
  };

  function adapt(call: Call, error: TikTokError, sentAt: number): void {
    const at = now();
    const perAdvertiser = error.diagnosis.code === 40133;
    const scope = scopeOf(call, perAdvertiser, endpoints.has(call.path));
    const current = holds.get(scope);
    if (current && sentAt < current.placedAt && current.until > performance.now()) {
      // In flight when the pause for an earlier refusal was placed: the same episode, which that pause
      // already answers. Ten concurrent requests refused in one second are one refusal, not ten.
      error.diagnosis.retryAfterMs = Math.ceil((current.until - performance.now()) * speed);
      return;
    }
    recentHits = [...recentHits.filter((t) => at - t < 60_000), at];
    throttledSince ??= at;
    let window: 'second' | 'minute' | 'day' = error.diagnosis.details.window ?? 'second';
    if (!perAdvertiser && window === 'second' && recentHits.length >= MINUTE_SUSPICION) window = 'minute';
    if (!perAdvertiser && at - throttledSince >= DAY_SUSPICION_MS) window = 'day';
    let waitMs: number;
    if (window === 'day') {
      parkedUntil = Math.floor(at / DAY_MS) * DAY_MS + DAY_MS;
      waitMs = parkedUntil - at;
      error.diagnosis.retryAt = new Date(parkedUntil).toISOString();
    } else {
      waitMs = window === 'minute' ? 300_000 : 1_000 - (at % 1_000);
      holds.set(scope, { until: performance.now() + waitMs / speed, placedAt: performance.now() });
    }
    error.diagnosis.retryAfterMs = waitMs;
    options.events.emit('rateLimited', {
      ...callEvent(call),
      code: error.diagnosis.code,
      scope: perAdvertiser ? 'advertiser' : scope === 'app' ? 'app' : 'endpoint',
      window,
      waitMs,
      retryAt: error.diagnosis.retryAt,
    });
  }
}

/** The error for a call whose deadline passes while it waits for budget. */
export function deadlineError(call: Call): TikTokTransportError {
  const diagnosis = classify(
    { transport: { code: 'ADW_DEADLINE_TIMEOUT' } },
    { endpoint: call.path, advertiserId: call.advertiserId },
  );
  return new TikTokTransportError(
    diagnosis,
    { method: call.method, endpoint: call.path, advertiserId: call.advertiserId },
    call.attempt - 1,
  );
}

/**
 * The app's buckets (per day, minute, second), those of endpoints TikTok limits lower, and the
 * per-advertiser+path one. The per-second slot is taken last, right before the request leaves: with a
 * shared store, each take is a round trip, and one made after the slot would push the request late into
 * the next one's.
 */
function limitersFor(
  options: PaceOptions & { tier: Exclude<PaceOptions['tier'], 'none'> },
  factory: LimiterFactory,
  headroom: number,
  speed: number,
) {
  // TikTok counts an app's sandbox and production calls apart: so do the budgets (a shared store would
  // otherwise mix the sandbox's 1 QPS with production's limits under one key).
  const prefix = `adw:${options.appId}:${options.environment}`;
  const budgetLimiters = (name: string, budget: Budget) => [
    factory({ keyPrefix: `${prefix}:${name}:d`, points: budget.perDay, duration: 86_400 / speed }),
    factory({ keyPrefix: `${prefix}:${name}:m`, points: budget.perMinute, duration: 60 / speed }),
    // Spaced at the stricter of the per-second and per-minute rates: the sandbox's 30 QPM (or an
    // endpoint's) with 1 QPS would otherwise let 30 calls through in the first half of a minute, and a
    // minute TikTok counts across two of ours could see up to twice its limit.
    factory({
      keyPrefix: `${prefix}:${name}:s`,
      points: 1,
      duration: 1 / (Math.min(budget.perSecond, budget.perMinute / 60) * headroom * speed),
    }),
  ];
  const appBudget = options.environment === 'sandbox' ? SANDBOX_BUDGET : APP_BUDGETS[options.tier];
  const app = budgetLimiters('app', appBudget);
  const endpoints = new Map(
    Object.entries(ENDPOINT_BUDGETS).map(([path, budget]) => [path, budgetLimiters(path, budget)]),
  );
  const advertiser = factory({
    keyPrefix: `${prefix}:adv`,
    points: 1,
    duration: 1 / (ADVERTISER_PATH_PER_SECOND * headroom * speed),
  });
  return { app, endpoints, advertiser };
}

async function take(limiter: RateLimiterAbstract, key: string, call: Call): Promise<void> {
  for (;;) {
    try {
      await limiter.consume(key);
      return;
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      await wait(rejection.msBeforeNext, call);
    }
  }
}

async function wait(ms: number, call: Call): Promise<void> {
  if (performance.now() + ms > call.deadline) throw deadlineError(call);
  await sleep(Math.max(1, ms), undefined, { signal: call.signal });
}

/** The error for a call made while the app is parked for its daily limit. */
function parkedError(call: Call, until: number, at: number) {
  const diagnosis = classify(
    { code: 40100, message: 'QPD limit reached (parked by adwarden until 00:00 UTC)' },
    {
      now: at,
      endpoint: call.path,
      advertiserId: call.advertiserId,
    },
  );
  diagnosis.details.window = 'day';
  diagnosis.retryAt = new Date(until).toISOString();
  diagnosis.retryAfterMs = until - at;
  return new TikTokTransportError(
    diagnosis,
    { method: call.method, endpoint: call.path, advertiserId: call.advertiserId },
    call.attempt - 1,
  );
}

/** The limit a refusal is about: the advertiser on this path (40133), the endpoint's own, or the app's. */
function scopeOf(call: Call, perAdvertiser: boolean, endpointLimited: boolean): string {
  if (perAdvertiser) return `adv:${call.advertiserId}:${call.path}`;
  return endpointLimited ? `path:${call.path}` : 'app';
}

/** Waits out every pause placed on the call's scopes; one longer than the call may wait fails it at once. */
async function waitForHolds(holds: Map<string, { until: number }>, call: Call): Promise<void> {
  for (const scope of ['app', `path:${call.path}`, `adv:${call.advertiserId}:${call.path}`]) {
    const hold = holds.get(scope);
    const left = hold === undefined ? 0 : hold.until - performance.now();
    // A pause longer than the call may wait fails it as ADW_RATE_BUDGET_TIMEOUT (rate limited).
    if (left > 0) await wait(left, call);
  }
}
