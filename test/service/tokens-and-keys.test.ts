import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './stack.ts';

let offset = 0;
const now = () => Date.now() + offset;

describe('tt_user tokens', () => {
  let stack: Stack;
  let id: string;
  beforeAll(async () => {
    stack = await startStack('pglite', { now });
  });
  afterAll(() => stack?.close());

  it('connects a TikTok account holder with 24-hour access and 365-day refresh expiries', async () => {
    const url = new URL(
      await stack.services.connect.startConnect({ appId: stack.app.app_id, regime: 'tt_user' }),
    );
    expect(url.pathname).toBe('/v2/auth/authorize/');
    expect(url.searchParams.get('client_key')).toBe(stack.app.app_id);
    const { redirect } = await stack.emulator.control.authorize({
      app_id: stack.app.app_id,
      redirect_uri: url.searchParams.get('redirect_uri')!,
      state: url.searchParams.get('state')!,
      regime: 'tt_user',
    });
    const page = await stack.visit(redirect);
    expect(page.html).toContain('Connected: healthy');
    const [connection] = (await stack.api('GET', '/api/v1/connections')).body.connections;
    id = connection.id;
    expect(connection.regime).toBe('tt_user');
    const accessIn = Date.parse(connection.expiries.access_token) - Date.now();
    const refreshIn = Date.parse(connection.expiries.refresh_token) - Date.now();
    expect(Math.round(accessIn / 3_600_000)).toBe(24);
    expect(Math.round(refreshIn / 86_400_000)).toBe(365);
  });

  it('refreshes ahead of expiry once, even when several calls need the token at the same moment', async () => {
    offset = 23.8 * 3_600_000;
    const results = await Promise.all(
      [1, 2, 3].map(() => stack.services.connections.call(id, 'GET', '/user/info/')),
    );
    expect(results).toHaveLength(3);
    const shown = (await stack.api('GET', `/api/v1/connections/${id}`)).body.connection;
    expect(
      shown.tokens.map((t: { status: string; end_reason: string | null }) => [t.status, t.end_reason]),
    ).toEqual([
      ['superseded', 'refreshed'],
      ['active', null],
    ]);
    const events = (await stack.api('GET', `/api/v1/connections/${id}/history`)).body.events;
    expect(events.filter((e: { type: string }) => e.type === 'token_refreshed')).toHaveLength(1);
  });

  it('turns a refused refresh (40107) into needs re-auth', async () => {
    const world = await stack.emulator.control.state();
    const live = world.tokens.filter(
      (t) => t.regime === 'tt_user' && t.status === 'active' && t.app_id === stack.app.app_id,
    );
    for (const t of live)
      await stack.emulator.control.fault({ type: 'revokeToken', token: t.access_token, by: 'user' });
    offset = 47.9 * 3_600_000;
    await expect(stack.services.connections.call(id, 'GET', '/user/info/')).rejects.toMatchObject({
      code: 'ADW_NEEDS_REAUTH',
    });
    const connection = (await stack.api('GET', `/api/v1/connections/${id}`)).body.connection;
    expect(connection.status).toBe('needs_reauth');
    expect(connection.status_reason).toMatch(/refresh token was refused \(40107/);
    offset = 0;
  });
});

describe('key rotation', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('pglite');
    for (const ids of [[0], [1], [2, 3]]) {
      const advertisers = stack.tiktok.world.advertisers.filter((a) => a.app_ids.includes(stack.app.app_id));
      await stack.consent(`${stack.address}/connect/tiktok?app=${stack.app.app_id}`, {
        advertiserIds: ids.map((i) => advertisers[i]!.advertiser_id),
      });
    }
  });
  afterAll(() => stack?.close());

  const keyFile = () => JSON.parse(readFileSync(join(stack.dataDir, 'secret-keys.json'), 'utf8'));

  it('survives an interruption: old keys keep opening what is left, and the next run resumes', async () => {
    const before = await stack.services.keys.status();
    expect(Object.values(before.sealed_by_key)).toEqual([4]);
    await expect(stack.services.keys.rotate({ stopAfter: 2 })).rejects.toThrow(/interrupted/);
    const midway = await stack.services.keys.status();
    expect(Object.keys(midway.sealed_by_key)).toHaveLength(2);
    expect(keyFile().previous).toHaveLength(1);
    for (const c of (await stack.api('GET', '/api/v1/connections')).body.connections) {
      expect((await stack.api('POST', `/api/v1/connections/${c.id}/check`)).body.status).toBe('healthy');
    }

    const resumed = (await stack.api('POST', '/api/v1/keys/rotate')).body;
    expect(resumed).toMatchObject({
      started_new_key: false,
      resumed: true,
      resealed: 2,
      retired_keys: [before.active_key],
    });
    const after = await stack.services.keys.status();
    expect(after.sealed_by_key).toEqual({ [midway.active_key]: 4 });
    expect(keyFile()).toMatchObject({ active: { id: midway.active_key }, previous: [] });
    for (const c of (await stack.api('GET', '/api/v1/connections')).body.connections) {
      expect((await stack.api('POST', `/api/v1/connections/${c.id}/check`)).body.status).toBe('healthy');
    }
  });

  it('starts a new key when the last rotation finished', async () => {
    const result = (await stack.api('POST', '/api/v1/keys/rotate')).body;
    expect(result).toMatchObject({ started_new_key: true, resealed: 4 });
    expect(result.retired_keys).toHaveLength(1);
  });
});
