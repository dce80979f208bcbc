import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../service/stack.ts';

/**
 * TikTok's pushes over real HTTP: the emulator delivers signed suspensions, review results and its
 * status to adwarden's /webhooks/tiktok; polling stays the fallback.
 */
describe('push signals', () => {
  let stack: Stack;
  let connectionId: string;
  let ids: string[];

  const until = async <T>(read: () => Promise<T>, ok: (value: T) => boolean, ms = 5_000): Promise<T> => {
    const end = Date.now() + ms;
    for (;;) {
      const value = await read();
      if (ok(value)) return value;
      if (Date.now() > end)
        throw new Error(`timed out; last: ${String(JSON.stringify(value)).slice(0, 500)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const accountIncidents = async () =>
    (await stack.services.incidents.list()).filter((i) => i.kind === 'account_status');

  beforeAll(async () => {
    stack = await startStack('pglite');
    ids = (await stack.emulator.control.state()).advertisers
      .filter((a) => a.app_ids.includes(stack.app.app_id))
      .slice(0, 4)
      .map((a) => a.advertiser_id);
    await stack.consent(`${stack.address}/connect/tiktok?app=${stack.app.app_id}`, { advertiserIds: ids });
    connectionId = (await stack.services.connections.list()).at(-1)!.id;
  }, 60_000);
  afterAll(() => stack?.close());

  it('subscribes a new connection (suspensions, ad groups, ads) and its app (TikTok status)', async () => {
    const subscriptions = await until(
      () => stack.services.push.list(),
      (list) => list.length === 4,
    );
    expect(subscriptions.map((s) => s.entity).sort()).toEqual([
      'AD',
      'AD_ACCOUNT_SUSPENSION',
      'AD_GROUP',
      'API_SERVICE_STATUS',
    ]);
    expect(subscriptions.find((s) => s.entity === 'AD')!.connection_id).toBe(connectionId);
    const listed = await stack.api('GET', '/api/v1/tiktok/subscriptions');
    expect(listed.body.callback_url).toBe(`${stack.address}/webhooks/tiktok`);
  });

  it('opens an incident from a suspension push within 2 s, once even when TikTok delivers twice', async () => {
    await stack.emulator.control.fault({ type: 'pushDeliveries', duplicate: true });
    const pushedAt = Date.now();
    await stack.emulator.control.fault({
      type: 'suspendAccount',
      advertiserId: ids[1]!,
      status: 'STATUS_LIMIT',
    });
    const [incident] = await until(accountIncidents, (list) => list.length > 0);
    expect(Date.now() - pushedAt).toBeLessThan(2_000);
    expect(incident!.subject).toMatchObject({ type: 'advertiser', id: ids[1] });
    expect(incident!.summary).toMatch(
      /cannot deliver: STATUS_LIMIT \(Violation of TikTok Advertising Policies\)/,
    );
    // Both copies arrived and were answered 200; the second changed nothing.
    await until(
      async () =>
        stack.emulator.control
          .pushes()
          .filter((p) => p.entity === 'AD_ACCOUNT_SUSPENSION' && p.status === 200),
      (list) => list.length >= 2,
    );
    expect(await accountIncidents()).toHaveLength(1);
    // The probe TikTok advises (re-reading /advertiser/info/) sees the same: still one incident.
    await stack.services.monitor.probe(connectionId, 'test');
    expect(await accountIncidents()).toHaveLength(1);
    await stack.emulator.control.fault({ type: 'pushDeliveries', duplicate: false });
  });

  it('finds a suspension by polling when the push is lost', async () => {
    await stack.emulator.control.fault({ type: 'pushDeliveries', lose: true });
    try {
      await stack.emulator.control.fault({
        type: 'suspendAccount',
        advertiserId: ids[2]!,
        status: 'STATUS_DISABLE',
      });
      await until(
        async () => stack.emulator.control.pushes().filter((p) => p.error?.startsWith('lost')),
        (lost) => lost.length > 0,
      );
      // The sweep's probe (one may be running already, holding the connection's probe lease).
      const found = (await until(
        async () => {
          await stack.services.monitor.probe(connectionId, 'test');
          return (await accountIncidents()).find((i) => (i.subject as { id: string }).id === ids[2]);
        },
        (incident) => incident !== undefined,
      ))!;
      const opened = (await stack.services.incidents.show(found.id)).timeline.find(
        (e: { kind: string }) => e.kind === 'opened',
      ) as unknown as { data: { source: string } };
      expect(opened.data.source).toBe('sweep');
    } finally {
      await stack.emulator.control.fault({ type: 'pushDeliveries', lose: false });
    }
  });

  it('opens the rejected-ad incident campaign watch would, from the AD push', async () => {
    const rejected = await stack.emulator.control.fault({
      type: 'rejectAd',
      advertiserId: ids[3]!,
      reason: 'Prohibited product',
    });
    const incident = await until(
      async () => (await stack.services.incidents.list()).find((i) => i.kind === 'delivery'),
      (found) => found !== undefined,
    );
    expect(incident!.subject).toMatchObject({ type: 'ad', id: rejected.adId });
    expect(incident!.summary).toMatch(/rejected in review \(Prohibited product\)/);
    await stack.services.monitor.watch(connectionId);
    expect((await stack.services.incidents.list()).filter((i) => i.kind === 'delivery')).toHaveLength(1);
  });

  it('refuses unsigned, forged, replayed and malformed deliveries', async () => {
    const post = (body: string, signature?: string) =>
      fetch(`${stack.address}/webhooks/tiktok`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(signature ? { 'tiktok-signature': signature } : {}),
        },
        body,
      });
    const sub = (await stack.services.push.list()).find((s) => s.entity === 'AD_ACCOUNT_SUSPENSION')!;
    const body = JSON.stringify({
      subscription_id: sub.subscription_id,
      subscribe_entity: 'AD_ACCOUNT_SUSPENSION',
      content: { advertiser_id: ids[0], status: 'STATUS_DISABLE' },
    });
    const sign = (secret: string, t = Math.floor(Date.now() / 1000)) =>
      `t=${t},s=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
    expect((await post(body)).status).toBe(401);
    expect((await post(body, sign('not-the-secret'))).status).toBe(401);
    expect((await post(body, sign(stack.app.secret, Math.floor(Date.now() / 1000) - 3600))).status).toBe(401);
    expect((await post('<html>502 Bad Gateway</html>', sign(stack.app.secret))).status).toBe(400);
    expect((await post('x'.repeat(300 * 1024))).status).toBe(413);
    expect((await accountIncidents()).some((i) => (i.subject as { id: string }).id === ids[0])).toBe(false);
    // The genuine article is taken in.
    expect((await post(body, sign(stack.app.secret))).status).toBe(200);
    expect((await accountIncidents()).some((i) => (i.subject as { id: string }).id === ids[0])).toBe(true);
  });

  it('opens TikTok’s own incident from its status push and its feed, and names it', async () => {
    await stack.emulator.control.fault({
      type: 'statusIncident',
      id: 'inc-42',
      title: 'Marketing API errors',
    });
    const platform = await until(
      async () => (await stack.services.incidents.list()).find((i) => i.kind === 'outage'),
      (found) => found !== undefined,
    );
    expect(platform!.summary).toBe(
      'TikTok reports an incident on its API status page: Marketing API errors (Major Disruption).',
    );
    await until(
      () => stack.services.platform.list(),
      (list) => list.length === 1,
    );
    expect(await stack.services.platform.poll()).toBe(0); // the feed says what the push said
    // The push of the end is lost: the feed tells it.
    await stack.emulator.control.fault({ type: 'pushDeliveries', lose: true });
    await stack.emulator.control.fault({
      type: 'statusIncident',
      id: 'inc-42',
      title: 'Marketing API errors',
      state: 'resolved',
    });
    expect(await stack.services.platform.poll()).toBe(1);
    await stack.emulator.control.fault({ type: 'pushDeliveries', lose: false });
    const shown = (await stack.services.incidents.show(platform!.id)) as { recovering_since: string | null };
    expect(shown.recovering_since).not.toBeNull();
    const status = await stack.api('GET', '/api/v1/tiktok/status');
    expect(status.body.incidents[0]).toMatchObject({
      id: 'inc-42',
      state: 'resolved',
      level: 'MAJOR_DISRUPTION',
    });
  });

  it('re-subscribes after a re-auth, and reconciliation drops what a revoked token ended', async () => {
    const before = (await stack.services.push.list()).filter((s) => s.connection_id === connectionId);
    await stack.emulator.control.fault({ type: 'revokeToken', advertiserId: ids[0] });
    const reconciled = await stack.services.push.reconcile();
    expect(reconciled.kept).toBe(1); // the app's status subscription
    expect((await stack.services.push.list()).filter((s) => s.connection_id === connectionId)).toEqual([]);
    await stack.services.monitor.probe(connectionId, 'test');
    const link = await stack.services.connections.reauthLink(connectionId);
    await stack.consent(link.url, { advertiserIds: ids });
    const after = await until(
      async () => (await stack.services.push.list()).filter((s) => s.connection_id === connectionId),
      (list) => list.length === 3,
    );
    expect(after.map((s) => s.subscription_id)).not.toContain(before[0]!.subscription_id);
  });
});
