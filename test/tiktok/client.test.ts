import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientEvents } from '../../src/index.ts';
import { clientAndEmulator, failure } from './helpers.ts';

let t: Awaited<ReturnType<typeof clientAndEmulator>>;
beforeAll(async () => {
  t = await clientAndEmulator({ videoProcessingMs: 5_000, speed: 50 });
});
afterAll(() => t.close());

function record<K extends keyof ClientEvents>(name: K) {
  const seen: Array<ClientEvents[K]> = [];
  const off = t.client.on(name, (event) => seen.push(event));
  return { seen, off };
}

describe('client: typed methods over real HTTP', () => {
  it('lists authorized advertisers and reads account info with string ids', async () => {
    const advertisers = await t.client.listAuthorizedAdvertisers();
    expect(advertisers.map((a) => a.advertiserId)).toEqual(t.token.advertiser_ids);
    const info = await t.client.getAdvertiserInfo(t.token.advertiser_ids, { fields: ['name', 'status'] });
    expect(info).toHaveLength(t.token.advertiser_ids.length);
    expect(info[0]).toMatchObject({
      advertiser_id: expect.stringMatching(/^\d{19}$/),
      status: 'STATUS_ENABLE',
    });
  });

  it('iterates campaigns, ad groups, ads, reports and Business Centers over every page', async () => {
    const id = t.token.advertiser_ids[0]!;
    const campaigns = [];
    for await (const campaign of t.client.campaigns(id, { pageSize: 1 })) campaigns.push(campaign);
    const all = [];
    for await (const campaign of t.client.campaigns(id)) all.push(campaign);
    expect(campaigns).toEqual(all);
    let ads = 0;
    for await (const _ad of t.client.ads(id, { filtering: { campaign_ids: [all[0]!.campaign_id] } })) ads++;
    expect(ads).toBeGreaterThan(0);
    const rows = [];
    for await (const row of t.client.report({
      advertiser_id: id,
      data_level: 'AUCTION_CAMPAIGN',
      dimensions: ['campaign_id'],
      metrics: ['spend', 'impressions'],
      query_lifetime: true,
    }))
      rows.push(row);
    expect(rows.length).toBe(all.length);
    expect(typeof rows[0]!.metrics.spend).toBe('string');
    const centers = [];
    for await (const bc of t.client.businessCenters()) centers.push(bc);
    expect(centers.length).toBeGreaterThan(0);
    expect((await t.client.getUserInfo()).display_name).toEqual(expect.any(String));
  });

  it('uploads a video, waits until it is ready, and creates an ad (40901 polled meanwhile)', async () => {
    const id = t.token.advertiser_ids[0]!;
    const video = await t.client.uploadVideo({
      advertiserId: id,
      file: new Uint8Array(2048).fill(7),
      fileName: 'a.mp4',
    });
    let adgroup = '';
    for await (const g of t.client.adGroups(id)) adgroup ||= String(g.adgroup_id);
    const polls = record('retry');
    const created = await t.client.createAd({
      advertiser_id: id,
      adgroup_id: adgroup,
      creatives: [{ ad_name: 'From the client', video_id: video.video_id }],
    });
    polls.off();
    expect(created.ad_ids).toHaveLength(1);
    expect(polls.seen.some((e) => e.code === 40901 && e.kind === 'not_ready')).toBe(true);
    const [ready] = await t.client.waitForVideos(id, [video.video_id], {
      deadline: performance.now() + 10_000,
      initialDelayMs: 10,
    });
    expect(ready!.displayable).toBe(true);
  });

  it('exchanges an auth code once and revokes the token', async () => {
    const { redirect } = await t.emulator.control.authorize({
      app_id: t.app.app_id,
      redirect_uri: t.app.redirect_uris[0]!,
    });
    const code = new URL(redirect).searchParams.get('auth_code')!;
    const grant = await t.client.exchangeAuthCode(code);
    expect(JSON.stringify(grant)).not.toContain(grant.accessToken.reveal());
    expect((await failure(t.client.exchangeAuthCode(code))).diagnosis.kind).toBe('auth_code_invalid');
    await t.client.revokeToken(grant.accessToken);
    const dead = await failure(t.client.listAuthorizedAdvertisers(grant.accessToken));
    expect(dead.code).toBe(40105);
  });

  it('exchanges and refreshes TikTok account tokens', async () => {
    const { redirect } = await t.emulator.control.authorize({
      app_id: t.app.app_id,
      redirect_uri: t.app.redirect_uris[0]!,
      regime: 'tt_user',
    });
    const tokens = await t.client.exchangeTtUserCode(
      new URL(redirect).searchParams.get('auth_code')!,
      t.app.redirect_uris[0]!,
    );
    expect(tokens.refreshExpiresAt - tokens.accessExpiresAt).toBeGreaterThan(360 * 86_400_000);
    const refreshed = await t.client.refreshTtUserToken(tokens.refreshToken);
    expect(refreshed.accessToken.reveal()).not.toBe(tokens.accessToken.reveal());
  });
});

describe('client: failures become diagnosed errors, retried only when the catalog says so', () => {
  it('never retries auth, permission or request errors; auth failures emit authFailure', async () => {
    const auth = record('authFailure');
    const retries = record('retry');
    const bad = await failure(
      t.client.call('GET', '/advertiser/info/', {
        accessToken: 'not-a-token',
        query: { advertiser_ids: ['1'] },
      }),
    );
    expect(bad).toMatchObject({
      name: 'TikTokApiError',
      code: 40105,
      attempts: 1,
      endpoint: '/advertiser/info/',
    });
    expect(bad.diagnosis.action).toBe('verify_then_reauth');
    await t.emulator.control.fault({
      type: 'withdrawPermission',
      path: '/campaign/get/',
      advertiserId: t.token.advertiser_ids[1],
    });
    const denied = await failure(t.client.campaigns(t.token.advertiser_ids[1]!).next());
    expect(denied.diagnosis.kind).toBe('permission_denied');
    const invalid = await failure(
      t.client.call('GET', '/advertiser/info/', { query: { advertiser_ids: 'oops' as never } }),
    );
    expect(invalid.diagnosis.kind).toBe('invalid_request');
    await t.emulator.control.clearFaults();
    expect(retries.seen).toEqual([]);
    expect(auth.seen.map((e) => e.code)).toEqual([40105, 40001]);
    auth.off();
    retries.off();
  });

  it('backs off on transient failures for reads but never replays a write that is not replay-safe', async () => {
    await t.emulator.control.clearRequests();
    await t.emulator.control.fault({ type: 'outage', code: 50002, rate: 1, times: 2 });
    await expect(t.client.getUserInfo()).resolves.toMatchObject({ display_name: expect.any(String) });
    expect((await t.emulator.control.requests()).filter((r) => r.path === '/user/info/')).toHaveLength(3);
    await t.emulator.control.clearFaults();
    await t.emulator.control.clearRequests();
    await t.emulator.control.fault({ type: 'outage', code: 50002, rate: 1 });
    const write = await failure(t.client.call('POST', '/ad/create/', { body: { advertiser_id: '1' } }));
    expect(write).toMatchObject({ code: 50002, attempts: 1 });
    const logged = (await t.emulator.control.requests()).filter((r) => r.path === '/ad/create/');
    expect(logged).toHaveLength(1);
    await t.emulator.control.clearFaults();
  });

  it('turns gateway pages, truncated JSON, resets and oversized bodies into transport errors', async () => {
    const cases = [
      [{ type: 'gatewayHtml', status: 502 }, 'ADW_HTTP_SERVER_ERROR'],
      [{ type: 'truncatedJson' }, 'ADW_BODY_NOT_JSON'],
      [{ type: 'connectionReset' }, 'ADW_NETWORK_RESET'],
    ] as const;
    const once = await clientAndEmulator({}, { retry: { maxAttempts: 1 }, breaker: { threshold: 100 } });
    for (const [fault, code] of cases) {
      await once.emulator.control.fault(fault);
      const error = await failure(once.client.getUserInfo());
      expect([error.name, error.code]).toEqual(['TikTokTransportError', code]);
      await once.emulator.control.clearFaults();
    }
    await once.close();
    const small = await clientAndEmulator({}, { maxBodyBytes: 200 });
    const tooBig = await failure(small.client.getAdvertiserInfo(small.token.advertiser_ids));
    expect(tooBig.code).toBe('ADW_BODY_TOO_LARGE');
    await small.close();
  });

  it('refuses a 200 that only looks like success: no data, a string code, a list that is not a list', async () => {
    const once = await clientAndEmulator({}, { retry: { maxAttempts: 1 }, breaker: { threshold: 100 } });
    try {
      for (const variant of [
        'no_data',
        'code_as_string',
        'wrong_shape',
        'missing_code',
        'null',
        'array',
      ] as const) {
        await once.emulator.control.fault({ type: 'malformedBody', variant });
        for (const call of [
          () => once.client.getAdvertiserInfo(once.token.advertiser_ids.slice(0, 1)),
          () => once.client.listAuthorizedAdvertisers(),
          async () => {
            for await (const campaign of once.client.campaigns(once.token.advertiser_ids[0]!))
              return campaign;
          },
        ]) {
          const error = await failure(call());
          expect([variant, error.name, error.code, error.diagnosis.kind]).toEqual([
            variant,
            'TikTokTransportError',
            'ADW_ENVELOPE_MALFORMED',
            'transient',
          ]);
        }
        await once.emulator.control.clearFaults();
      }
      // A typed method that reads a field the answer lacks says which one.
      await once.emulator.control.fault({ type: 'malformedBody', variant: 'no_data' });
      const error = await failure(once.client.call('GET', '/user/info/'));
      expect(error.code).toBe('ADW_ENVELOPE_MALFORMED');
    } finally {
      await once.close();
    }
  });

  it('keeps tokens and secrets out of errors and events', async () => {
    const seen: unknown[] = [];
    for (const name of ['request', 'response', 'retry', 'authFailure', 'rateLimited'] as const)
      t.client.on(name, (e) => seen.push(e));
    const errors = [
      await failure(
        t.client.call('GET', '/advertiser/info/', {
          accessToken: `${t.token.access_token}x`,
          query: { advertiser_ids: ['1'] },
        }),
      ),
      await failure(t.client.exchangeAuthCode('used-or-bogus')),
    ];
    const text = JSON.stringify([seen, errors, errors.map((e) => e.message), errors.map((e) => e.stack)]);
    expect(text).not.toContain(t.token.access_token);
    expect(text).not.toContain(t.app.secret);
  });
});
