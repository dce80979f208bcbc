import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ControlState, createEmulator, type Emulator } from '../../src/emulator/index.ts';

let emulator: Emulator;
let world: ControlState;
const production = () => world.apps.find((a) => a.environment === 'production')!;
const sandbox = () => world.apps.find((a) => a.environment === 'sandbox')!;
const productionToken = () =>
  world.tokens.find((t) => t.environment === 'production' && t.status === 'active')!;

async function get(path: string, token?: string, base = emulator.url) {
  const response = await fetch(`${base}${path}`, { headers: token ? { 'Access-Token': token } : {} });
  const text = await response.text();
  return {
    status: response.status,
    text,
    body: response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined,
  };
}

async function post(path: string, payload: unknown, base = emulator.url) {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  });
  return { status: response.status, body: (await response.json()) as Json };
}

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read as loosely as a test needs
type Json = any;

const ids = (list: string[]) => encodeURIComponent(JSON.stringify(list));

beforeAll(async () => {
  emulator = await createEmulator({ seed: 'demo', tier: 'basic', random: () => 0 });
  world = await emulator.control.state();
});
afterAll(() => emulator.close());

describe('emulator: envelope and auth', () => {
  it('answers a call without a token with HTTP 200 and 40104', async () => {
    const { status, body } = await get('/advertiser/info/');
    expect(status).toBe(200);
    expect(body).toMatchObject({ code: 40104, data: {} });
    expect(body.request_id).toMatch(/^\w{20,}$/);
  });

  it('answers a path without its trailing slash with HTTP 404', async () => {
    expect((await get('/advertiser/info', productionToken().access_token)).status).toBe(404);
  });

  it('rejects a Bearer prefix and an unknown token with 40105', async () => {
    expect(
      (
        await get(
          `/advertiser/info/?advertiser_ids=${ids(['1'])}`,
          `Bearer ${productionToken().access_token}`,
        )
      ).body.code,
    ).toBe(40105);
    expect((await get(`/advertiser/info/?advertiser_ids=${ids(['1'])}`, 'nope')).body.code).toBe(40105);
  });

  it('serves /advertiser/info/ with string ids for a token from the control API', async () => {
    const { access_token, advertiser_ids } = await emulator.control.issueToken(production().app_id);
    const { body } = await get(
      `/advertiser/info/?advertiser_ids=${ids(advertiser_ids.slice(0, 3))}`,
      access_token,
    );
    expect(body.code).toBe(0);
    expect(body.message).toBe('OK');
    expect(body.data.list).toHaveLength(3);
    expect(body.data.list[0]).toMatchObject({
      advertiser_id: expect.stringMatching(/^\d{19}$/),
      status: 'STATUS_ENABLE',
    });
  });

  it('answers a list parameter that is not a JSON array with 40002', async () => {
    const { body } = await get('/advertiser/info/?advertiser_ids=123,456', productionToken().access_token);
    expect(body).toMatchObject({ code: 40002, message: 'advertiser_ids: Field must be set to array' });
  });

  it('refuses more than 100 advertiser ids with 40011', async () => {
    const many = Array.from({ length: 101 }, (_, i) => String(7_000_000_000_000_000_000n + BigInt(i)));
    expect(
      (await get(`/advertiser/info/?advertiser_ids=${ids(many)}`, productionToken().access_token)).body.code,
    ).toBe(40011);
  });

  it('keeps production and sandbox apart', async () => {
    const sandboxToken = world.tokens.find((t) => t.environment === 'sandbox')!;
    const onProduction = await get(
      `/oauth2/advertiser/get/?app_id=${sandbox().app_id}&secret=${sandbox().secret}`,
      sandboxToken.access_token,
    );
    expect(onProduction.body.code).toBe(40105);
    const onSandbox = await get(
      `/advertiser/info/?advertiser_ids=${ids(sandboxToken.advertiser_ids)}`,
      sandboxToken.access_token,
      emulator.sandboxUrl,
    );
    expect(onSandbox.body.code).toBe(40009);
  });
});

describe('emulator: OAuth', () => {
  it('exchanges an auth code from the consent once and only once', async () => {
    const redirectUri = production().redirect_uris[0]!;
    const { redirect } = await emulator.control.authorize({
      app_id: production().app_id,
      redirect_uri: redirectUri,
      state: 'st-1',
    });
    const url = new URL(redirect);
    expect(url.searchParams.get('state')).toBe('st-1');
    const authCode = url.searchParams.get('auth_code')!;
    const exchange = () =>
      post('/oauth2/access_token/', {
        app_id: production().app_id,
        secret: production().secret,
        auth_code: authCode,
      });
    const first = await exchange();
    expect(first.body.code).toBe(0);
    expect(first.body.data.access_token).toMatch(/^\w{20,}$/);
    expect(first.body.data.advertiser_ids.length).toBeGreaterThan(0);
    expect((await exchange()).body.code).toBe(40110);
  });

  it('answers a wrong secret with 40101', async () => {
    const { body } = await post('/oauth2/access_token/', {
      app_id: production().app_id,
      secret: 'wrong',
      auth_code: 'x',
    });
    expect(body.code).toBe(40101);
  });

  it('may grant zero advertisers', async () => {
    const { redirect } = await emulator.control.authorize({
      app_id: production().app_id,
      redirect_uri: production().redirect_uris[0]!,
      advertiser_ids: [],
    });
    const code = new URL(redirect).searchParams.get('auth_code');
    const { body } = await post('/oauth2/access_token/', {
      app_id: production().app_id,
      secret: production().secret,
      auth_code: code,
    });
    expect(body.data.advertiser_ids).toEqual([]);
  });

  it('lists the advertisers an authorization still covers and revokes tokens', async () => {
    const { access_token, advertiser_ids } = await emulator.control.issueToken(production().app_id);
    const listed = await get(
      `/oauth2/advertiser/get/?app_id=${production().app_id}&secret=${production().secret}`,
      access_token,
    );
    expect(listed.body.data.list.map((a: { advertiser_id: string }) => a.advertiser_id)).toEqual(
      advertiser_ids,
    );
    const revoked = await post('/oauth2/revoke_token/', {
      app_id: production().app_id,
      secret: production().secret,
      access_token,
    });
    expect(revoked.body).toMatchObject({ code: 0, data: { app_id: production().app_id } });
    expect(
      (
        await get(
          `/oauth2/advertiser/get/?app_id=${production().app_id}&secret=${production().secret}`,
          access_token,
        )
      ).body.code,
    ).toBe(40105);
  });

  it('serves a consent page listing the app’s advertisers with Authorize and Cancel', async () => {
    const response = await fetch(
      `${emulator.origin}/portal/auth?app_id=${production().app_id}&state=s&redirect_uri=${encodeURIComponent(production().redirect_uris[0]!)}`,
    );
    const html = await response.text();
    expect(html).toContain('type="checkbox"');
    expect(html).toContain('Authorize');
    expect(html).toContain('Cancel');
    expect(html).toContain(world.advertisers[0]!.name);
  });
});

describe('emulator: faults and rate limits', () => {
  it('answers with 40100 when the app’s QPS limit trips', async () => {
    const { access_token, advertiser_ids } = await emulator.control.issueToken(production().app_id);
    const responses = await Promise.all(
      Array.from({ length: 30 }, () =>
        get(`/advertiser/info/?advertiser_ids=${ids([advertiser_ids[0]!])}`, access_token),
      ),
    );
    const codes = responses.map((r) => r.body.code);
    expect(codes).toContain(40100);
    expect(responses.find((r) => r.body.code === 40100)!.body.message).toMatch(
      /^App \d+ reaches the QPS limit 10, current QPS is \d+\.$/,
    );
    const logged = await emulator.control.requests();
    expect(logged.filter((r) => r.code === 40100).length).toBe(codes.filter((c) => c === 40100).length);
  });

  it('revokes tokens by advertiser and withdraws a permission for a path', async () => {
    emulator.clock.advance(2_000);
    const { access_token, advertiser_ids } = await emulator.control.issueToken(production().app_id);
    await emulator.control.fault({
      type: 'withdrawPermission',
      path: '/advertiser/info/',
      method: 'GET',
      advertiserId: advertiser_ids[0],
    });
    const denied = await get(`/advertiser/info/?advertiser_ids=${ids([advertiser_ids[0]!])}`, access_token);
    expect(denied.body).toMatchObject({
      code: 40001,
      message: 'advertiser does not grant you /advertiser/info/:GET permission',
    });
    await emulator.control.clearFaults();
    await emulator.control.fault({ type: 'revokeToken', token: access_token, by: 'bc_admin' });
    expect(
      (await get(`/advertiser/info/?advertiser_ids=${ids([advertiser_ids[0]!])}`, access_token)).body.code,
    ).toBe(40105);
  });

  it('injects outages, HTML gateway pages and truncated JSON', async () => {
    emulator.clock.advance(2_000);
    const { access_token, advertiser_ids } = await emulator.control.issueToken(production().app_id);
    const path = `/advertiser/info/?advertiser_ids=${ids([advertiser_ids[0]!])}`;
    await emulator.control.fault({ type: 'outage', code: 50002 });
    expect((await get(path, access_token)).body.code).toBe(50002);
    await emulator.control.clearFaults();
    await emulator.control.fault({ type: 'gatewayHtml' });
    const html = await get(path, access_token);
    expect(html.status).toBe(502);
    expect(html.text).toMatch(/<html>/);
    await emulator.control.clearFaults();
    await emulator.control.fault({ type: 'truncatedJson' });
    const truncated = await fetch(`${emulator.url}${path}`, { headers: { 'Access-Token': access_token } });
    await expect(truncated.json()).rejects.toThrow();
    await emulator.control.clearFaults();
  });

  it('refuses an invalid fault with a clear message', async () => {
    await expect(emulator.control.fault({ type: 'meteorStrike' })).rejects.toThrow(/type/);
    await expect(emulator.control.fault({ type: 'revokeToken', token: 'unknown' })).rejects.toThrow(
      /matched no active token/,
    );
  });
});
