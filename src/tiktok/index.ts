import { type ClientCore, createCore, type TikTokClientOptions } from './client.ts';
import type { ClientEvents } from './events.ts';
import { dataMethods } from './methods/data.ts';
import { oauthMethods } from './methods/oauth.ts';
import { subscriptionMethods } from './methods/subscription.ts';

/**
 * A typed, resilient TikTok API for Business client: undici keep-alive pool, envelope decoding into
 * diagnosed errors, retry/poll/pace/breaker driven by the failure catalog, and typed events.
 * @example
 * const tiktok = createTikTokClient({ appId, secret, accessToken, baseUrl: emulator.url });
 * const [account] = await tiktok.getAdvertiserInfo(['7000000000000000001']);
 */
export function createTikTokClient(options: TikTokClientOptions) {
  const core: ClientCore = createCore(options);
  return {
    ...oauthMethods(core, options.now ?? Date.now),
    ...dataMethods(core),
    ...subscriptionMethods(core),
    /** Any other endpoint: `call('GET', '/pixel/list/', { query: { advertiser_id } })` → `data`. */
    call: core.call,
    on: <K extends keyof ClientEvents>(name: K, listener: (event: ClientEvents[K]) => void) =>
      core.events.on(name, listener),
    /** The app's circuit breaker: closed, open or half-open. */
    breakerState: core.breakerState,
    /** Closes the connection pool. */
    close: core.close,
  };
}

/** A client made by `createTikTokClient`. */
export type TikTokClient = ReturnType<typeof createTikTokClient>;
export type { CallOptions, TikTokClientOptions } from './client.ts';
export {
  isTikTokError,
  listIn,
  malformedData,
  stringIn,
  TikTokApiError,
  TikTokError,
  TikTokTransportError,
} from './errors.ts';
export type { BreakerState, ClientEvents } from './events.ts';
export { APP_BUDGETS, type RateTier, SANDBOX_BUDGET } from './limits.ts';
export type { AdvertiserGrant, TtUserTokens } from './methods/oauth.ts';
export type { Subscription } from './methods/subscription.ts';
export type * from './methods/types.ts';
export { type PostgresClient, postgresLimiterFactory } from './postgres-limiter.ts';
export { type AccessTokenProvider, fixedAccessToken, type ParkedCall } from './steps/auth.ts';
export type { LimiterFactory } from './steps/pace.ts';
export { TIKTOK_BASE_URLS } from './transport.ts';
