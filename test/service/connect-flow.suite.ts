import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allFiles } from '../support/files.ts';
import { type Engine, type Stack, startStack } from './stack.ts';

/** The end-to-end acceptance of connect → revoke → check → re-auth → replay, on one engine. */
export function connectFlowSuite(engine: Engine) {
  describe(`connect, verify and re-auth (${engine})`, () => {
    let stack: Stack;
    const seenTokens = new Set<string>();

    beforeAll(async () => {
      stack = await startStack(engine);
    });
    afterAll(async () => {
      await stack?.close();
    });

    async function tokensInEmulator() {
      const world = await stack.emulator.control.state();
      for (const t of world.tokens) seenTokens.add(t.access_token);
      return world.tokens;
    }

    it('connects through the consent page, seals the token, and reports the first probe', async () => {
      const advertiserIds = stack.tiktok.world.advertisers
        .filter((a) => a.app_ids.includes(stack.app.app_id))
        .slice(0, 3)
        .map((a) => a.advertiser_id);
      const { page } = await stack.consent(
        `${stack.address}/connect/tiktok?app=${stack.app.app_id}&owner=ops@example.com`,
        {
          advertiserIds,
        },
      );
      expect(page.status).toBe(200);
      expect(page.html).toContain('Connected: healthy');
      const list = await stack.api('GET', '/api/v1/connections');
      expect(list.body.connections).toHaveLength(1);
      const connection = list.body.connections[0];
      expect(connection).toMatchObject({
        status: 'healthy',
        app_id: stack.app.app_id,
        regime: 'advertiser',
        advertisers: 3,
        owner_contact: 'ops@example.com',
      });
      const shown = await stack.api('GET', `/api/v1/connections/${connection.id}`);
      expect(
        shown.body.connection.advertiser_list.map((a: { advertiser_id: string }) => a.advertiser_id).sort(),
      ).toEqual([...advertiserIds].sort());
      expect(shown.body.connection.advertiser_list[0].name).not.toBe(
        shown.body.connection.advertiser_list[0].advertiser_id,
      );
      await tokensInEmulator();
    });

    it('keeps no token plaintext in the database, the API or the logs', async () => {
      await tokensInEmulator();
      const ours = [...seenTokens].filter((t) => t.length > 8);
      expect(ours.length).toBeGreaterThan(0);
      const tables = [
        'tiktok_apps',
        'connections',
        'connection_tokens',
        'advertisers',
        'checks',
        'connection_events',
        'oauth_states',
        'reauth_links',
        'parked_calls',
        'api_keys',
      ];
      const dump: string[] = [];
      for (const table of tables) {
        const rows = await sql.raw(`select * from ${table}`).execute(stack.database.db);
        dump.push(JSON.stringify(rows.rows));
      }
      const responses = [
        (await stack.api('GET', '/api/v1/connections')).text,
        (await stack.api('GET', '/api/v1/apps')).text,
      ];
      const id = (await stack.api('GET', '/api/v1/connections')).body.connections[0].id;
      responses.push(
        (await stack.api('GET', `/api/v1/connections/${id}`)).text,
        (await stack.api('GET', `/api/v1/connections/${id}/history`)).text,
      );
      const haystacks = [
        ...dump,
        ...responses,
        stack.lines.join('\n'),
        ...allFiles(stack.dataDir).map((f) => f.bytes.toString('latin1')),
      ];
      for (const token of [...ours, stack.app.secret]) {
        for (const hay of haystacks) expect(hay.includes(token)).toBe(false);
      }
      expect(dump.join('')).toContain('adw1.');
    });

    it('tells a revoked token apart, parks the failed read, and repairs the same connection through the re-auth link', async () => {
      const connection = (await stack.api('GET', '/api/v1/connections')).body.connections[0];
      const [advertiserId] = (
        await stack.api('GET', `/api/v1/connections/${connection.id}`)
      ).body.connection.advertiser_list.map((a: { advertiser_id: string }) => a.advertiser_id);
      const tokens = await tokensInEmulator();
      const live = tokens.filter(
        (t) =>
          t.status === 'active' && t.app_id === stack.app.app_id && t.advertiser_ids.includes(advertiserId),
      );
      await stack.emulator.control.fault({
        type: 'revokeToken',
        token: live.at(-1)!.access_token,
        by: 'user',
      });

      await expect(
        stack.services.connections.call(connection.id, 'GET', '/advertiser/info/', {
          query: { advertiser_ids: [advertiserId] },
        }),
      ).rejects.toMatchObject({ code: 40105 });
      await expect(
        stack.services.connections.call(connection.id, 'POST', '/ad/create/', {
          body: { advertiser_id: advertiserId, adgroup_id: '1', creatives: [] },
          advertiserId,
        }),
      ).rejects.toMatchObject({ code: 40105 });

      const check = await stack.api('POST', `/api/v1/connections/${connection.id}/check`);
      expect(check.body).toMatchObject({
        status: 'needs_reauth',
        verification: { status: 'revoked', needs_reauth: true },
        diagnosis: { kind: 'auth_invalid', code: 40105 },
      });

      const link = await stack.api('POST', `/api/v1/connections/${connection.id}/reauth-link`);
      expect(link.body.url).toMatch(/\/reauth\/[\w-]{40,}$/);
      const { page } = await stack.consent(link.body.url, { advertiserIds: [advertiserId] });
      expect(page.html).toContain('Reconnected: healthy');
      expect(page.html).toContain('1 replayed, 0 failed again, 1 left for a person');

      const after = (await stack.api('GET', `/api/v1/connections/${connection.id}`)).body.connection;
      expect(after.status).toBe('healthy');
      expect(after.tokens.map((t: { status: string }) => t.status)).toEqual(['revoked', 'active']);
      const byMethod = (a: { method: string }, b: { method: string }) => a.method.localeCompare(b.method);
      expect([...after.parked_calls].sort(byMethod)).toMatchObject([
        { method: 'GET', path: '/advertiser/info/', status: 'replayed' },
        { method: 'POST', path: '/ad/create/', replay_safe: false, status: 'skipped' },
      ]);
      expect((await stack.api('GET', '/api/v1/connections')).body.connections).toHaveLength(1);
      const history = (
        await stack.api('GET', `/api/v1/connections/${connection.id}/history`)
      ).body.events.map((e: { type: string }) => e.type);
      expect(history).toEqual(
        expect.arrayContaining([
          'connected',
          'call_parked',
          'needs_reauth',
          'reauth_link_created',
          'reauth_started',
          'reauthorized',
          'parked_calls_replayed',
        ]),
      );
      expect((await stack.visit(link.body.url)).status).toBe(410);
    });

    it('names a rotated app secret as the app’s problem, not the token’s', async () => {
      const connection = (await stack.api('GET', '/api/v1/connections')).body.connections[0];
      const rotated = await stack.emulator.control.fault({ type: 'rotateSecret', appId: stack.app.app_id });
      const check = await stack.api('POST', `/api/v1/connections/${connection.id}/check`);
      expect(check.body).toMatchObject({
        status: 'degraded',
        verification: { status: 'app_secret_rotated', needs_reauth: false },
        diagnosis: { kind: 'app_credentials', code: 40101 },
      });
      const newSecret = String(
        rotated.secret ??
          (await stack.emulator.control.state()).apps.find((a) => a.app_id === stack.app.app_id)!.secret,
      );
      await stack.api('POST', '/api/v1/apps', {
        app_id: stack.app.app_id,
        secret: newSecret,
        base_url: stack.emulator.url,
        redirect_uri: `${stack.address}/oauth/tiktok/callback`,
      });
      const again = await stack.api('POST', `/api/v1/connections/${connection.id}/check`);
      expect(again.body).toMatchObject({ status: 'healthy', verification: { status: 'valid' } });
    });
  });
}
