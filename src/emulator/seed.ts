import { createIdFactory, randomToken } from './ids.ts';
import { issueTtUserToken } from './routes/tt-user.ts';
import { seedCampaigns } from './seed-ads.ts';
import { runsGmvMax, runsSmartPlus, seedGmvMax, seedSmartPlus } from './seed-families.ts';
import { type EmulatedAdvertiser, type EmulatorState, issueAdvertiserToken, type Tier } from './state.ts';

const BRANDS = [
  'Northwind Outdoor',
  'Bluebird Coffee',
  'Lumen Skincare',
  'Pixel Forge Games',
  'Harbor Fitness',
  'Maple & Moss Home',
  'Nova Mobile',
  'Cedar Pet Supply',
  'Orbit Travel',
  'Sunny Side Snacks',
  'Atlas Footwear',
  'Velvet Beauty',
  'Copper Kettle Kitchen',
  'Tidewater Apparel',
  'Brightpath Learning',
  'Summit Audio',
  'Meadow Organics',
  'Quartz Jewelry',
  'Trailhead Bikes',
  'Fable Books',
  'Ember Candles',
  'Glacier Water Co',
  'Riverstone Realty',
  'Kite Finance',
  'Zephyr Fans',
];
const MARKETS = [
  ['USD', 'America/New_York'],
  ['USD', 'America/Los_Angeles'],
  ['GBP', 'Europe/London'],
  ['EUR', 'Europe/Berlin'],
  ['JPY', 'Asia/Tokyo'],
] as const;

/** The built-in seeds. */
export type SeedName = 'demo' | 'empty';

/**
 * Fills `state` with the demo world: a production app and a sandbox app, five authorizations over
 * 25 advertisers in two Business Centers, each with campaigns, ad groups, ads and videos.
 * Deterministic ids and names; tokens and secrets are random so a leaked one works nowhere else
 * (read them from GET /__control/state).
 */
export function seedDemo(state: EmulatorState, options: { now: number; tier: Tier }): void {
  const ids = createIdFactory('adwarden-demo');
  const production = {
    appId: ids.next('71'),
    secret: randomToken(20),
    name: 'Acme Agency Monitor',
    environment: 'production' as const,
  };
  const sandbox = {
    appId: ids.next('72'),
    secret: randomToken(20),
    name: 'Acme Agency Sandbox',
    environment: 'sandbox' as const,
  };
  for (const app of [production, sandbox]) {
    state.apps.set(app.appId, {
      ...app,
      tier: options.tier,
      redirectUris: [
        'http://127.0.0.1:7420/oauth/tiktok/callback',
        'http://localhost:7420/oauth/tiktok/callback',
      ],
    });
  }
  const centers = ['Acme Agency Business Center', 'Acme EMEA Business Center'].map((name, index) => ({
    bcId: ids.next('69'),
    name,
    company: index === 0 ? 'Acme Agency Inc' : 'Acme Agency EMEA Ltd',
    currency: index === 0 ? 'USD' : 'EUR',
    timezone: index === 0 ? 'America/New_York' : 'Europe/Berlin',
    createTime: options.now - (900 - index * 200) * 86_400_000,
  }));
  for (const center of centers) state.businessCenters.set(center.bcId, center);
  const advertisers: EmulatedAdvertiser[] = BRANDS.map((name, index) => {
    const [currency, timezone] = MARKETS[index % MARKETS.length]!;
    return {
      advertiserId: ids.next('7'),
      name,
      appIds: [index >= 22 ? sandbox.appId : production.appId],
      status: 'STATUS_ENABLE',
      currency,
      timezone,
      company: `${name} Ltd`,
      balance: 500 + ((index * 7919) % 9500),
      ownerBcId: index % 3 === 0 ? null : centers[index % 2]!.bcId,
      role: 'ROLE_ADVERTISER',
      createTime: options.now - (400 + index * 13) * 86_400_000,
      deleted: false,
    };
  });
  for (const advertiser of advertisers) {
    state.advertisers.set(advertiser.advertiserId, advertiser);
    seedCampaigns(state, advertiser, ids, options.now);
  }
  // Smart+ and GMV Max after every classic campaign, so the classic ids stay what they were.
  advertisers.forEach((advertiser, index) => {
    if (runsSmartPlus(index)) seedSmartPlus(state, advertiser, ids, options.now);
    if (runsGmvMax(index)) seedGmvMax(state, advertiser, ids, options.now);
  });
  // Five authorizations: four on the production app (5-6 advertisers each), one on the sandbox app.
  const groups = [
    advertisers.slice(0, 6),
    advertisers.slice(6, 11),
    advertisers.slice(11, 17),
    advertisers.slice(17, 22),
    advertisers.slice(22),
  ];
  groups.forEach((group, index) => {
    const app = index === 4 ? sandbox : production;
    issueAdvertiserToken(state, {
      app,
      advertiserIds: group.map((a) => a.advertiserId),
      accessToken: randomToken(20),
      now: options.now - (30 + index) * 86_400_000,
    });
  });
  // A TikTok account holder's token (24 h access, 365 d refresh), issued an hour ago.
  issueTtUserToken(state, production, options.now - 3_600_000);
}
