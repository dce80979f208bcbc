import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../service/stack.ts';

/**
 * Faults the shipped scenarios did not combine, each once wrong: a permission refusal in campaign
 * watch, one advertiser's /advertiser/info/ refusal among siblings, a token of the other environment,
 * and a re-auth whose code exchange fails.
 */
describe('the monitor under combined faults', () => {
  let stack: Stack;
  let offset = 0;
  const now = () => Date.now() + offset;

  beforeAll(async () => {
    stack = await startStack('pglite', { now });
  }, 60_000);
  afterAll(() => stack?.close());

  /** Connects the app's advertisers `from`..`from + count` as one connection; returns it and their ids. */
  async function connect(from: number, count: number) {
    const ids = (await stack.emulator.control.state()).advertisers
      .filter((a) => a.app_ids.includes(stack.app.app_id))
      .slice(from, from + count)
      .map((a) => a.advertiser_id);
    const { page } = await stack.consent(`${stack.address}/connect/tiktok?app=${stack.app.app_id}`, {
      advertiserIds: ids,
    });
    expect(page.html).toContain('Connected');
    const id = (await stack.services.connections.list()).at(-1)!.id;
    return { id, ids };
  }
  const incidentsOf = async (connectionId: string) =>
    (await stack.services.incidents.list()).filter(
      (i) => (i.subject as { connectionId?: string }).connectionId === connectionId,
    );

  it('keeps watching the other advertisers when one refuses GET /campaign/get/, and names it', async () => {
    const { id, ids } = await connect(0, 3);
    await stack.emulator.control.fault({
      type: 'withdrawPermission',
      path: '/campaign/get/',
      advertiserId: ids[0],
    });
    await stack.emulator.control.fault({ type: 'rejectAd', advertiserId: ids[1] });
    const watched = await stack.services.monitor.watch(id);
    expect(watched.advertisers).toBe(3);
    const found = await incidentsOf(id);
    const permission = found.find((i) => i.kind === 'permission')!;
    expect(permission.subject).toMatchObject({ type: 'advertiser', id: ids[0] });
    expect(permission.summary).toContain('GET /campaign/get/');
    expect(permission.fix.join(' ')).toMatch(/re-authorizes through the link/);
    const rejected = found.find((i) => i.kind === 'delivery' && /rejected in review/.test(i.summary))!;
    expect(rejected.subject).toMatchObject({ type: 'ad' });
    expect((rejected.subject as { advertiserId?: string }).advertiserId).toBe(ids[1]);
    // No probe was asked for: a refusal is not a dead token.
    expect((await stack.services.connections.show(id)).status).toBe('healthy');

    // Granted again: the next watch clears it (after the quiet period).
    await stack.emulator.control.clearFaults();
    await stack.services.monitor.watch(id);
    const after = (await stack.services.incidents.show(permission.id)) as { recovering_since: string | null };
    expect(after.recovering_since).not.toBeNull();
  });

  it('finds a disabled sibling while another advertiser refuses /advertiser/info/, and names the refusing one', async () => {
    const { id, ids } = await connect(3, 6);
    const [, refusing, , disabled] = ids;
    await stack.emulator.control.fault({
      type: 'withdrawPermission',
      path: '/advertiser/info/',
      advertiserId: refusing,
    });
    await stack.emulator.control.fault({
      type: 'suspendAccount',
      advertiserId: disabled!,
      status: 'STATUS_DISABLE',
    });
    const first = await stack.services.monitor.probe(id, 'test');
    const found = await incidentsOf(id);
    expect(found.find((i) => i.kind === 'account_status')!.subject).toMatchObject({ id: disabled });
    const permission = found.find((i) => i.kind === 'permission')!;
    expect(permission.subject).toMatchObject({ type: 'advertiser', id: refusing });
    expect(permission.summary).toContain('GET /advertiser/info/');
    // Found by splitting the refused batch: 1 token check, then 6 → 3 → 2 → 1 + 1, 1, and 3.
    expect(first.check).toMatchObject({ live: true, api_calls: 8 });
    // Known now: the refusing advertiser is read on its own, the others in one batch.
    const second = await stack.services.monitor.probe(id, 'test');
    expect(second.check).toMatchObject({ live: true, api_calls: 3 });
    expect((second.check as { account_status: { read: string[] } }).account_status.read.sort()).toEqual(
      ids.filter((a) => a !== refusing).sort(),
    );
    await stack.emulator.control.clearFaults();
  });

  it('keeps a token of the other environment, and recovers without re-auth once the app is registered right', async () => {
    const { id } = await connect(9, 1);
    const app = (await stack.emulator.control.state()).apps.find((a) => a.app_id === stack.app.app_id)!;
    await stack.emulator.control.fault({
      type: 'setEnvironment',
      appId: app.app_id,
      environment: 'sandbox',
    });
    try {
      const wrong = await stack.services.monitor.probe(id, 'test');
      expect(wrong.check!.verification).toMatchObject({ status: 'wrong_environment', needs_reauth: false });
      const shown = await stack.services.connections.show(id);
      expect(shown.status).toBe('degraded');
      expect(shown.tokens.filter((t) => t.status === 'active')).toHaveLength(1);
      expect(wrong.next_check_at).not.toBeNull(); // still swept
      const [environment] = (await incidentsOf(id)).filter((i) => i.kind === 'environment');
      expect(environment!.fix.join(' ')).toMatch(/--environment sandbox/);

      // The fix the incident gives: register the app in the environment its tokens belong to.
      await stack.services.apps.register({
        app_id: app.app_id,
        secret: app.secret,
        environment: 'sandbox',
        base_url: stack.emulator.sandboxUrl,
      });
      const healthy = await stack.services.monitor.probe(id, 'test');
      expect(healthy.check!.status).toBe('healthy');
      offset += 10 * 60_000; // past the quiet period
      await stack.services.incidents.tick();
      const resolved = await stack.services.incidents.show(environment!.id);
      expect(resolved.state).toBe('resolved');
      expect(resolved.actions.map((a: { text: string }) => a.text).join(' ')).not.toMatch(/re-auth link/);
      expect((await incidentsOf(id)).map((i) => i.kind)).not.toContain('auth');
    } finally {
      await stack.emulator.control.fault({
        type: 'setEnvironment',
        appId: app.app_id,
        environment: 'production',
      });
      await stack.services.apps.register({
        app_id: app.app_id,
        secret: app.secret,
        environment: 'production',
        base_url: stack.emulator.url,
      });
    }
  });

  it('retries a code exchange a gateway failed, and records one that keeps failing on the incident', async () => {
    const { id, ids } = await connect(10, 1);
    await stack.emulator.control.fault({ type: 'revokeToken', advertiserId: ids[0] });
    await stack.services.monitor.probe(id, 'test');
    const auth = (await incidentsOf(id)).find((i) => i.kind === 'auth' && i.state === 'open')!;
    expect(auth).toBeDefined();
    const link = await stack.services.connections.reauthLink(id);

    // Every exchange meets a gateway error page: the person is told, the incident records it.
    await stack.emulator.control.fault({
      type: 'gatewayHtml',
      status: 502,
      paths: ['/oauth2/access_token/'],
    });
    const failed = await stack.consent(link.url, { advertiserIds: ids });
    expect(failed.page.status).toBe(502);
    const timeline = (await stack.services.incidents.show(auth.id)).timeline.map(
      (e: { text: string }) => e.text,
    );
    expect(timeline.join('\n')).toMatch(
      /exchanging the authorization code for a token failed after 3 tries \(ADW_HTTP_SERVER_ERROR, ADW_HTTP_SERVER_ERROR, ADW_HTTP_SERVER_ERROR\)/,
    );
    const history = await stack.services.connections.history(id);
    expect(history.map((e) => e.type)).toContain('reauth_exchange_failed');
    await stack.emulator.control.clearFaults();

    // One gateway error, then TikTok answers: the same consent goes through on the second try.
    await stack.emulator.control.fault({
      type: 'gatewayHtml',
      status: 502,
      paths: ['/oauth2/access_token/'],
      times: 1,
    });
    const repaired = await stack.consent(link.url, { advertiserIds: ids });
    expect(repaired.page.status).toBe(200);
    expect((await stack.services.connections.show(id)).status).toBe('healthy');
    expect((await stack.services.incidents.show(auth.id)).state).toBe('resolved');
  });
});
