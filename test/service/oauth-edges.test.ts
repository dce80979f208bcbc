import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './stack.ts';

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
    const page = await stack.visit(
      `${stack.address}/oauth/tiktok/callback?auth_code=abc&state=forged-state-value`,
    );
    expect(page.status).toBe(400);
    expect(page.html).toContain('was not issued by adwarden');
    expect(await count(stack, 'connections')).toBe(0);
  });

  it('refuses a callback without a state', async () => {
    const page = await stack.visit(`${stack.address}/oauth/tiktok/callback?auth_code=abc`);
    expect(page.status).toBe(400);
    expect(page.html).toContain('no state parameter');
  });

  it('accepts a state once: the replayed callback is refused and the connection is stored once', async () => {
    const { redirect, page } = await stack.consent(startUrl(), { advertiserIds: [someAdvertiser()] });
    expect(page.html).toContain('Connected');
    const replay = await stack.visit(redirect);
    expect(replay.status).toBe(400);
    expect(replay.html).toContain('already used once');
    expect(await count(stack, 'connections')).toBe(1);
  });

  it('refuses a state older than 10 minutes', async () => {
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
    const { page } = await stack.consent(startUrl(), { cancel: true });
    expect(page.html).toContain('Authorization cancelled');
    expect(await count(stack, 'connections')).toBe(1);
  });

  it('explains how to grant advertisers when none were chosen, and keeps nothing half-stored', async () => {
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
    expect((await stack.visit(`${stack.address}/reauth/not-a-link`)).status).toBe(404);
  });
});

describe('verifyToken tells causes apart', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('pglite');
  });
  afterAll(() => stack?.close());

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
    expect(check).toMatchObject({
      status: 'needs_reauth',
      verification: { status: 'wrong_environment', token_environment: 'sandbox' },
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
});
