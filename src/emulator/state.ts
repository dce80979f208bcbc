import type {
  EmulatedAd,
  EmulatedAdGroup,
  EmulatedBusinessCenter,
  EmulatedCampaign,
  EmulatedImage,
  EmulatedVideo,
  VideoProcessing,
} from './ads-model.ts';
import type { EmulatedSubscription, PushAttempt, PushBehaviour, PushEvent } from './push.ts';

/** Production and sandbox are separate worlds: a token from one is unknown (40105) in the other. */
export type Environment = 'production' | 'sandbox';

/** TikTok's rate tiers, plus `none` to switch limits off (benchmarks). */
export type Tier = 'basic' | 'advanced' | 'premium' | 'ultimate' | 'none';

export interface EmulatedApp {
  appId: string;
  secret: string;
  name: string;
  environment: Environment;
  tier: Tier;
  redirectUris: string[];
}

export interface EmulatedAdvertiser {
  advertiserId: string;
  name: string;
  /** Apps whose consent page lists this advertiser (the person can grant it to them). */
  appIds: string[];
  status: string;
  currency: string;
  timezone: string;
  company: string;
  balance: number;
  ownerBcId: string | null;
  role: string;
  createTime: number;
  deleted: boolean;
}

export interface EmulatedToken {
  accessToken: string;
  appId: string;
  environment: Environment;
  regime: 'advertiser' | 'tt_user';
  advertiserIds: string[];
  scope: number[];
  status: 'active' | 'revoked' | 'expired';
  revokedBy?: 'user' | 'bc_admin' | 'app';
  issuedAt: number;
  /** tt_user only. */
  expiresAt?: number;
  refreshToken?: string;
  refreshExpiresAt?: number;
  openId?: string;
  /** "app_id is inconsistent with the token" is answered while this is set. */
  appMismatch?: boolean;
  /** The person who authorized (what /user/info/ describes). */
  authorizer: Authorizer;
}

/** The person behind a token. */
export interface Authorizer {
  coreUserId: string;
  displayName: string;
  email: string;
}

const PEOPLE = ['Dana Whitfield', 'Sam Okafor', 'Priya Raman', 'Lena Kovacs', 'Marco Silva', 'Yuki Tanaka'];

/** A stable, made-up person for a token (TikTok masks the email address the same way). */
export function authorizerFor(seed: string): Authorizer {
  let hash = 0;
  for (const char of seed) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  const displayName = PEOPLE[hash % PEOPLE.length]!;
  const first = displayName.split(' ')[0]!.toLowerCase();
  return {
    coreUserId: `68${String(hash).padStart(17, '0')}`.slice(0, 19),
    displayName,
    email: `${first[0]}***${first.at(-1)}@example.com`,
  };
}

export interface AuthorizationCode {
  code: string;
  appId: string;
  environment: Environment;
  advertiserIds: string[];
  redirectUri: string;
  issuedAt: number;
  used: boolean;
  regime: 'advertiser' | 'tt_user';
}

/** Everything the emulator knows. Plain data; routes and the control API mutate it. */
export interface EmulatorState {
  apps: Map<string, EmulatedApp>;
  advertisers: Map<string, EmulatedAdvertiser>;
  tokens: Map<string, EmulatedToken>;
  authCodes: Map<string, AuthorizationCode>;
  /** `${advertiserId} ${PATH}:${METHOD}` pairs the advertiser no longer grants. */
  withdrawnPermissions: Set<string>;
  campaigns: Map<string, EmulatedCampaign>;
  adGroups: Map<string, EmulatedAdGroup>;
  ads: Map<string, EmulatedAd>;
  videos: Map<string, EmulatedVideo>;
  images: Map<string, EmulatedImage>;
  /** Spend multiplied by `factor` from `from` (emulator ms) on (stopDelivery 0, spendSpike n, restore 1). */
  spendChanges: Array<{ advertiserId: string; from: number; factor: number }>;
  businessCenters: Map<string, EmulatedBusinessCenter>;
  videoProcessing: VideoProcessing;
  /** Subscription API: what apps subscribed to, events waiting for delivery, how deliveries behave. */
  subscriptions: Map<string, EmulatedSubscription>;
  pushEvents: PushEvent[];
  push: PushBehaviour;
  pushLog: PushAttempt[];
  /** TikTok's own incidents, as its status page and RSS feed list them. */
  statusIncidents: Map<string, StatusIncident>;
}

/** An incident on TikTok's API status page. */
export interface StatusIncident {
  id: string;
  title: string;
  level: 'LOW_DISRUPTION' | 'MAJOR_DISRUPTION';
  state: 'open' | 'resolved';
  startedAt: number;
  updatedAt: number;
}

/** An empty world. */
export function createState(): EmulatorState {
  return {
    apps: new Map(),
    advertisers: new Map(),
    tokens: new Map(),
    authCodes: new Map(),
    withdrawnPermissions: new Set(),
    campaigns: new Map(),
    adGroups: new Map(),
    ads: new Map(),
    videos: new Map(),
    images: new Map(),
    spendChanges: [],
    businessCenters: new Map(),
    videoProcessing: { delayMs: 20_000, fail: false },
    subscriptions: new Map(),
    pushEvents: [],
    push: { lose: false, duplicate: false },
    pushLog: [],
    statusIncidents: new Map(),
  };
}

/** The scope TikTok grants in the emulator: numeric permission ids, as TikTok returns them. */
export const DEFAULT_SCOPE: readonly number[] = [4, 10, 200, 700, 800, 802];

/** Issues a long-lived advertiser (Marketing API) token for `app` covering `advertiserIds`. */
export function issueAdvertiserToken(
  state: EmulatorState,
  input: {
    app: Pick<EmulatedApp, 'appId' | 'environment'>;
    advertiserIds: string[];
    accessToken: string;
    now: number;
    authorizer?: Authorizer;
  },
): EmulatedToken {
  const token: EmulatedToken = {
    accessToken: input.accessToken,
    appId: input.app.appId,
    environment: input.app.environment,
    regime: 'advertiser',
    advertiserIds: [...input.advertiserIds],
    scope: [...DEFAULT_SCOPE],
    status: 'active',
    issuedAt: input.now,
    authorizer: input.authorizer ?? authorizerFor(input.accessToken),
  };
  state.tokens.set(token.accessToken, token);
  return token;
}

/** The advertisers a token can still reach: granted, not deleted. */
export function reachableAdvertisers(state: EmulatorState, token: EmulatedToken): EmulatedAdvertiser[] {
  return token.advertiserIds
    .map((id) => state.advertisers.get(id))
    .filter((a): a is EmulatedAdvertiser => !!a && !a.deleted);
}
