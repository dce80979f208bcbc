import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ControlState } from '../../src/emulator/index.ts';
import { type Json, list } from './helpers.ts';

const BIN = fileURLToPath(new URL('../../bin/adwarden.js', import.meta.url));
let child: ChildProcessWithoutNullStreams;
let origin: string;
let banner = '';

// The acceptance, exactly as a user runs it: `adwarden emulator --port P --seed demo`.
beforeAll(async () => {
  child = spawn(
    process.execPath,
    [BIN, 'emulator', '--port', '0', '--seed', 'demo', '--scenario', 'ad-rejected'],
    {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' },
    },
  );
  child.stdout.setEncoding('utf8');
  while (!/listening on (http:\/\/\S+)/.test(banner)) {
    const [chunk] = (await once(child.stdout, 'data')) as [string];
    banner += chunk;
  }
  origin = /listening on (http:\/\/\S+)/.exec(banner)![1]!;
}, 20_000);
afterAll(async () => {
  child.kill('SIGTERM');
  await once(child, 'exit');
});

const api = (path: string, init?: RequestInit) => fetch(`${origin}/open_api/v1.3${path}`, init);
const control = async (path: string, method = 'GET', body?: unknown): Promise<Json> => {
  const response = await fetch(`${origin}/__control${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  return response.json();
};

describe('adwarden emulator (the command)', () => {
  it('prints where everything is, including the scenario', () => {
    expect(banner).toMatch(/production API: http:\/\/127\.0\.0\.1:\d+\/open_api\/v1\.3\//);
    expect(banner).toMatch(/scenario: +ad-rejected \(4 steps\)/);
  });

  it('meets the acceptance: 40104, 404, control tokens, 40100 under load, request log, single-use auth codes', async () => {
    const noToken = await api('/advertiser/info/');
    expect(noToken.status).toBe(200);
    expect(((await noToken.json()) as Json).code).toBe(40104);
    expect((await api('/advertiser/info')).status).toBe(404);

    const world = (await control('/state')) as ControlState;
    const app = world.apps.find((a) => a.environment === 'production')!;
    const { access_token, advertiser_ids } = await control('/tokens', 'POST', { app_id: app.app_id });
    const call = () =>
      api(`/advertiser/info/?advertiser_ids=${list([advertiser_ids[0]])}`, {
        headers: { 'Access-Token': access_token },
      }).then((r) => r.json() as Promise<Json>);
    expect((await call()).code).toBe(0);

    await control('/requests', 'DELETE');
    const codes = (await Promise.all(Array.from({ length: 30 }, call))).map((b) => b.code);
    expect(codes).toContain(40100);
    const { requests } = await control('/requests');
    expect(requests).toHaveLength(30);
    expect(requests.filter((r: Json) => r.code === 40100)).toHaveLength(
      codes.filter((c) => c === 40100).length,
    );

    // A new second on the emulator clock, so the exchange is not throttled by the burst.
    await control('/clock', 'POST', { advanceMs: 1_000 });
    const { redirect } = await control('/authorize', 'POST', {
      app_id: app.app_id,
      redirect_uri: app.redirect_uris[0],
      state: 'st-1',
    });
    const code = new URL(redirect).searchParams.get('auth_code');
    const exchange = () =>
      api('/oauth2/access_token/', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ app_id: app.app_id, secret: app.secret, auth_code: code }),
      }).then((r) => r.json() as Promise<Json>);
    expect((await exchange()).code).toBe(0);
    expect((await exchange()).code).toBe(40110);
  });
});
