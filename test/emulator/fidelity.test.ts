// The emulator answers as TikTok does (fact sheet §10: recorded wordings and shapes), and the client
// reads those answers right: each message and shape below, over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classify } from '../../src/catalog/index.ts';
import { createTikTokClient, type TikTokClient } from '../../src/tiktok/index.ts';
import { failure } from '../tiktok/helpers.ts';
import { type Json, list, object, startEmulator } from './helpers.ts';

let t: Awaited<ReturnType<typeof startEmulator>>;
let client: TikTokClient;
let advertiserId: string;

beforeAll(async () => {
  t = await startEmulator();
  advertiserId = t.productionToken.advertiser_ids[0]!;
  client = createTikTokClient({
    appId: t.production.app_id,
    secret: t.production.secret,
    accessToken: t.productionToken.access_token,
    baseUrl: t.emulator.url,
    tier: 'none',
    retry: { maxAttempts: 1, random: () => 0.5, delayScale: 0.01 },
  });
});
afterAll(async () => {
  await client.close();
  await t.emulator.close();
});

const collect = async <T>(rows: AsyncIterable<T>): Promise<T[]> => {
  const all: T[] = [];
  for await (const row of rows) all.push(row);
  return all;
};
const fault = (f: Record<string, unknown>) => t.emulator.control.fault(f as never);

describe("TikTok's wordings", () => {
  it.each([
    ['QPS', 'second', 10],
    ['QPM', 'minute', 600],
    ['QPD', 'day', 864_000],
  ] as const)(
    'an app %s limit reads "App <id> reaches the %s limit…" and the client reads its window',
    async (unit, window, limit) => {
      await fault({ type: 'throttle', code: 40100, unit, times: 1, appIds: [t.production.app_id] });
      const { body } = await t.get(
        `/advertiser/info/?advertiser_ids=${list([advertiserId])}`,
        t.productionToken.access_token,
      );
      expect(body.message).toBe(
        `App ${t.production.app_id} reaches the ${unit} limit ${limit}, current ${unit} is ${limit + 1}.`,
      );
      expect(classify(body).details).toMatchObject({
        window,
        limit,
        currentRate: limit + 1,
        appId: t.production.app_id,
      });
      await t.emulator.control.clearFaults();
    },
  );

  it('scopes a fault to one app: the other app is not touched', async () => {
    await fault({ type: 'throttle', code: 40100, unit: 'QPD', appIds: [t.production.app_id] });
    const sandboxToken = t.world.tokens.find((k) => k.environment === 'sandbox' && k.status === 'active')!;
    const other = await t.get('/user/info/', sandboxToken.access_token, t.emulator.sandboxUrl);
    expect(other.body.code).toBe(0);
    const limited = await t.get('/user/info/', t.productionToken.access_token);
    expect(limited.body.code).toBe(40100);
    await t.emulator.control.clearFaults();
  });

  it("a spent daily quota parks the app's calls until 00:00 UTC", async () => {
    await fault({ type: 'throttle', code: 40100, unit: 'QPD', appIds: [t.production.app_id] });
    const paced = createTikTokClient({
      appId: t.production.app_id,
      accessToken: t.productionToken.access_token,
      baseUrl: t.emulator.url,
      tier: 'basic',
      retry: { maxAttempts: 1 },
    });
    try {
      const error = await failure(paced.getUserInfo());
      expect(error.diagnosis).toMatchObject({ kind: 'rate_limited', details: { window: 'day' } });
      expect(error.diagnosis.retryAt).toMatch(/T00:00:00\.000Z$/);
    } finally {
      await paced.close();
      await t.emulator.control.clearFaults();
    }
  });

  it("a permission the app's scopes lack reads as the app's, not the advertiser's", async () => {
    await fault({
      type: 'withdrawPermission',
      path: '/campaign/get/',
      by: 'app',
      appId: t.production.app_id,
    });
    const error = await failure(client.campaigns(advertiserId).next());
    expect(error.diagnosis.message).toBe(
      "Permission error: The access token lacks the required scope for endpoint '/campaign/get/(method=GET)'. Please first check if the request method is correct then ask the user to generate a new access token and reauthorize your API App with the necessary API scopes.",
    );
    expect(error.diagnosis).toMatchObject({ kind: 'permission_denied', actor: 'developer' });
    expect(error.diagnosis.details).toMatchObject({
      reason: 'app_scope_missing',
      endpoint: '/campaign/get/',
    });
    await t.emulator.control.clearFaults();
  });

  it('a permission the advertiser does not grant reads as the grant', async () => {
    await fault({ type: 'withdrawPermission', path: '/campaign/get/', advertiserId });
    const error = await failure(client.campaigns(advertiserId).next());
    expect(error.diagnosis.message).toBe('advertiser does not grant you /campaign/get/:GET permission');
    expect(error.diagnosis.details.reason).toBe('scope_not_granted');
    await t.emulator.control.clearFaults();
  });

  it.each([41000, -1])('a region block (%i) is blocked, never retried', async (code) => {
    await fault({ type: 'regionBlock', code });
    await t.emulator.control.clearRequests();
    const retrying = createTikTokClient({
      appId: t.production.app_id,
      accessToken: t.productionToken.access_token,
      baseUrl: t.emulator.url,
      tier: 'none',
      retry: { random: () => 0.5, delayScale: 0.01 },
    });
    try {
      const error = await failure(retrying.getUserInfo());
      expect(error.diagnosis).toMatchObject({ code, kind: 'blocked', retryable: false });
      expect(error.diagnosis.message).toBe('Client IP address is in banned Country list.');
      expect(await t.emulator.control.requests()).toHaveLength(1);
    } finally {
      await retrying.close();
      await t.emulator.control.clearFaults();
    }
  });

  it('a daily report over more than 30 days says "max time span" and reads as a window to split', async () => {
    const error = await failure(
      client
        .report({
          advertiser_id: advertiserId,
          data_level: 'AUCTION_ADVERTISER',
          dimensions: ['advertiser_id', 'stat_time_day'],
          metrics: ['spend'],
          start_date: '2026-01-01',
          end_date: '2026-03-01',
        })
        .next(),
    );
    expect(error.diagnosis.message).toBe('max time span is 30 days when use stat_time_day');
    expect(error.diagnosis).toMatchObject({ code: 40002, action: 'split_request' });
  });

  it('an upload named like one already in the library is "Duplicated material name."', async () => {
    const input = { advertiserId, url: 'https://cdn.example.com/clip.mp4', fileName: 'twice.mp4' };
    await client.uploadVideo(input);
    const error = await failure(client.uploadVideo(input));
    expect(error).toMatchObject({ code: 40911 });
    expect(error.diagnosis.message).toBe('Duplicated material name.');
  });
});

describe("TikTok's shapes", () => {
  it('request ids are 34 characters: a UTC time stamp and 20 hex digits', async () => {
    const { body } = await t.get('/user/info/', t.productionToken.access_token);
    expect(body.request_id).toMatch(/^\d{14}[0-9A-F]{20}$/);
  });

  it('advertisers carry the fields real /advertiser/info/ answers carry', async () => {
    const fields = [
      'country',
      'industry',
      'display_timezone',
      'contacter',
      'email',
      'telephone_number',
      'address',
      'language',
      'license_no',
      'brand',
      'owner_bc_id',
      'advertiser_account_type',
      'rejection_reason',
      'create_time',
    ];
    const [account] = await client.getAdvertiserInfo([advertiserId], { fields: ['name', ...fields] });
    for (const field of fields) expect(account).toHaveProperty(field);
    expect(typeof account!.advertiser_id).toBe('string');
  });

  it('campaigns, ad groups and ads carry their real fields, ids as strings, budgets never negative', async () => {
    const campaigns = [];
    for await (const c of client.campaigns(advertiserId)) campaigns.push(c);
    expect(campaigns[0]).toMatchObject({ campaign_type: 'REGULAR_CAMPAIGN', is_new_structure: true });
    for (const field of ['objective', 'objective_type', 'budget_mode', 'budget', 'roas_bid', 'deep_bid_type'])
      expect(campaigns[0]).toHaveProperty(field);
    const [group] = await collect(client.adGroups(advertiserId));
    for (const field of [
      'bid_type',
      'billing_event',
      'pacing',
      'schedule_type',
      'location_ids',
      'optimization_goal',
    ])
      expect(group).toHaveProperty(field);
    const [ad] = await collect(client.ads(advertiserId));
    for (const field of ['identity_type', 'image_ids', 'display_name', 'ad_format', 'ad_text'])
      expect(ad).toHaveProperty(field);
    expect(typeof ad!.ad_id).toBe('string');
    expect(typeof ad!.campaign_id).toBe('string');

    const state = await t.emulator.control.state();
    const budgets: number[] = [];
    for (const a of state.advertisers.slice(0, 25)) {
      const token = state.tokens.find(
        (k) => k.advertiser_ids.includes(a.advertiser_id) && k.status === 'active',
      );
      if (token?.environment !== 'production') continue;
      const { body } = await t.get(`/campaign/get/?advertiser_id=${a.advertiser_id}`, token.access_token);
      budgets.push(...(body.data.list as Json[]).map((c) => c.budget as number));
    }
    expect(budgets.length).toBeGreaterThan(20);
    expect(budgets.filter((b) => b < 0)).toEqual([]);
  });

  it('Business Centers carry ext_user_role, binding_status and bc_info.registered_area, no create_time', async () => {
    const [found] = await collect(client.businessCenters());
    const bc = found!;
    expect(found).toBeDefined();
    expect(bc).toHaveProperty('ext_user_role');
    expect(bc).toHaveProperty('binding_status');
    expect(bc.bc_info).toHaveProperty('registered_area');
    expect(bc.bc_info).not.toHaveProperty('create_time');
  });

  it('an upload by URL answers only the new video id; its details come from /file/video/ad/info/', async () => {
    const response = await fetch(`${t.emulator.url}/file/video/ad/upload/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'Access-Token': t.productionToken.access_token },
      body: JSON.stringify({
        advertiser_id: advertiserId,
        upload_type: 'UPLOAD_BY_URL',
        video_url: 'https://cdn.example.com/by-url.mp4',
      }),
    });
    const body = (await response.json()) as Json;
    expect(body.data).toEqual([{ video_id: expect.any(String) }]);
  });

  it('/file/image/ad/upload/ and /file/video/ad/search/ exist', async () => {
    const image = await t.post(
      '/file/image/ad/upload/',
      {
        advertiser_id: advertiserId,
        upload_type: 'UPLOAD_BY_URL',
        image_url: 'https://cdn.example.com/a.png',
      },
      t.productionToken.access_token,
    );
    expect(image.body.code).toBe(0);
    expect(image.body.data).toMatchObject({
      image_id: expect.any(String),
      format: 'png',
      file_name: 'a.png',
    });
    const search = await t.get(
      `/file/video/ad/search/?advertiser_id=${advertiserId}&filtering=${object({})}`,
      t.productionToken.access_token,
    );
    expect(search.body.code).toBe(0);
    expect(search.body.data).toHaveProperty('page_info');
    expect(Array.isArray(search.body.data.list)).toBe(true);
  });

  it('reports accept the attribute metrics TikTok accepts (campaign_name, adgroup_name, ad_name, ad_text)', async () => {
    const rows = await collect(
      client.report({
        advertiser_id: advertiserId,
        data_level: 'AUCTION_AD',
        dimensions: ['ad_id'],
        metrics: ['spend', 'campaign_name', 'adgroup_name', 'ad_name', 'ad_text'],
        query_lifetime: true,
      }),
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const name of ['campaign_name', 'adgroup_name', 'ad_name', 'ad_text'])
      expect(typeof rows[0]!.metrics[name]).toBe('string');
  });
});

describe("TikTok's account consent (tt_user)", () => {
  it('serves /v2/auth/authorize/ and redirects back with a code the app can exchange', async () => {
    const redirect = 'https://adwarden.example/oauth/tiktok/callback';
    await t.emulator.control.allowRedirectUri(t.production.app_id, redirect);
    const page = await fetch(
      `${t.emulator.origin}/v2/auth/authorize/?client_key=${t.production.app_id}&scope=user.info.basic&response_type=code&redirect_uri=${encodeURIComponent(redirect)}&state=s1`,
    );
    expect(await page.text()).toContain('wants to access your TikTok account');
    const answer = await fetch(`${t.emulator.origin}/v2/auth/authorize/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_key: t.production.app_id,
        redirect_uri: redirect,
        state: 's1',
        decision: 'authorize',
      }),
      redirect: 'manual',
    });
    const location = new URL(answer.headers.get('location')!);
    expect(location.searchParams.get('state')).toBe('s1');
    const tokens = await client.exchangeTtUserCode(location.searchParams.get('code')!, redirect);
    expect(tokens.openId).toEqual(expect.any(String));
  });
});
