import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from './emulator/helpers.ts';

const BIN = fileURLToPath(new URL('../bin/adwarden.js', import.meta.url));

describe('adwarden serve with the management commands, as separate processes', () => {
  let tiktok: Awaited<ReturnType<typeof startEmulator>>;
  let serve: ChildProcess;
  let url: string;
  const dataDir = mkdtempSync(join(tmpdir(), 'adwarden-cli-'));
  let env: Record<string, string>;

  // Asynchronous on purpose: the emulator lives in this process and must keep answering meanwhile.
  const adwarden = (args: string[], input = '') =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, ...args], { env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(input);
    });
  const json = async (args: string[], input?: string) => {
    const run = await adwarden([...args, '--json'], input);
    expect(run.code, run.stderr).toBe(0);
    return JSON.parse(run.stdout);
  };

  beforeAll(async () => {
    tiktok = await startEmulator();
    env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      ADWARDEN_DATA_DIR: dataDir,
      ADWARDEN_PORT: '0',
      ADWARDEN_TIKTOK_APP_ID: tiktok.production.app_id,
      ADWARDEN_TIKTOK_APP_SECRET: tiktok.production.secret,
      ADWARDEN_TIKTOK_BASE_URL: tiktok.emulator.url,
    };
    serve = spawn(process.execPath, [BIN, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      serve.stdout!.on('data', (chunk) => {
        out += chunk;
        const match = /serving at (http:\/\/\S+)/.exec(out);
        if (match) resolve(match[1]!);
      });
      serve.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
    });
  }, 60_000);

  afterAll(async () => {
    if (serve && serve.exitCode === null) {
      serve.kill('SIGTERM');
      await new Promise((resolve) => serve.on('exit', resolve));
    }
    await tiktok?.emulator.close();
  });

  it('serves /healthz and refuses the API without a key', async () => {
    expect(await (await fetch(`${url}/healthz`)).json()).toMatchObject({ status: 'ok', database: 'pglite' });
    const refused = await fetch(`${url}/api/v1/connections`);
    expect(refused.status).toBe(401);
    const wrong = await fetch(`${url}/api/v1/connections`, {
      headers: { authorization: 'Bearer adw_wrong' },
    });
    expect(wrong.status).toBe(401);
  });

  it('refuses a second process on the same data dir, naming the holder', async () => {
    for (const args of [['serve'], ['migrate']]) {
      const run = await adwarden(args);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`in use by "adwarden serve" (pid ${serve.pid}`);
      expect(run.stderr).toContain(url);
      expect(run.stderr).toContain('ADW_DATA_DIR_LOCKED');
    }
  });

  it('manages apps and connections through the running service', async () => {
    const apps = await json(['apps', 'list']);
    expect(apps.map((a: { app_id: string }) => a.app_id)).toContain(tiktok.production.app_id);
    await tiktok.emulator.control.allowRedirectUri(tiktok.production.app_id, `${url}/oauth/tiktok/callback`);
    const added = await json(
      [
        'apps',
        'add',
        '--app-id',
        tiktok.sandbox.app_id,
        '--secret',
        '-',
        '--environment',
        'sandbox',
        '--base-url',
        tiktok.emulator.sandboxUrl,
      ],
      tiktok.sandbox.secret,
    );
    expect(added).toMatchObject({
      created: true,
      app: { app_id: tiktok.sandbox.app_id, environment: 'sandbox' },
    });
    expect(JSON.stringify(added)).not.toContain(tiktok.sandbox.secret);

    // A person connects one advertiser through the consent page.
    // Starting a connection takes an operator: here the local admin token.
    const admin = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
    const start = await fetch(`${url}/connect/tiktok?app=${tiktok.production.app_id}`, {
      redirect: 'manual',
      headers: { authorization: `Bearer ${admin}` },
    });
    const portal = new URL(start.headers.get('location')!);
    const advertiser = tiktok.world.advertisers.find((a) =>
      a.app_ids.includes(tiktok.production.app_id),
    )!.advertiser_id;
    const form = new URLSearchParams({
      app_id: portal.searchParams.get('app_id')!,
      state: portal.searchParams.get('state')!,
      redirect_uri: portal.searchParams.get('redirect_uri')!,
      decision: 'authorize',
      advertiser_ids: advertiser,
    });
    const granted = await fetch(`${portal.origin}/portal/auth`, {
      method: 'POST',
      body: form,
      redirect: 'manual',
    });
    expect(await (await fetch(granted.headers.get('location')!)).text()).toContain('Connected: healthy');

    const [connection] = await json(['connections', 'list']);
    expect(connection).toMatchObject({
      status: 'healthy',
      regime: 'advertiser',
      advertisers: 1,
      expiries: { access_token: null },
    });
    expect(await json(['connections', 'check', connection.id])).toMatchObject({
      status: 'healthy',
      live: true,
      verification: { status: 'valid' },
    });

    const token = (await tiktok.emulator.control.state()).tokens
      .filter((t) => t.advertiser_ids.includes(advertiser) && t.status === 'active')
      .at(-1)!;
    await tiktok.emulator.control.fault({ type: 'revokeToken', token: token.access_token, by: 'bc_admin' });
    // serve runs the monitor too: it may find the revoked token first; either way the check says so.
    const checked = await json(['connections', 'check', connection.id]);
    expect(checked.status).toBe('needs_reauth');
    if (checked.live) expect(checked.diagnosis).toMatchObject({ kind: 'auth_invalid' });
    const link = await adwarden(['connections', 'reauth-link', connection.id]);
    expect(link.stdout).toMatch(new RegExp(`^${url}/reauth/\\S+`));

    const revoked = await json(['connections', 'revoke', connection.id]);
    expect(revoked).toMatchObject({ status: 'revoked' });
    const unknown = await adwarden(['connections', 'check', 'con_nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no connection con_nope.*ADW_NOT_FOUND/);
  });

  it('lists incidents and hands out a dashboard sign-in link through the running service', async () => {
    expect(Array.isArray(await json(['incidents', 'list', '--state', 'open,resolved']))).toBe(true);
    const link = await json(['users', 'login-link']);
    expect(link.url).toMatch(new RegExp(`^${url}/login/link/[\\w-]+$`));
    const landed = await fetch(link.url, { redirect: 'manual' });
    expect(landed.status).toBe(303);
    expect(landed.headers.get('set-cookie')).toMatch(/^adw_session=/);
    const missing = await adwarden(['incidents', 'show', 'inc_nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no incident inc_nope/);
  });

  it('sets up clients, invitations, channels, API keys and users through the running service', async () => {
    const client = await json(['clients', 'add', '--name', 'Northwind']);
    expect(client).toMatchObject({ name: 'Northwind', connections: 0 });
    const invitation = await json(['clients', 'invite', client.id, '--days', '3']);
    expect(invitation.url).toMatch(new RegExp(`^${url}/invite/[\\w-]{40,}$`));
    expect((await fetch(invitation.url)).status).toBe(200);
    expect((await json(['clients', 'list'])).map((c: { name: string }) => c.name)).toEqual(['Northwind']);
    // A webhook to a private address is refused (SSRF guard), with the reason.
    const refused = await adwarden([
      'channels',
      'add',
      '--name',
      'ops',
      '--kind',
      'webhook',
      '--endpoint',
      'http://127.0.0.1:9/hook',
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/invalid channel: url/);
    const channel = await json([
      'channels',
      'add',
      '--name',
      'ops',
      '--kind',
      'webhook',
      '--endpoint',
      'https://hooks.example.com/adwarden',
      '--labels',
      `client=${client.id}`,
    ]);
    expect(channel).toMatchObject({ name: 'ops', kind: 'webhook' });
    expect(channel.signing_secret).toMatch(/^whsec_/);
    expect((await json(['channels', 'list'])).map((c: { name: string }) => c.name)).toContain('ops');
    expect(await json(['channels', 'remove', channel.id])).toBeTruthy();
    const key = await json(['api-keys', 'create', '--name', 'reporting', '--scope', 'read']);
    expect(key.key).toMatch(/^adw_/);
    expect(
      (await fetch(`${url}/api/v1/connections`, { headers: { authorization: `Bearer ${key.key}` } })).status,
    ).toBe(200);
    await json(['api-keys', 'revoke', key.id]);
    expect(
      (await fetch(`${url}/api/v1/connections`, { headers: { authorization: `Bearer ${key.key}` } })).status,
    ).toBe(401);
    const user = await json(['users', 'add', '--email', 'north@agency.example', '--clients', client.id]);
    expect(user).toMatchObject({ email: 'north@agency.example', client_ids: [client.id] });
    const bad = await adwarden(['channels', 'add', '--name', 'x', '--kind', 'pigeon']);
    expect(bad.code).toBe(2);
  });

  it('opens the data dir itself once the service has stopped', async () => {
    serve.kill('SIGTERM');
    await new Promise((resolve) => serve.on('exit', resolve));
    const connections = await json(['connections', 'list']);
    expect(connections).toHaveLength(1);
    expect(connections[0].status).toBe('revoked');
    expect(await json(['migrate'])).toMatchObject({ database: 'pglite', applied: [] });
  });
});
