import type { Environment, Tier } from './state.ts';

/** Limits for one window set: queries per second, minute and day. */
export interface Limits {
  qps: number;
  qpm: number;
  qpd: number;
}

/** TikTok's global per-app limits by tier (fact sheet §4). */
export const TIER_LIMITS: Readonly<Record<Exclude<Tier, 'none'>, Limits>> = {
  basic: { qps: 10, qpm: 600, qpd: 864_000 },
  advanced: { qps: 20, qpm: 1_200, qpd: 1_728_000 },
  premium: { qps: 30, qpm: 1_800, qpd: 2_592_000 },
  ultimate: { qps: 50, qpm: 3_000, qpd: 4_320_000 },
};

/** Endpoints with lower limits of their own (Basic figures, any tier here). */
export const ENDPOINT_LIMITS: Readonly<Record<string, Limits>> = {
  '/ad/create/': { qps: 5, qpm: 150, qpd: 86_400 },
  '/report/task/create/': { qps: 2, qpm: 60, qpd: 4_500 },
};

/** Every sandbox endpoint. */
export const SANDBOX_LIMITS: Limits = { qps: 1, qpm: 30, qpd: 1_000 };

/** Per advertiser, per path (40133). */
export const ADVERTISER_PATH_QPS = 20;

const WINDOWS = [
  ['qps', 'QPS', 1_000],
  ['qpm', 'QPM', 60_000],
  ['qpd', 'QPD', 86_400_000],
] as const;

/** The outcome of admitting one request. */
export type Admission = { ok: true } | { ok: false; code: 40100 | 40133; message: string };

/** Fixed-window counters on the emulator clock, the three layers TikTok enforces. */
export function createRateLimiter() {
  const counters = new Map<string, { window: number; count: number }>();

  // Counts the request in every window of `key`; returns the first window whose limit it exceeds.
  function hit(key: string, limits: Limits, now: number) {
    let exceeded: { unit: string; count: number; limit: number } | undefined;
    for (const [field, unit, size] of WINDOWS) {
      const id = `${key}|${unit}`;
      const window = Math.floor(now / size);
      const counter = counters.get(id);
      const count = counter && counter.window === window ? counter.count + 1 : 1;
      counters.set(id, { window, count });
      if (!exceeded && count > limits[field]) exceeded = { unit, count, limit: limits[field] };
    }
    return exceeded;
  }

  return {
    /** Admits or refuses one request for `appId` on `path` (and `advertiserId`, when the call names one). */
    admit(
      request: { appId: string; tier: Tier; environment: Environment; path: string; advertiserId?: string },
      now: number,
    ): Admission {
      if (request.tier === 'none') return { ok: true };
      const app = request.environment === 'sandbox' ? SANDBOX_LIMITS : TIER_LIMITS[request.tier];
      // Sandbox and production are separate platforms: each counts an app's requests on its own.
      const global = hit(`app:${request.appId}:${request.environment}`, app, now);
      if (global) {
        return {
          ok: false,
          code: 40100,
          message: appLimitMessage(request.appId, global),
        };
      }
      const endpoint = request.environment === 'sandbox' ? SANDBOX_LIMITS : ENDPOINT_LIMITS[request.path];
      const perEndpoint = endpoint
        ? hit(`endpoint:${request.appId}:${request.environment}:${request.path}`, endpoint, now)
        : undefined;
      if (perEndpoint) {
        return {
          ok: false,
          code: 40100,
          message: appLimitMessage(request.appId, perEndpoint, request.path),
        };
      }
      if (request.advertiserId) {
        const perAdvertiser = hit(
          `adv:${request.advertiserId}:${request.path}`,
          { qps: ADVERTISER_PATH_QPS, qpm: Number.POSITIVE_INFINITY, qpd: Number.POSITIVE_INFINITY },
          now,
        );
        if (perAdvertiser) {
          return {
            ok: false,
            code: 40133,
            message: `Advertiser (${request.advertiserId})'s QPS (${perAdvertiser.count}) reaches QPS limit ${perAdvertiser.limit} for current path, request is temporarily restricted.`,
          };
        }
      }
      return { ok: true };
    },
    /** Forgets every counter (control API: DELETE /__control/faults does not, a reset does). */
    reset(): void {
      counters.clear();
    },
  };
}

/** The emulator's rate limiter. */
export type RateLimiter = ReturnType<typeof createRateLimiter>;

/**
 * TikTok's wording of an app limit, as recorded in real responses: "App 7659707118749564929 reaches the
 * QPS limit 1, current QPS is 2." An endpoint's own limit names the endpoint.
 */
export function appLimitMessage(
  appId: string,
  exceeded: { unit: string; count: number; limit: number },
  path?: string,
): string {
  const { unit, count, limit } = exceeded;
  return `App ${appId} reaches the ${unit} limit ${limit}${path ? ` for ${path}` : ''}, current ${unit} is ${count}.`;
}
