import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMonitor } from '../../src/app/index.ts';
import { outboxStore } from '../../src/db/index.ts';
import { keyFilePath } from '../../src/vault/key-file.ts';
import { type Stack, startStack } from '../service/stack.ts';
import { allFiles } from '../support/files.ts';
import { startSmtpProcess } from '../support/smtp-process.ts';
import { trial } from '../support/trials.ts';
import { eventually, startWebhookSink } from '../support/webhook-sink.ts';

/** Where a secret may legitimately appear (it was shown once, or lives in its own file). */
type Place = 'logs' | 'api' | 'pages' | 'database' | 'files' | 'outbound';

interface Known {
  what: string;
  value: string;
  /** Places it may appear in, and why. */
  allowed?: Partial<Record<Place, string>>;
}

/**
 * The whole life of an install, then every secret it handled searched for, byte for byte, in the logs
 * (trace level), every API response and dashboard page, every table of the database and the raw files of
 * the embedded database (heap, WAL), every file in the data dir, and everything sent to Slack, webhooks
 * and email.
 */
describe('secrets never leak', () => {
  let stack: Stack;
  let sink: Awaited<ReturnType<typeof startWebhookSink>>;
  let smtp: Awaited<ReturnType<typeof startSmtpProcess>>;
  const responses: Array<{ where: string; text: string }> = [];
  const pages: Array<{ where: string; text: string }> = [];
  const secrets: Known[] = [];

  const request = async (method: string, path: string, key: string, body?: unknown) => {
    const response = await fetch(`${stack.address}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, text, json: text.startsWith('{') ? JSON.parse(text) : null };
  };

  beforeAll(async () => {
    sink = await startWebhookSink();
    smtp = await startSmtpProcess();
    stack = await startStack('pglite', { onDisk: true, logLevel: 'trace' });
  }, 60_000);

  afterAll(async () => {
    await sink?.close();
    smtp?.stop();
    await stack?.close();
  });

  it('finds no plaintext token, refresh token, app secret, API key, password or sealing key anywhere', async () => {
    const t = trial('security', {
      area: 'Secrets at rest and in transit',
      tried:
        'a whole install’s life (consent, tt_user refresh, revoke, incident, alerts on 3 channels, re-auth, key rotation), then every secret it handled searched for in logs at trace level, API responses, dashboard pages, every database table, the raw database files (heap and WAL), the data dir and everything sent out',
      expected:
        '0 plaintext hits, while a plain value stored alongside is found (the search sees the raw bytes)',
    });
    const admin = stack.adminToken;
    secrets.push(
      { what: 'app secret', value: stack.app.secret },
      { what: 'local admin token', value: admin, allowed: { files: 'its own 0600 file, admin-token' } },
    );

    // People and keys: a user with a password, a session, an API key shown once.
    const password = 'orange-bicycle-tundra-41';
    expect(
      (await request('POST', '/api/v1/users', admin, { email: 'ops@example.com', password })).status,
    ).toBe(201);
    secrets.push({ what: 'user password', value: password });
    const signedIn = await fetch(`${stack.address}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: 'ops@example.com', password, next: '/' }).toString(),
    });
    expect(signedIn.status).toBe(303);
    const session = signedIn.headers.get('set-cookie')!.split(';')[0]!;
    secrets.push({ what: 'session cookie', value: session.split('=')[1]! });
    const link = (await request('POST', '/api/v1/users/login-link', admin, { email: 'ops@example.com' }))
      .json;
    secrets.push({
      what: 'sign-in link token',
      value: new URL(link.url).pathname.split('/').at(-1)!,
      allowed: { api: 'the response that creates it' },
    });
    const created = await request('POST', '/api/v1/api-keys', admin, { name: 'ci', scopes: ['write'] });
    expect(created.status).toBe(201);
    const apiKey = created.json.api_key.key as string;
    secrets.push({ what: 'API key', value: apiKey });

    // Channels whose settings are secrets: a signing secret, a Slack URL, an SMTP password.
    const hook = await request('POST', '/api/v1/channels', apiKey, {
      name: 'hook',
      kind: 'webhook',
      url: `${sink.url}/hook`,
    });
    expect(hook.status).toBe(201);
    secrets.push({ what: 'webhook signing secret', value: hook.json.channel.signing_secret });
    const slackPath = 'T0SECRET/B0SECRET/xoxsecretpathvalue1234';
    expect(
      (
        await request('POST', '/api/v1/channels', apiKey, {
          name: 'slack',
          kind: 'slack',
          url: `${sink.url}/${slackPath}`,
        })
      ).status,
    ).toBe(201);
    secrets.push({ what: 'Slack webhook path', value: slackPath });
    const smtpPassword = 'smtp-pass-Qw7-unique';
    expect(
      (
        await request('POST', '/api/v1/channels', apiKey, {
          name: 'mail',
          kind: 'email',
          smtpUrl: `smtp://alerts:${smtpPassword}@127.0.0.1:${smtp.port}`,
          from: 'adwarden@example.com',
          to: ['ops@example.com'],
        })
      ).status,
    ).toBe(201);
    secrets.push({ what: 'SMTP password', value: smtpPassword });

    // Connections: an advertiser token through the consent page, a tt_user token that is refreshed.
    const advertiserIds = (await stack.emulator.control.state()).advertisers
      .filter((a) => a.app_ids.includes(stack.app.app_id))
      .slice(0, 2)
      .map((a) => a.advertiser_id);
    const connected = await stack.consent(
      `${stack.address}/connect/tiktok?app=${stack.app.app_id}&owner=owner-plain-marker@example.com`,
      { advertiserIds },
    );
    expect(connected.page.html).toContain('Connected');
    const callback = new URL(connected.redirect);
    secrets.push({ what: 'OAuth auth code', value: callback.searchParams.get('auth_code')! });
    secrets.push({ what: 'OAuth state', value: callback.searchParams.get('state')! });
    const ttUrl = new URL(
      await stack.services.connect.startConnect({ appId: stack.app.app_id, regime: 'tt_user' }),
    );
    const { redirect } = await stack.emulator.control.authorize({
      app_id: stack.app.app_id,
      redirect_uri: ttUrl.searchParams.get('redirect_uri')!,
      state: ttUrl.searchParams.get('state')!,
      regime: 'tt_user',
    });
    expect((await stack.visit(redirect)).html).toContain('Connected');
    const connections = await stack.services.connections.list();
    const advertiserConnection = connections.find((c) => c.regime === 'advertiser')!;
    const ttUser = connections.find((c) => c.regime === 'tt_user')!;
    await stack.services.tokens.refreshAhead(ttUser.id, 48 * 3_600_000);

    // The monitor: a revoked token, a verified incident, alerts on every channel, a re-auth, recovery.
    const run = await startMonitor(stack.services, { tickMs: 100, jobsSchema: 'pgboss_secrets' });
    try {
      await stack.emulator.control.fault({
        type: 'revokeToken',
        advertiserId: advertiserIds[0]!,
        by: 'user',
      });
      expect(
        (await request('POST', `/api/v1/connections/${advertiserConnection.id}/check`, apiKey)).json,
      ).toMatchObject({ incidents_opened: [expect.any(String)] });
      const opened = await eventually(
        () => (sink.received.some((r) => r.path === '/hook') && smtp.mails.length > 0 ? sink.received : null),
        'the incident on the webhook and by email',
      );
      const reauth = opened.find((r) => r.path === '/hook')!.json.data.reauth_link.url as string;
      secrets.push({
        what: 're-auth link token',
        value: new URL(reauth).pathname.split('/').at(-1)!,
        allowed: {
          api: 'incidents show their re-auth link',
          pages: 'incident pages show their re-auth link',
          outbound: 'sent to the owner on purpose',
        },
      });
      const repaired = await stack.consent(reauth, { advertiserIds });
      expect(repaired.page.html).toContain('Reconnected: healthy');
      await eventually(
        async () => (await stack.services.incidents.list({ states: ['resolved'] })).length > 0,
        'the incident resolved',
      );
    } finally {
      await run.stop();
    }

    // Key rotation re-seals every value under a new key.
    type KeyFileContent = { active: { key: string }; previous: Array<{ key: string }> };
    const sealingKeys = () => {
      const file = JSON.parse(readFileSync(keyFilePath(stack.dataDir), 'utf8')) as KeyFileContent;
      return [file.active.key, ...file.previous.map((p) => p.key)];
    };
    const before = sealingKeys();
    expect((await request('POST', '/api/v1/keys/rotate', admin)).status).toBe(200);
    for (const key of new Set([...before, ...sealingKeys()]))
      secrets.push({ what: 'sealing key', value: key, allowed: { files: 'its own 0600 key file' } });

    // Every token TikTok issued to this install: access and refresh, live or not.
    for (const token of (await stack.emulator.control.state()).tokens.filter(
      (tk) => tk.app_id === stack.app.app_id,
    )) {
      secrets.push({ what: `${token.regime} access token`, value: token.access_token });
      if (token.refresh_token)
        secrets.push({ what: `${token.regime} refresh token`, value: token.refresh_token });
    }

    // The haystacks. API: every GET route with real ids; pages: every page signed in.
    const routes = (stack.server as unknown as { adwardenRoutes: Array<{ method: string; url: string }> })
      .adwardenRoutes;
    const incident = (await stack.services.incidents.list())[0]!;
    const fill = (url: string) =>
      url
        .replace(/\/connections\/:id/, `/connections/${advertiserConnection.id}`)
        .replace(/\/incidents\/:id/, `/incidents/${incident.id}`)
        .replace(/\/apps\/:appId/, `/apps/${stack.app.app_id}`)
        .replace(/:code/, '40105')
        .replace(/:(\w+)/g, 'x1');
    for (const route of routes.filter((r) => r.method === 'GET')) {
      const url = fill(route.url);
      if (url.startsWith('/api/')) {
        const response = await request('GET', url, admin);
        responses.push({ where: `GET ${url}`, text: response.text });
      } else if (
        !url.startsWith('/reauth/') &&
        !url.startsWith('/login/link/') &&
        !url.startsWith('/oauth/')
      ) {
        const response = await fetch(`${stack.address}${url}`, {
          headers: { cookie: session },
          redirect: 'manual',
        });
        pages.push({ where: `GET ${url}`, text: await response.text() });
      }
    }
    expect(responses.length).toBeGreaterThan(15);
    expect(pages.length).toBeGreaterThan(8);

    const tables = await sql<{ schema: string; name: string }>`
      select table_schema as schema, table_name as name from information_schema.tables
      where table_schema not in ('pg_catalog', 'information_schema') and table_type = 'BASE TABLE'`.execute(
      stack.database.db,
    );
    const dump: Array<{ where: string; text: string }> = [];
    for (const { schema, name } of tables.rows) {
      const rows = await sql.raw(`select * from "${schema}"."${name}"`).execute(stack.database.db);
      dump.push({ where: `${schema}.${name}`, text: JSON.stringify(rows.rows) });
    }
    expect(dump.length).toBeGreaterThan(20);
    // PGlite writes its pages and WAL through to the data dir; make sure what is committed is on disk.
    await sql`checkpoint`.execute(stack.database.db);
    const files = allFiles(stack.dataDir);
    const outbound = [
      ...sink.received.map((r) => ({
        where: `POST ${r.path}`,
        text: `${JSON.stringify(r.headers)}\n${r.body}`,
      })),
      ...smtp.mails.map((m) => ({ where: `mail to ${m.to.join(',')}`, text: m.raw })),
    ];
    const logs = stack.lines.join('');

    const hits: string[] = [];
    let compared = 0;
    for (const secret of secrets) {
      expect(secret.value.length, secret.what).toBeGreaterThanOrEqual(8);
      const look = (place: Place, where: string, hay: string | Buffer) => {
        compared += 1;
        if (secret.allowed?.[place]) return;
        if (hay.includes(secret.value)) hits.push(`${secret.what} in ${place}: ${where}`);
      };
      look('logs', 'log lines', logs);
      for (const r of responses) look('api', r.where, r.text);
      for (const p of pages) look('pages', p.where, p.text);
      for (const d of dump) look('database', d.where, d.text);
      for (const f of files) {
        const own =
          (secret.what === 'sealing key' && f.path === keyFilePath(stack.dataDir)) ||
          (secret.what === 'local admin token' && f.path === join(stack.dataDir, 'admin-token'));
        if (!own) look('files', f.path.slice(stack.dataDir.length), f.bytes);
      }
      for (const o of outbound) look('outbound', o.where, o.text);
    }
    t.times(secrets.length);
    t.figures({
      secrets: secrets.length,
      kinds: [...new Set(secrets.map((s) => s.what))].length,
      log_lines: stack.lines.length,
      api_responses: responses.length,
      pages: pages.length,
      tables: dump.length,
      files: files.length,
      file_megabytes: Number((files.reduce((sum, f) => sum + f.bytes.length, 0) / 1e6).toFixed(1)),
      outbound_messages: outbound.length,
      comparisons: compared,
      hits: hits.length,
    });
    expect(hits).toEqual([]);

    // The search is real: plain values stored next to the sealed ones are found in the raw files and WAL.
    const marker = 'owner-plain-marker@example.com';
    expect(files.some((f) => f.path.includes('pg_wal') && f.bytes.includes(marker))).toBe(true);
    expect(files.some((f) => f.path.includes(`${'base'}`) && f.bytes.includes(marker))).toBe(true);
    expect(dump.some((d) => d.text.includes('adw1.'))).toBe(true);
    expect(logs).toContain(advertiserConnection.id);
  });
});

describe('re-auth links queued before they were sealed', () => {
  it('are sealed at start and still reach the channel', async () => {
    trial('security', {
      area: 'Secrets at rest and in transit',
      tried: 'an outbox row written by an older version, with its re-auth link in the plain payload',
      expected:
        'the service seals the link at start (nothing plain left in the table), and delivery still sends it',
    });
    const stack = await startStack('pglite');
    const sink = await startWebhookSink();
    try {
      const channel = await stack.services.notifications.addChannel({
        name: 'legacy',
        kind: 'webhook',
        url: `${sink.url}/hook`,
      });
      const url = `${stack.address}/reauth/legacy-link-token-0123456789`;
      const [id] = await outboxStore(stack.database.db).add(
        [
          {
            idempotencyKey: 'legacy-1',
            channelId: channel.id,
            incidentId: null,
            event: 'opened',
            payload: {
              type: 'incident.opened',
              event: 'opened',
              at: new Date().toISOString(),
              incident: {
                id: 'inc_legacy',
                problem: 'auth',
                severity: 'critical',
                state: 'open',
                subject: { type: 'connection', id: 'con_x', label: 'x' },
                summary: 'legacy',
                fix: [],
                actions: [],
                opened_at: new Date().toISOString(),
                resolved_at: null,
                url: stack.address,
              },
              reauth_link: { url, expires_at: new Date(Date.now() + 86_400_000).toISOString() },
            },
          },
        ],
        new Date(),
      );
      expect(await stack.services.notifications.sealPlainLinks()).toBe(1);
      const rows = await sql<{ text: string }>`select row_to_json(outbox)::text as text from outbox`.execute(
        stack.database.db,
      );
      expect(rows.rows[0]!.text).not.toContain('legacy-link-token');
      expect(rows.rows[0]!.text).toContain('adw1.');
      expect(await stack.services.notifications.sealPlainLinks()).toBe(0);
      expect(await stack.services.notifications.deliver(id!)).toBe('delivered');
      expect(sink.received[0]!.json.data.reauth_link.url).toBe(url);
    } finally {
      await sink.close();
      await stack.close();
    }
  });
});
