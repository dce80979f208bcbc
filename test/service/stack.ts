import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import { expect } from 'vitest';
import { createServices } from '../../src/app/index.ts';
import { loadConfig } from '../../src/config/index.ts';
import { type DatabaseHandle, openDatabase } from '../../src/db/index.ts';
import { createLogger } from '../../src/log/index.ts';
import { buildServer } from '../../src/server/index.ts';
import type { Services } from '../../src/services/index.ts';
import { Secret } from '../../src/vault/secret.ts';
import { startEmulator } from '../emulator/helpers.ts';

/** Which database a suite runs on. */
export type Engine = 'pglite' | 'postgres';

/** A fresh database: in-memory PGlite, or a private schema in the PostgreSQL of DATABASE_URL. */
export async function freshDatabase(engine: Engine): Promise<DatabaseHandle & { url?: string }> {
  if (engine === 'pglite') return openDatabase({ memory: true });
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error('the PostgreSQL suite needs DATABASE_URL');
  const schema = `t_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const handle = await openDatabase({ databaseUrl: new Secret(url.toString()) });
  return { ...handle, url: url.toString() };
}

/** Emulator + adwarden service on real HTTP, with the emulator's production app registered. */
export async function startStack(
  engine: Engine = 'pglite',
  options: {
    sandboxApp?: boolean;
    now?: () => number;
    dataDir?: string;
    /** Webhook sinks in tests listen on 127.0.0.1. @default true */
    allowPrivateDestinations?: boolean;
    /** PGlite in the data dir (its files can be read raw) instead of in memory. @default false */
    onDisk?: boolean;
    /** @default 'debug' */
    logLevel?: 'debug' | 'trace';
    /** More settings, as environment variables (e.g. ADWARDEN_SWEEP_INTERVAL). */
    env?: Record<string, string>;
    /** Emulator options (a start time, for a test on TikTok's clock). */
    emulator?: Parameters<typeof startEmulator>[0];
  } = {},
) {
  const tiktok = await startEmulator(options.emulator);
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'adwarden-stack-'));
  const lines: string[] = [];
  const logger = createLogger({
    level: options.logLevel ?? 'debug',
    destination: new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    }),
  });
  const database: DatabaseHandle & { url?: string } =
    options.onDisk && engine === 'pglite' ? await openDatabase({ dataDir }) : await freshDatabase(engine);
  const config = loadConfig({
    env: {
      ADWARDEN_DATA_DIR: dataDir,
      ADWARDEN_PORT: '0',
      ADWARDEN_ALLOW_PRIVATE_DESTINATIONS: String(options.allowPrivateDestinations ?? true),
      ADWARDEN_TIKTOK_STATUS_FEED: tiktok.emulator.statusFeedUrl,
      ...(engine === 'postgres'
        ? { ADWARDEN_SECRET_KEY: Buffer.alloc(32, 9).toString('base64'), DATABASE_URL: database.url! }
        : {}),
      ...options.env,
    },
  });
  const services: Services = await createServices(config, {
    command: 'test',
    logger,
    now: options.now,
    database,
    clientOptions: { retry: { maxAttempts: 2, delayScale: 0.01 } },
  });
  const server = buildServer(services);
  const address = await server.listen({ port: 0, host: '127.0.0.1' });
  services.setPublicUrl(address);
  const callback = `${address}/oauth/tiktok/callback`;
  const app = options.sandboxApp ? tiktok.sandbox : tiktok.production;
  await tiktok.emulator.control.allowRedirectUri(app.app_id, callback);
  await services.apps.register({
    app_id: app.app_id,
    secret: app.secret,
    environment: app.environment,
    base_url: app.environment === 'sandbox' ? tiktok.emulator.sandboxUrl : tiktok.emulator.url,
    redirect_uri: callback,
  });

  const adminToken = (await import('../../src/services/index.ts')).readAdminToken(dataDir)!.reveal();

  /** A person at a browser: follows redirects by hand so each hop can be checked. */
  async function visit(url: string) {
    // Starting a connection is an operator's action: the signed-in dashboard, or an API key.
    const operator = new URL(url).pathname === '/connect/tiktok';
    const response = await fetch(url, {
      redirect: 'manual',
      headers: operator ? { authorization: `Bearer ${adminToken}` } : {},
    });
    return {
      status: response.status,
      location: response.headers.get('location'),
      html: await response.text(),
    };
  }

  /** Opens a connect or re-auth link, consents on the emulator's page, and lands on our callback. */
  async function consent(startUrl: string, choice: { advertiserIds?: string[]; cancel?: boolean } = {}) {
    const start = await visit(startUrl);
    if (start.status !== 302 || !start.location)
      throw new Error(`expected a redirect to TikTok, got ${start.status}: ${start.html}`);
    const portal = new URL(start.location);
    await visit(portal.toString()); // the person sees the consent page
    const form = new URLSearchParams({
      app_id: portal.searchParams.get('app_id') ?? '',
      state: portal.searchParams.get('state') ?? '',
      redirect_uri: portal.searchParams.get('redirect_uri') ?? '',
      decision: choice.cancel ? 'cancel' : 'authorize',
    });
    for (const id of choice.advertiserIds ?? []) form.append('advertiser_ids', id);
    const granted = await fetch(`${portal.origin}/portal/auth`, {
      method: 'POST',
      body: form,
      redirect: 'manual',
    });
    const back = granted.headers.get('location');
    if (granted.status !== 302 || !back)
      throw new Error(`consent failed: ${granted.status} ${await granted.text()}`);
    return { redirect: back, page: await visit(back) };
  }

  /** Connects the app's first `count` advertisers, each as a connection of its own, through the consent page. */
  async function connectEach(count: number) {
    const advertisers = (await tiktok.emulator.control.state()).advertisers
      .filter((a) => a.app_ids.includes(app.app_id))
      .slice(0, count);
    for (const advertiser of advertisers)
      await consent(`${address}/connect/tiktok?app=${app.app_id}`, {
        advertiserIds: [advertiser.advertiser_id],
      });
    return advertisers.map((a) => a.advertiser_id);
  }

  async function api(method: 'GET' | 'POST', path: string, body?: unknown) {
    const response = await fetch(`${address}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${adminToken}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, text, body: JSON.parse(text) };
  }

  return {
    tiktok,
    emulator: tiktok.emulator,
    app,
    services,
    server,
    address,
    dataDir,
    database,
    lines,
    adminToken,
    visit,
    consent,
    connectEach,
    api,
    async close() {
      await server.close();
      await services.close();
      await database.close();
      await tiktok.emulator.close();
    },
  };
}

export type Stack = Awaited<ReturnType<typeof startStack>>;

/** Signs in through a one-time link and returns the session cookie and the page's CSRF token. */
export async function signIn(stack: Stack) {
  const link = await stack.services.users.loginLink();
  const landed = await fetch(link.url, { redirect: 'manual' });
  expect(landed.status).toBe(303);
  const cookie = landed.headers.get('set-cookie')!;
  expect(cookie).toMatch(/adw_session=[\w-]+; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Lax/);
  const session = cookie.split(';')[0]!;
  const page = await (await fetch(`${stack.address}/settings`, { headers: { cookie: session } })).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
  return { session, csrf };
}
