/** Rate tiers of a TikTok developer app (fact sheet §4); `none` turns pacing off. */
export type RateTier = 'basic' | 'advanced' | 'premium' | 'ultimate' | 'none';

/** One budget: queries per second, minute and day. */
export interface Budget {
  perSecond: number;
  perMinute: number;
  perDay: number;
}

/** Global budget per app, by tier. */
export const APP_BUDGETS: Readonly<Record<Exclude<RateTier, 'none'>, Budget>> = {
  basic: { perSecond: 10, perMinute: 600, perDay: 864_000 },
  advanced: { perSecond: 20, perMinute: 1_200, perDay: 1_728_000 },
  premium: { perSecond: 30, perMinute: 1_800, perDay: 2_592_000 },
  ultimate: { perSecond: 50, perMinute: 3_000, perDay: 4_320_000 },
};

/** Endpoints TikTok limits below the app's tier (Basic figures). */
export const ENDPOINT_BUDGETS: Readonly<Record<string, Budget>> = {
  '/ad/create/': { perSecond: 5, perMinute: 150, perDay: 86_400 },
  '/report/task/create/': { perSecond: 2, perMinute: 60, perDay: 4_500 },
  '/campaign/copy/task/check/': { perSecond: 2, perMinute: 60, perDay: 864_000 },
  '/gmv_max/report/get/': { perSecond: 8, perMinute: 240, perDay: 20_000 },
};

/** Every endpoint of the sandbox. */
export const SANDBOX_BUDGET: Budget = { perSecond: 1, perMinute: 30, perDay: 1_000 };

/** Per advertiser and path (40133 above it). */
export const ADVERTISER_PATH_PER_SECOND = 20;
