import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../service/stack.ts';
import { trial } from '../support/trials.ts';

const DAY = 86_400_000;

/** Clients and connect invitations: what an invitation can do, and what a limited operator can see. */
describe('clients and invitations', () => {
  let stack: Stack;
  let offset = 0;
  const now = () => Date.now() + offset;
  let clientA: string;
  let clientB: string;
  let advertisers: string[];

  beforeAll(async () => {
    stack = await startStack('pglite', { now });
    clientA = (await stack.services.clients.create({ name: 'Northwind' })).id;
    clientB = (await stack.services.clients.create({ name: 'Contoso' })).id;
    advertisers = (await stack.emulator.control.state()).advertisers
      .filter((a) => a.app_ids.includes(stack.app.app_id))
      .map((a) => a.advertiser_id);
  }, 60_000);
  afterAll(() => stack?.close());

  const invite = (clientId: string, days = 7) =>
    stack.services.clients.invite(clientId, { app_id: stack.app.app_id, days }, 'ops@agency.example');
  const tokenOf = (url: string) => url.split('/invite/')[1]!;
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${stack.address}${path}`, { headers, redirect: 'manual' });

  it('connects a client’s accounts through its invitation, signed out, under that client', async () => {
    trial('security', {
      area: 'Connect invitations',
      tried: 'a client’s person opens the invitation without an adwarden account and consents at TikTok',
      expected:
        'the connection is made under that client; the invitation opens nothing else (dashboard and API refuse)',
    });
    const invitation = await invite(clientA);
    const shown = await get(`/invite/${tokenOf(invitation.url)}`);
    expect(shown.status).toBe(200);
    const html = await shown.text();
    expect(html).toContain('ops@agency.example invites Northwind');
    expect(html).toContain(stack.app.app_id === '' ? '' : 'Continue to TikTok');
    const { page } = await stack.consent(`${stack.address}/invite/${tokenOf(invitation.url)}/start`, {
      advertiserIds: [advertisers[0]!],
    });
    expect(page.html).toContain('Connected');
    const made = (await stack.services.connections.list()).at(-1)!;
    expect(made.client_id).toBe(clientA);
    // The link grants no dashboard or API access, whichever way it is presented.
    const token = tokenOf(invitation.url);
    expect((await get('/')).status).toBe(303);
    expect((await get('/api/v1/connections', { authorization: `Bearer ${token}` })).status).toBe(401);
    expect((await get('/connections', { cookie: `adw_session=${token}` })).status).toBe(303);
    expect((await stack.services.clients.invitations(clientA))[0]!.uses).toBe(1);
  });

  it('refuses an invitation that is revoked, expired or unknown', async () => {
    trial('security', {
      area: 'Connect invitations',
      tried: 'a revoked invitation, one past its expiry, and a made-up token, opened and started',
      expected: '410 for revoked and expired, 404 for unknown; none reaches TikTok’s consent',
    });
    const revoked = await invite(clientA);
    await stack.services.clients.revokeInvitation(revoked.id);
    const expiring = await invite(clientA, 1);
    offset += 2 * DAY;
    try {
      for (const [url, status] of [
        [revoked.url, 410],
        [expiring.url, 410],
        [`${stack.address}/invite/made-up-token`, 404],
      ] as const) {
        const token = tokenOf(url);
        expect((await get(`/invite/${token}`)).status, url).toBe(status);
        const start = await get(`/invite/${token}/start`);
        expect(start.status).toBe(status);
        expect(start.headers.get('location')).toBeNull();
      }
    } finally {
      offset = 0;
    }
  });

  it('shows an operator limited to one client nothing of another, in the API and the pages', async () => {
    trial('security', {
      area: 'Client scoping',
      tried:
        'an operator limited to Northwind reads lists, another client’s connection and incident by id, and changes outside its scope',
      expected:
        'lists hold Northwind’s only; another client’s things answer 404; admin changes and settings 403',
    });
    // A connection of the other client, with an incident.
    const other = await invite(clientB);
    await stack.consent(`${stack.address}/invite/${tokenOf(other.url)}/start`, {
      advertiserIds: [advertisers[1]!],
    });
    const otherConnection = (await stack.services.connections.list()).find((c) => c.client_id === clientB)!;
    await stack.emulator.control.fault({ type: 'revokeToken', advertiserId: advertisers[1]! });
    await stack.services.monitor.probe(otherConnection.id, 'test');
    const otherIncident = (await stack.services.incidents.list()).find(
      (i) => (i.subject as { connectionId?: string }).connectionId === otherConnection.id,
    )!;
    expect(otherIncident).toBeDefined();

    await stack.services.users.createUser({ email: 'north@agency.example', clientIds: [clientA] });
    const link = await stack.services.users.loginLink('north@agency.example');
    const landed = await fetch(link.url, { redirect: 'manual' });
    const cookie = landed.headers.get('set-cookie')!.split(';')[0]!;
    const as = (path: string) => get(path, { cookie });

    const connections = (await (await as('/api/v1/connections')).json()) as {
      connections: Array<{ client_id: string }>;
    };
    expect(connections.connections.length).toBeGreaterThan(0);
    expect(connections.connections.every((c) => c.client_id === clientA)).toBe(true);
    const incidents = (await (
      await as('/api/v1/incidents?state=open,acknowledged,resolved,muted')
    ).json()) as {
      incidents: Array<{ id: string }>;
    };
    expect(incidents.incidents.map((i) => i.id)).not.toContain(otherIncident.id);
    for (const path of [
      `/api/v1/connections/${otherConnection.id}`,
      `/connections/${otherConnection.id}`,
      `/api/v1/incidents/${otherIncident.id}`,
      `/incidents/${otherIncident.id}`,
      `/api/v1/clients/${clientB}/invitations`,
    ])
      expect((await as(path)).status, path).toBe(404);
    const pages = await Promise.all(
      ['/connections', '/incidents?state=open,acknowledged,muted,resolved', '/clients', '/'].map(async (p) =>
        (await as(p)).text(),
      ),
    );
    for (const html of pages) {
      expect(html).not.toContain(otherConnection.id);
      expect(html).not.toContain('Contoso');
    }
    expect((await as('/settings')).status).toBe(403);
    expect((await as('/api/v1/apps')).status).toBe(403);
    expect((await as('/api/v1/videos')).status).toBe(403);
    expect((await as('/api/v1/tiktok/subscriptions')).status).toBe(403);
    const write = await fetch(`${stack.address}/api/v1/clients`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', origin: stack.address },
      body: JSON.stringify({ name: 'Mine now' }),
    });
    expect(write.status).toBe(403);
  });
});
