import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Json, list, startEmulator } from './helpers.ts';

let t: Awaited<ReturnType<typeof startEmulator>>;

beforeAll(async () => {
  t = await startEmulator();
});
afterEach(() => t.emulator.control.clearFaults());
afterAll(() => t.emulator.close());

const fresh = () => t.emulator.control.issueToken(t.production.app_id);
const infoPath = (id: string) => `/advertiser/info/?advertiser_ids=${list([id])}`;

describe('emulator: request faults', () => {
  it('resets the connection', async () => {
    const { access_token, advertiser_ids } = await fresh();
    await t.emulator.control.fault({ type: 'connectionReset' });
    await expect(t.get(infoPath(advertiser_ids[0]!), access_token)).rejects.toThrow();
    expect((await t.emulator.control.requests()).at(-1)).toMatchObject({
      fault: 'connectionReset',
      httpStatus: 0,
    });
  });

  it('answers with chaos: each request broken one of the ways asked for, each logged as what it was', async () => {
    const { access_token, advertiser_ids } = await fresh();
    const kinds = [
      'connectionReset',
      'gatewayHtml',
      'hugeBody',
      'malformedBody',
      'outage',
      'slow',
      'stalledBody',
      'truncatedJson',
    ] as const;
    for (const kind of kinds) {
      await t.emulator.control.fault({ type: 'chaos', kinds: [kind], slowMs: 20, stallMs: 50, bytes: 4096 });
      await t.get(infoPath(advertiser_ids[0]!), access_token).catch(() => {});
      expect((await t.emulator.control.requests()).at(-1)?.fault?.split(':')[0]).toBe(kind);
      await t.emulator.control.clearFaults();
    }
  });

  it('sends a body bigger than asked for, chunked or with its length declared', async () => {
    const { access_token, advertiser_ids } = await fresh();
    for (const declared of [true, false]) {
      await t.emulator.control.fault({ type: 'hugeBody', bytes: 200_000, declared });
      const response = await fetch(`${t.emulator.url}${infoPath(advertiser_ids[0]!)}`, {
        headers: { 'access-token': access_token },
      });
      expect(response.headers.get('content-length')).toBe(declared ? '200000' : null);
      expect((await response.text()).length).toBe(200_000);
      await t.emulator.control.clearFaults();
    }
  });

  it('answers slowly, then normally', async () => {
    const { access_token, advertiser_ids } = await fresh();
    await t.emulator.control.fault({ type: 'slow', delayMs: 50 });
    expect((await t.get(infoPath(advertiser_ids[0]!), access_token)).body.code).toBe(0);
    expect((await t.emulator.control.requests()).at(-1)!.fault).toBe('slow');
  });

  it('throttles with 40100 or 40133 on chosen paths only', async () => {
    const { access_token, advertiser_ids } = await fresh();
    await t.emulator.control.fault({ type: 'throttle', code: 40133, paths: ['/advertiser/info/'] });
    const throttled = (await t.get(infoPath(advertiser_ids[0]!), access_token)).body;
    expect(throttled.code).toBe(40133);
    expect(throttled.message).toContain(advertiser_ids[0]);
    expect((await t.get('/bc/get/', access_token)).body.code).toBe(0);
    await t.emulator.control.clearFaults();
    await t.emulator.control.fault({ type: 'throttle' });
    expect((await t.get('/bc/get/', access_token)).body).toMatchObject({
      code: 40100,
      message: expect.stringContaining(t.production.app_id),
    });
  });

  it('ends a fault after its duration on the emulator clock and honours its rate', async () => {
    const { access_token, advertiser_ids } = await fresh();
    await t.emulator.control.fault({ type: 'outage', code: 51001, durationMs: 60_000 });
    expect((await t.get(infoPath(advertiser_ids[0]!), access_token)).body.code).toBe(51001);
    await t.emulator.control.advanceClock(60_001);
    expect((await t.get(infoPath(advertiser_ids[0]!), access_token)).body.code).toBe(0);
    // random() is 0 in these tests: rate 0 never fires.
    await t.emulator.control.fault({ type: 'outage', rate: 0 });
    expect((await t.get(infoPath(advertiser_ids[0]!), access_token)).body.code).toBe(0);
  });
});

describe('emulator: faults that change the world', () => {
  it('expires a token (40102) and marks an app/token mismatch (40000)', async () => {
    const a = await fresh();
    await t.emulator.control.fault({ type: 'expireToken', token: a.access_token });
    expect((await t.get(infoPath(a.advertiser_ids[0]!), a.access_token)).body.code).toBe(40102);
    const b = await fresh();
    await t.emulator.control.fault({ type: 'appTokenMismatch', token: b.access_token });
    expect((await t.get(infoPath(b.advertiser_ids[0]!), b.access_token)).body).toMatchObject({
      code: 40000,
      message: expect.stringContaining('inconsistent'),
    });
  });

  it('removes an advertiser from an authorization and deletes another', async () => {
    const { access_token, advertiser_ids } = await fresh();
    const [removed, deleted] = advertiser_ids as [string, string];
    await t.emulator.control.fault({ type: 'removeAdvertiser', advertiserId: removed, token: access_token });
    await t.emulator.control.fault({ type: 'deleteAdvertiser', advertiserId: deleted });
    const listed = await t.get(
      `/oauth2/advertiser/get/?app_id=${t.production.app_id}&secret=${t.production.secret}`,
      access_token,
    );
    const ids = listed.body.data.list.map((a: Json) => a.advertiser_id);
    expect(ids).not.toContain(removed);
    expect(ids).not.toContain(deleted);
    expect((await t.get(infoPath(removed), access_token)).body.code).toBe(40001);
    expect((await t.get(infoPath(deleted), access_token)).body.message).toMatch(
      /doesn't exist or has been deleted/,
    );
  });

  it('rotates an app secret: OAuth calls answer 40101 until the new one is used', async () => {
    const app = { ...t.production };
    const { access_token } = await fresh();
    const rotated = await t.emulator.control.fault({ type: 'rotateSecret', appId: app.app_id });
    const listWith = (secret: string) =>
      t.get(`/oauth2/advertiser/get/?app_id=${app.app_id}&secret=${secret}`, access_token);
    expect((await listWith(app.secret)).body.code).toBe(40101);
    expect((await listWith(String(rotated.secret))).body.code).toBe(0);
    await t.emulator.control.fault({ type: 'rotateSecret', appId: app.app_id, secret: app.secret });
  });

  it('moves an app to the other environment (40105 where its tokens used to work) and changes its tier', async () => {
    const { access_token, advertiser_ids } = await fresh();
    await t.emulator.control.fault({
      type: 'setEnvironment',
      appId: t.production.app_id,
      environment: 'sandbox',
    });
    expect((await t.get(infoPath(advertiser_ids[0]!), access_token)).body.code).toBe(40105);
    expect((await t.get('/bc/get/', access_token, t.emulator.sandboxUrl)).body.code).toBe(0);
    await t.emulator.control.fault({
      type: 'setEnvironment',
      appId: t.production.app_id,
      environment: 'production',
    });
    const tiered = await t.emulator.control.fault({
      type: 'setTier',
      appId: t.production.app_id,
      tier: 'none',
    });
    expect(tiered).toMatchObject({ tier: 'none' });
  });

  it('suspends an account and lifts the suspension', async () => {
    const { access_token, advertiser_ids } = await fresh();
    const id = advertiser_ids[0]!;
    const status = async () => (await t.get(infoPath(id), access_token)).body.data.list[0].status;
    await t.emulator.control.fault({ type: 'suspendAccount', advertiserId: id });
    expect(await status()).toBe('STATUS_LIMIT');
    await t.emulator.control.fault({ type: 'suspendAccount', advertiserId: id, status: 'STATUS_DISABLE' });
    expect(await status()).toBe('STATUS_DISABLE');
    await t.emulator.control.fault({ type: 'suspendAccount', advertiserId: id, status: 'STATUS_ENABLE' });
    expect(await status()).toBe('STATUS_ENABLE');
  });

  it('rejects an ad, exceeds budgets and balance, and restores delivery', async () => {
    const { access_token, advertiser_ids } = await fresh();
    const id = advertiser_ids[2]!;
    const ads = async () =>
      (await t.get(`/ad/get/?advertiser_id=${id}&page_size=1000`, access_token)).body.data.list as Json[];
    const rejected = await t.emulator.control.fault({ type: 'rejectAd', advertiserId: id });
    expect((await ads()).find((ad) => ad.ad_id === rejected.adId).secondary_status).toBe(
      'AD_STATUS_AUDIT_DENY',
    );

    const campaign = await t.emulator.control.fault({
      type: 'exceedBudget',
      level: 'campaign',
      advertiserId: id,
    });
    const campaigns = (await t.get(`/campaign/get/?advertiser_id=${id}`, access_token)).body.data.list;
    expect(campaigns.find((c: Json) => c.campaign_id === campaign.id).secondary_status).toBe(
      'CAMPAIGN_STATUS_BUDGET_EXCEED',
    );
    expect((await ads()).some((ad) => ad.secondary_status === 'AD_STATUS_CAMPAIGN_EXCEED')).toBe(true);

    await t.emulator.control.fault({ type: 'exceedBudget', level: 'balance', advertiserId: id });
    expect((await t.get(infoPath(id), access_token)).body.data.list[0].balance).toBe(0);
    const live = (await ads()).filter((ad) => ad.operation_status === 'ENABLE');
    expect(live.every((ad) => ad.secondary_status === 'AD_STATUS_BALANCE_EXCEED')).toBe(true);

    await t.emulator.control.fault({ type: 'restoreDelivery', advertiserId: id });
    const restored = (await ads()).filter((ad) => ad.operation_status === 'ENABLE');
    expect(restored.every((ad) => /AD_STATUS_(DELIVERY_OK|AUDIT)$/.test(ad.secondary_status))).toBe(true);
  });
});

describe('emulator: rate-limit layers', () => {
  let limited: Awaited<ReturnType<typeof startEmulator>>;
  beforeAll(async () => {
    // Emulator time crawls (1 ms per real second), so a burst always lands in the window it is aimed at,
    // however slowly a busy machine sends it.
    limited = await startEmulator({ tier: 'basic', speed: 0.001 });
  });
  afterAll(() => limited.emulator.close());
  /** Moves the clock past every window used so far, to the start of a fresh second. */
  const freshSecond = () => {
    const now = limited.emulator.clock.now();
    return limited.emulator.control.advanceClock(Math.ceil((Math.floor(now / 1_000) + 3) * 1_000 - now));
  };
  const burst = (count: number, call: () => Promise<{ body: Json }>) =>
    Promise.all(Array.from({ length: count }, call)).then((all) => all.map((r) => r.body));

  it('limits an endpoint below the app tier (ad/create: 5 QPS)', async () => {
    await freshSecond();
    const token = limited.productionToken.access_token;
    const answers = await burst(8, () => limited.post('/ad/create/', { advertiser_id: 'x' }, token));
    const throttled = answers.filter((b) => b.code === 40100);
    expect(throttled).toHaveLength(3);
    expect(throttled[0].message).toContain('/ad/create/');
  });

  it('limits one advertiser on one path (40133) before the app limit', async () => {
    await limited.emulator.control.fault({
      type: 'setTier',
      appId: limited.production.app_id,
      tier: 'ultimate',
    });
    await freshSecond();
    const token = limited.productionToken.access_token;
    const id = limited.productionToken.advertiser_ids[0]!;
    const answers = await burst(25, () => limited.get(`/campaign/get/?advertiser_id=${id}`, token));
    expect(answers.filter((b) => b.code === 40133)).toHaveLength(5);
  });

  it('gives the sandbox 1 QPS', async () => {
    await freshSecond();
    const token = limited.world.tokens.find((x) => x.environment === 'sandbox')!.access_token;
    const answers = await burst(3, () => limited.get('/bc/get/', token, limited.emulator.sandboxUrl));
    expect(answers.map((b) => b.code).sort()).toEqual([0, 40100, 40100]);
  });
});
