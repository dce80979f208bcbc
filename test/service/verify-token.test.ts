import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/webhook-sink.ts';
import { type Stack, startStack } from './stack.ts';

describe('verifyToken tells causes apart', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('pglite');
  });
  afterAll(() => stack?.close());

  const nextCheckOf = async (id: string) =>
    (
      await stack.services.database.db
        .selectFrom('connections')
        .select('next_check_at')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).next_check_at;

  async function connect(advertiserIds: string[]) {
    const { page } = await stack.consent(`${stack.address}/connect/tiktok?app=${stack.app.app_id}`, {
      advertiserIds,
    });
    expect(page.html).toContain('Connected');
    const list = (await stack.api('GET', '/api/v1/connections')).body.connections;
    return list.at(-1).id as string;
  }

  it('says which advertiser dropped out of the authorization', async () => {
    const ids = stack.tiktok.world.advertisers
      .filter((a) => a.app_ids.includes(stack.app.app_id))
      .slice(0, 2)
      .map((a) => a.advertiser_id);
    const id = await connect(ids);
    await stack.emulator.control.fault({ type: 'removeAdvertiser', advertiserId: ids[1] });
    const check = (await stack.api('POST', `/api/v1/connections/${id}/check`)).body;
    expect(check).toMatchObject({
      status: 'degraded',
      verification: { status: 'advertiser_removed', needs_reauth: false, removed_advertisers: [ids[1]] },
    });
    expect(check.summary).toContain(ids[1]);
  });

  it('recognises a token issued for the sandbox used with a production app', async () => {
    const id = await connect([
      stack.tiktok.world.advertisers.find((a) => a.app_ids.includes(stack.app.app_id))!.advertiser_id,
    ]);
    const sandboxToken = await stack.emulator.control.issueToken(stack.tiktok.sandbox.app_id);
    // The token row is replaced as an operator importing the wrong token would: sealed like any other.
    const services = stack.services;
    const grant = {
      accessToken: new (await import('../../src/vault/secret.ts')).Secret(sandboxToken.access_token),
    };
    const at = new Date();
    const { connectionsStore } = await import('../../src/db/index.ts');
    await connectionsStore(stack.database.db).replaceToken(
      id,
      { status: 'superseded', reason: 'test', now: at },
      services.tokens.seal(id, grant, at),
    );
    const check = (await stack.api('POST', `/api/v1/connections/${id}/check`)).body;
    // The token works in the sandbox: not dead, so it is kept and the connection stays checked.
    expect(check).toMatchObject({
      status: 'degraded',
      verification: { status: 'wrong_environment', token_environment: 'sandbox', needs_reauth: false },
    });
    expect(check.summary).toMatch(/issued for TikTok's sandbox environment/);
  });

  it('recognises a token that belongs to another app', async () => {
    const advertiser = stack.tiktok.world.advertisers.find((a) =>
      a.app_ids.includes(stack.app.app_id),
    )!.advertiser_id;
    const id = await connect([advertiser]);
    const token = (await stack.emulator.control.state()).tokens
      .filter((t) => t.status === 'active' && t.advertiser_ids.includes(advertiser))
      .at(-1)!;
    await stack.emulator.control.fault({ type: 'appTokenMismatch', token: token.access_token });
    const check = (await stack.api('POST', `/api/v1/connections/${id}/check`)).body;
    expect(check).toMatchObject({ status: 'needs_reauth', verification: { status: 'app_token_mismatch' } });
  });

  it('says when the earlier error was not about the token', async () => {
    const id = await connect([
      stack.tiktok.world.advertisers.find((a) => a.app_ids.includes(stack.app.app_id))!.advertiser_id,
    ]);
    const { classify } = await import('../../src/catalog/index.ts');
    const earlier = classify({
      code: 40001,
      message: 'advertiser does not grant you /file/video/ad/search/:GET permission',
    });
    const result = await stack.services.connections.check(id, earlier);
    expect(result.status).toBe('healthy');
    expect(result.summary).toMatch(/earlier 40001 was not about the token but permission denied/);
  });

  it('never undoes a re-auth that completes while a check of the old token is running', async () => {
    const advertiser = stack.tiktok.world.advertisers.filter((a) => a.app_ids.includes(stack.app.app_id))[2]!
      .advertiser_id;
    const id = await connect([advertiser]);
    const before = (await stack.api('GET', `/api/v1/connections/${id}`)).body.connection.tokens.length;
    await stack.emulator.control.fault({ type: 'revokeToken', advertiserId: advertiser, by: 'user' });
    // The check's first call answers slowly: the owner's re-auth lands while it still holds the old token.
    await stack.emulator.control.fault({ type: 'slow', delayMs: 1_500, paths: ['/oauth2/advertiser/get/'] });
    const { client } = await stack.services.apps.clientFor(stack.app.app_id);
    const sent = new Promise<void>((resolve) =>
      client.on('request', (e) => {
        if (e.endpoint === '/oauth2/advertiser/get/') resolve();
      }),
    );
    const checking = stack.services.connections.check(id);
    await sent; // the check holds the old token and waits on TikTok
    const link = (await stack.api('POST', `/api/v1/connections/${id}/reauth-link`)).body.url as string;
    const repaired = stack.consent(link, { advertiserIds: [advertiser] });
    const [check, { page }] = await Promise.all([checking, repaired]);
    await stack.emulator.control.clearFaults();
    expect(page.html).toContain('Reconnected');
    // The verdict about the replaced token was dropped; the check looked again at the one there now.
    expect(check).toMatchObject({ status: 'healthy', verification: { status: 'valid' } });
    const connection = (await stack.api('GET', `/api/v1/connections/${id}`)).body.connection;
    expect(connection.status).toBe('healthy');
    expect(connection.tokens).toHaveLength(before + 1);
    expect(connection.tokens.at(-1).status).toBe('active');
  });

  it('leaves the connection due when an in-band report finds a probe already queued', async () => {
    const advertiser = stack.tiktok.world.advertisers.filter((a) => a.app_ids.includes(stack.app.app_id))[4]!
      .advertiser_id;
    const id = await connect([advertiser]);
    const { monitor, database } = stack.services;
    const nextCheck = () => nextCheckOf(id);
    await database.db
      .updateTable('connections')
      .set({ next_check_at: new Date(Date.now() + 300_000) })
      .where('id', '=', id)
      .execute();
    // The queue says a probe for it waits (it may have started a moment ago, before the report).
    const asked: string[] = [];
    monitor.attach({
      probe: async (connectionId) => {
        asked.push(connectionId);
        return false;
      },
      watch: async () => {},
      videos: async () => {},
      deliver: async () => {},
      daily: async () => {},
    });
    try {
      const before = Date.now();
      const result = await monitor.observeInBand({ connection_id: id, code: 40105, message: 'revoked' });
      expect(result.action).toBe('verifying');
      expect(asked).toEqual([id]);
      const next = await nextCheck();
      expect(next!.getTime()).toBeGreaterThanOrEqual(before - 1_000);
      expect(next!.getTime()).toBeLessThanOrEqual(Date.now());
    } finally {
      monitor.attach(null);
    }
  });

  it('leaves the connection due when a check is asked for while a probe of it runs', async () => {
    const advertiser = stack.tiktok.world.advertisers.filter((a) => a.app_ids.includes(stack.app.app_id))[5]!
      .advertiser_id;
    const id = await connect([advertiser]);
    const { monitor } = stack.services;
    const nextCheck = async () => (await nextCheckOf(id))!.getTime();
    // A sweep's probe reads TikTok slowly; "Check now" comes while it runs, after the owner revoked.
    await stack.emulator.control.fault({ type: 'slow', delayMs: 1_500, paths: ['/oauth2/advertiser/get/'] });
    try {
      const sweeping = monitor.probe(id, 'sweep');
      // The sweep's probe holds the connection (its lease) and waits on TikTok.
      await eventually(
        async () =>
          (
            await stack.services.database.db
              .selectFrom('connections')
              .select('probe_lease_until')
              .where('id', '=', id)
              .executeTakeFirstOrThrow()
          ).probe_lease_until,
        'the probe to hold its lease',
      );
      const asked = await monitor.probe(id, 'in_band');
      expect(asked.outcome).toBe('skipped');
      const swept = await sweeping;
      // The sweep's answer may predate the request: the connection stays due for the check asked for.
      expect(new Date(swept.next_check_at!).getTime()).toBeLessThanOrEqual(Date.now());
      expect(await nextCheck()).toBeLessThanOrEqual(Date.now());
    } finally {
      await stack.emulator.control.clearFaults();
    }
    // The check that follows answers the request: the connection is planned a sweep interval ahead again.
    const after = await monitor.probe(id, 'sweep');
    expect(after.outcome).toBe('ok');
    expect(await nextCheck()).toBeGreaterThan(Date.now() + 1_000);
  });
});
