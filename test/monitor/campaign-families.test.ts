import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../service/stack.ts';

/** Campaign watch over every family: classic, upgraded Smart+ and GMV Max (fact sheet §10). */
describe('campaign watch of Smart+ and GMV Max', () => {
  let stack: Stack;
  let connectionId: string;
  let ids: string[];

  beforeAll(async () => {
    stack = await startStack('pglite');
    // The seed's second advertiser runs Smart+, its third GMV Max.
    ids = (await stack.emulator.control.state()).advertisers
      .filter((a) => a.app_ids.includes(stack.app.app_id))
      .slice(0, 3)
      .map((a) => a.advertiser_id);
    await stack.consent(`${stack.address}/connect/tiktok?app=${stack.app.app_id}`, { advertiserIds: ids });
    connectionId = (await stack.services.connections.list()).at(-1)!.id;
  }, 60_000);
  afterAll(() => stack?.close());

  const delivery = async () =>
    (await stack.services.incidents.list()).filter((i) => i.kind === 'delivery' && i.state !== 'resolved');

  it('finds a rejected Smart+ ad with TikTok’s reason and a GMV Max campaign that stopped', async () => {
    await stack.emulator.control.fault({
      type: 'rejectAd',
      family: 'smart_plus',
      advertiserId: ids[1],
      reason: 'Unverified health claim',
    });
    await stack.emulator.control.fault({ type: 'exceedBudget', family: 'gmv_max', advertiserId: ids[2] });
    const watched = await stack.services.monitor.watch(connectionId);
    expect(watched.findings).toBe(2);
    const found = await delivery();
    const smart = found.find((i) => /^Smart\+ ad /.test(i.summary))!;
    expect(smart.summary).toMatch(/rejected in review \(AD_STATUS_AUDIT_DENY: Unverified health claim\)/);
    expect((smart.subject as { advertiserId?: string }).advertiserId).toBe(ids[1]);
    const gmv = found.find((i) => /^GMV Max campaign /.test(i.summary))!;
    expect(gmv.summary).toMatch(/has spent its budget; it stopped delivering/);
    expect(gmv.severity).toBe('medium');
  });

  it('a refused GMV Max listing is a permission incident; the classic watch goes on and nothing is declared recovered', async () => {
    await stack.emulator.control.fault({
      type: 'withdrawPermission',
      path: '/gmv_max/campaign/get/',
      advertiserId: ids[2],
    });
    await stack.emulator.control.fault({ type: 'rejectAd', advertiserId: ids[2] });
    await stack.services.monitor.watch(connectionId);
    const permission = (await stack.services.incidents.list()).find((i) => i.kind === 'permission')!;
    expect(permission.summary).toContain('GET /gmv_max/campaign/get/');
    const found = await delivery();
    expect(found.some((i) => /^Ad .* rejected in review/.test(i.summary))).toBe(true);
    // The GMV Max campaign could not be read: its incident is not taken for recovered.
    const gmv = found.find((i) => /^GMV Max campaign /.test(i.summary))!;
    expect(
      (await stack.services.incidents.show(gmv.id)) as { recovering_since: string | null },
    ).toMatchObject({
      recovering_since: null,
    });
  });

  it('recovers once the families deliver again', async () => {
    await stack.emulator.control.clearFaults();
    await stack.emulator.control.fault({ type: 'restoreDelivery' });
    await stack.services.monitor.watch(connectionId);
    for (const incident of await delivery())
      expect(
        ((await stack.services.incidents.show(incident.id)) as { recovering_since: string | null })
          .recovering_since,
        incident.summary,
      ).not.toBeNull();
  });

  it('asks an advertiser without Smart+ or GMV Max for them once an hour, not every round', async () => {
    await stack.emulator.control.clearRequests();
    await stack.services.monitor.watch(connectionId);
    const paths = (await stack.emulator.control.requests()).map((r) => `${r.advertiserId} ${r.path}`);
    // Three advertisers: only the one running Smart+ is asked for Smart+, only the GMV Max one for GMV Max.
    expect(paths.filter((p) => p.endsWith('/smart_plus/campaign/get/'))).toEqual([
      `${ids[1]} /smart_plus/campaign/get/`,
    ]);
    expect(paths.filter((p) => p.endsWith('/gmv_max/campaign/get/'))).toEqual([
      `${ids[2]} /gmv_max/campaign/get/`,
    ]);
    expect(
      paths.filter(
        (p) => p.endsWith('/campaign/get/') && !p.includes('/smart_plus/') && !p.includes('/gmv_max/'),
      ),
    ).toHaveLength(3);
  });
});
