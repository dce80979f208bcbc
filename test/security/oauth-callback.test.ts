import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../service/stack.ts';
import { trial } from '../support/trials.ts';

let offset = 0;
const now = () => Date.now() + offset;

async function count(stack: Stack, table: string): Promise<number> {
  const result = await sql
    .raw<{ n: number }>(`select count(*)::int as n from ${table}`)
    .execute(stack.database.db);
  return result.rows[0]!.n;
}

describe('OAuth callback safety', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('pglite', { now });
  });
  afterAll(() => stack?.close());

  const startUrl = () => `${stack.address}/connect/tiktok?app=${stack.app.app_id}`;
  const someAdvertiser = () =>
    stack.tiktok.world.advertisers.find((a) => a.app_ids.includes(stack.app.app_id))!.advertiser_id;

  it('refuses a forged state and stores nothing', async () => {
    trial('security', {
      area: 'OAuth: State',
      tried: 'a callback with a state adwarden never issued',
      expected: 'refused (400), nothing stored',
    });
    const page = await stack.visit(
      `${stack.address}/oauth/tiktok/callback?auth_code=abc&state=forged-state-value`,
    );
    expect(page.status).toBe(400);
    expect(page.html).toContain('was not issued by adwarden');
    expect(await count(stack, 'connections')).toBe(0);
  });

  it('refuses a callback without a state', async () => {
    trial('security', { area: 'OAuth: State', tried: 'a callback with no state', expected: 'refused (400)' });
    const page = await stack.visit(`${stack.address}/oauth/tiktok/callback?auth_code=abc`);
    expect(page.status).toBe(400);
    expect(page.html).toContain('no state parameter');
  });

  it('accepts a state once: the replayed callback is refused and the connection is stored once', async () => {
    trial('security', {
      area: 'OAuth: State',
      tried: 'a real callback replayed',
      expected: 'the replay is refused (400); one connection stored',
    });
    const { redirect, page } = await stack.consent(startUrl(), { advertiserIds: [someAdvertiser()] });
    expect(page.html).toContain('Connected');
    const replay = await stack.visit(redirect);
    expect(replay.status).toBe(400);
    expect(replay.html).toContain('already used once');
    expect(await count(stack, 'connections')).toBe(1);
  });

  it('refuses a state older than 10 minutes', async () => {
    trial('security', {
      area: 'OAuth: State',
      tried: 'a real state used 10 minutes and 1 second after it was issued',
      expected: 'refused as expired (400), nothing stored',
    });
    const start = await stack.visit(startUrl());
    const state = new URL(start.location!).searchParams.get('state')!;
    offset = 10 * 60_000 + 1_000;
    try {
      const page = await stack.visit(`${stack.address}/oauth/tiktok/callback?auth_code=abc&state=${state}`);
      expect(page.status).toBe(400);
      expect(page.html).toContain('more than 10 minutes old');
    } finally {
      offset = 0;
    }
    expect(await count(stack, 'connections')).toBe(1);
  });

  it('shows a clear page when the person cancels, and stores nothing', async () => {
    trial('security', {
      area: 'OAuth: Callback',
      tried: 'a cancelled consent',
      expected: 'a clear page, nothing stored',
    });
    const { page } = await stack.consent(startUrl(), { cancel: true });
    expect(page.html).toContain('Authorization cancelled');
    expect(await count(stack, 'connections')).toBe(1);
  });

  it('explains how to grant advertisers when none were chosen, and keeps nothing half-stored', async () => {
    trial('security', {
      area: 'OAuth: Callback',
      tried: 'a consent granting zero advertisers',
      expected: 'an explaining page; the token revoked at TikTok; nothing stored',
    });
    const tokensBefore = await count(stack, 'connection_tokens');
    const { page } = await stack.consent(startUrl(), { advertiserIds: [] });
    expect(page.html).toContain('No advertiser accounts were granted');
    expect(page.html).toContain('Business Center admin');
    expect(await count(stack, 'connections')).toBe(1);
    expect(await count(stack, 'connection_tokens')).toBe(tokensBefore);
    const world = await stack.emulator.control.state();
    const empty = world.tokens.filter(
      (t) => t.app_id === stack.app.app_id && t.advertiser_ids.length === 0 && t.regime === 'advertiser',
    );
    expect(empty.every((t) => t.status !== 'active')).toBe(true);
  });

  it('reports an auth code TikTok refuses, and stores nothing', async () => {
    trial('security', {
      area: 'OAuth: Callback',
      tried: 'a valid state with an auth code TikTok refuses',
      expected: "TikTok's 40110 shown (502), nothing stored",
    });
    const start = await stack.visit(startUrl());
    const state = new URL(start.location!).searchParams.get('state')!;
    const page = await stack.visit(
      `${stack.address}/oauth/tiktok/callback?auth_code=not-a-code&state=${state}`,
    );
    expect(page.status).toBe(502);
    expect(page.html).toContain('40110');
    expect(await count(stack, 'connections')).toBe(1);
  });

  it('refuses an unknown or used re-auth link', async () => {
    trial('security', { area: 'OAuth: Re-auth links', tried: 'an unknown re-auth link', expected: '404' });
    expect((await stack.visit(`${stack.address}/reauth/not-a-link`)).status).toBe(404);
  });
  it('sends TikTok only the registered redirect URI, whatever the request carries', async () => {
    trial('security', {
      area: 'OAuth: redirect URI',
      tried: 'connect requests carrying redirect_uri, redirect and return_to parameters that point elsewhere',
      expected:
        'TikTok is always sent the app’s registered callback; no parameter of ours redirects off-site',
      times: 3,
    });
    const registered = (await stack.api('GET', `/api/v1/apps`)).body.apps.find(
      (a: { app_id: string }) => a.app_id === stack.app.app_id,
    ).redirect_uri;
    expect(registered).toBe(`${stack.address}/oauth/tiktok/callback`);
    for (const param of ['redirect_uri', 'redirect', 'return_to']) {
      const start = await stack.visit(
        `${startUrl()}&${param}=${encodeURIComponent('https://evil.example/cb')}`,
      );
      expect(start.status).toBe(302);
      const portal = new URL(start.location!);
      expect(portal.origin).toBe(new URL(stack.emulator.url).origin);
      expect(portal.searchParams.get('redirect_uri')).toBe(registered);
      expect(start.location).not.toContain('evil.example');
    }
  });

  it('is refused by TikTok when the app’s redirect URI is not on TikTok’s allow-list', async () => {
    trial('security', {
      area: 'OAuth: redirect URI',
      tried:
        'consent for an app whose callback is not registered in TikTok’s portal (the emulator’s allow-list)',
      expected: 'TikTok refuses to issue a code; nothing reaches our callback',
    });
    const other = `${stack.address}/elsewhere/callback`;
    await stack.services.apps.register({
      app_id: stack.app.app_id,
      secret: stack.app.secret,
      environment: stack.app.environment,
      base_url: stack.emulator.url,
      redirect_uri: other,
    });
    try {
      const start = await stack.visit(startUrl());
      const portal = new URL(start.location!);
      expect(portal.searchParams.get('redirect_uri')).toBe(other);
      const refused = await fetch(`${portal.origin}/portal/auth`, {
        method: 'POST',
        redirect: 'manual',
        body: new URLSearchParams({
          app_id: stack.app.app_id,
          state: portal.searchParams.get('state')!,
          redirect_uri: other,
          decision: 'authorize',
          advertiser_ids: someAdvertiser(),
        }),
      });
      expect(refused.status).toBe(400);
      expect(await refused.text()).toContain('is not registered');
    } finally {
      await stack.services.apps.register({
        app_id: stack.app.app_id,
        secret: stack.app.secret,
        environment: stack.app.environment,
        base_url: stack.emulator.url,
        redirect_uri: `${stack.address}/oauth/tiktok/callback`,
      });
    }
  });

  it('returns a person only to a local path after sign-in', async () => {
    const hostile = [
      '//evil.example/x',
      'https://evil.example/',
      '/\\evil.example',
      'javascript:alert(1)',
      '/login?next=//evil.example',
    ];
    trial('security', {
      area: 'Sign-in',
      tried:
        'sign-in with next= set to other sites, protocol-relative and backslash URLs, javascript: and a loop back to /login',
      expected: 'each lands on / (a local path), never off-site',
      times: hostile.length,
    });
    await stack.services.users.createUser({ email: 'next@example.com', password: 'a long enough password' });
    for (const next of hostile) {
      const response = await fetch(`${stack.address}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          email: 'next@example.com',
          password: 'a long enough password',
          next,
        }).toString(),
      });
      expect(response.status, next).toBe(303);
      expect(response.headers.get('location'), next).toBe('/');
    }
  });
});
