import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPublicPath } from '../../src/server/auth.ts';
import { type Stack, startStack } from './stack.ts';

/** Signs in through a one-time link and returns the session cookie and the page's CSRF token. */
async function signIn(stack: Stack) {
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

describe('access to the service', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack('pglite');
  }, 60_000);
  afterAll(async () => stack?.close());

  it('answers 401 or a redirect to /login on every non-public route without credentials', async () => {
    const routes = (stack.server as unknown as { adwardenRoutes: Array<{ method: string; url: string }> })
      .adwardenRoutes;
    expect(routes.length).toBeGreaterThan(40);
    const seen: string[] = [];
    for (const route of routes) {
      const url = route.url.replace(/:(\w+)/g, 'x1');
      for (const headers of [
        {},
        { authorization: 'Bearer adw_not_a_key' },
        { cookie: 'adw_session=forged' },
      ]) {
        const response = await stack.server.inject({ method: route.method as 'GET', url, headers });
        if (isPublicPath(url)) continue;
        seen.push(`${route.method} ${route.url}`);
        if (url.startsWith('/api/')) expect(response.statusCode, `${route.method} ${url}`).toBe(401);
        else {
          expect(response.statusCode, `${route.method} ${url}`).toBe(303);
          expect(response.headers.location).toMatch(/^\/login\?next=/);
        }
      }
    }
    expect(seen).toContain('GET /api/v1/incidents');
    expect(seen).toContain('GET /connect/tiktok');
    expect(seen).toContain('POST /settings/keys');
    // The public ones: health, metrics, sign-in, the knowledge base, assets, and links that carry their own secret.
    const open = [
      ...new Set(routes.map((r) => r.url).filter((u) => isPublicPath(u.replace(/:(\w+)/g, 'x1')))),
    ];
    expect(open.sort()).toEqual(
      [
        '/errors',
        '/errors/:code',
        '/healthz',
        '/login',
        '/login/link/:token',
        '/metrics',
        '/oauth/tiktok/callback',
        '/readyz',
        '/reauth/:token',
        '/static/app.css',
        '/static/live.js',
      ].sort(),
    );
  });

  it('signs in by one-time link into a fresh session, once', async () => {
    const link = await stack.services.users.loginLink();
    const first = await fetch(link.url, { redirect: 'manual' });
    expect(first.status).toBe(303);
    const again = await fetch(link.url, { redirect: 'manual' });
    expect(again.status).toBe(400);
    // A cookie planted before sign-in is never adopted: the service issues its own.
    const planted = await fetch(`${stack.address}/`, {
      headers: { cookie: 'adw_session=planted' },
      redirect: 'manual',
    });
    expect(planted.status).toBe(303);
    expect(first.headers.get('set-cookie')).not.toContain('planted');
  });

  it('shows the dashboard to a signed-in user, with security headers', async () => {
    const { session } = await signIn(stack);
    for (const path of ['/', '/connections', '/incidents', '/settings', '/errors/40100']) {
      const response = await fetch(`${stack.address}${path}`, { headers: { cookie: session } });
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
    const overview = await (await fetch(`${stack.address}/`, { headers: { cookie: session } })).text();
    expect(overview).toMatch(/Rate budget[\s\S]*basic[\s\S]*\d+% of 600/);
    const kb = await (await fetch(`${stack.address}/errors/40100`)).text();
    expect(kb).toMatch(/wrong per TikTok/);
  });

  it('refuses a form without the CSRF token or from another site', async () => {
    const { session, csrf } = await signIn(stack);
    const post = (body: string, headers: Record<string, string> = {}) =>
      fetch(`${stack.address}/settings/keys`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: session, 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body,
      });
    expect((await post('name=ci&scope=read')).status).toBe(403);
    expect((await post(`name=ci&scope=read&_csrf=${csrf}`, { origin: 'https://evil.example' })).status).toBe(
      403,
    );
    const made = await post(`name=ci&scope=read&_csrf=${csrf}`, { origin: stack.address });
    // The new key is the response page itself: never in a URL or the browser's history.
    expect(made.status).toBe(200);
    expect(made.headers.get('location')).toBeNull();
    const key = /<code>(adw_[\w-]+)<\/code>/.exec(await made.text())![1]!;
    const used = await fetch(`${stack.address}/api/v1/incidents`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(used.status).toBe(200);
  });

  it('limits API keys to their scope', async () => {
    const read = await stack.services.users.createApiKey({ name: 'reader', scopes: ['read'] });
    const call = (method: string, path: string, key: string) =>
      fetch(`${stack.address}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: method === 'GET' ? undefined : '{}',
      });
    expect((await call('GET', '/api/v1/incidents', read.key)).status).toBe(200);
    expect((await call('POST', '/api/v1/channels', read.key)).status).toBe(403);
    const write = await stack.services.users.createApiKey({ name: 'writer', scopes: ['write'] });
    expect((await call('POST', '/api/v1/channels', write.key)).status).toBe(400);
    expect((await call('GET', '/api/v1/keys', write.key)).status).toBe(403);
    expect((await call('GET', '/api/v1/keys', stack.adminToken)).status).toBe(200);
    await stack.services.users.revokeApiKey(read.id);
    expect((await call('GET', '/api/v1/incidents', read.key)).status).toBe(401);
  });

  it('limits failed sign-ins, even with the right password afterwards', async () => {
    await stack.services.users.createUser({ email: 'ops@example.com', password: 'correct horse battery' });
    const attempt = (password: string) =>
      fetch(`${stack.address}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ email: 'ops@example.com', password, next: '/' }).toString(),
      });
    const good = await attempt('correct horse battery');
    expect(good.status).toBe(303);
    for (let i = 0; i < 10; i++) expect((await attempt('wrong password!')).status).toBe(401);
    const blocked = await attempt('correct horse battery');
    expect(blocked.status).toBe(429);
    expect(await blocked.text()).toMatch(/too many failed sign-ins/);
  });

  it('publishes a valid OpenAPI document of the API, browsable at /docs when signed in', async () => {
    const { session } = await signIn(stack);
    const response = await fetch(`${stack.address}/docs/json`, { headers: { cookie: session } });
    expect(response.status).toBe(200);
    const document = (await response.json()) as { paths: Record<string, unknown> };
    const result = await new Validator().validate(document as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    const paths = Object.keys(document.paths);
    for (const path of [
      '/api/v1/incidents/{id}/acknowledge',
      '/api/v1/channels/{id}/test',
      '/api/v1/videos',
      '/api/v1/catalog/{code}',
    ])
      expect(paths).toContain(path);
    expect(paths.some((p) => p.startsWith('/settings') || p.startsWith('/login'))).toBe(false);
    const ui = await fetch(`${stack.address}/docs/`, { headers: { cookie: session } });
    expect(ui.status).toBe(200);
    expect(await ui.text()).toMatch(/swagger/i);
    expect((await fetch(`${stack.address}/docs/json`, { redirect: 'manual' })).status).toBe(303);
  });

  it('refuses webhook and Slack URLs on private addresses unless the operator allows them', async () => {
    const strict = await startStack('pglite', { allowPrivateDestinations: false });
    try {
      for (const url of ['http://127.0.0.1:9/hook', 'http://169.254.169.254/latest', 'http://localhost/x']) {
        const refused = await strict.api('POST', '/api/v1/channels', { name: 'x', kind: 'webhook', url });
        expect(refused.status, url).toBe(400);
        expect(refused.body.error.message).toMatch(/ADWARDEN_ALLOW_PRIVATE_DESTINATIONS=true/);
      }
      const ftp = await strict.api('POST', '/api/v1/channels', {
        name: 'x',
        kind: 'slack',
        url: 'ftp://a.example/x',
      });
      expect(ftp.status).toBe(400);
      expect((await strict.services.notifications.listChannels()).length).toBe(0);
    } finally {
      await strict.close();
    }
  }, 60_000);

  it('serves readiness and Prometheus metrics', async () => {
    expect((await fetch(`${stack.address}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${stack.address}/metrics`)).text();
    expect(metrics).toMatch(
      /adwarden_http_requests_total\{method="GET",route="\/readyz",status="200"\} [1-9]\d*$/m,
    );
    expect(metrics).toMatch(/adwarden_connections/);
    expect(metrics).toMatch(/adwarden_outbox_lag_seconds 0/);
  });
});
