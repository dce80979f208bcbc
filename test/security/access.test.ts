import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPublicPath } from '../../src/server/auth.ts';
import { type Stack, signIn, startStack } from '../service/stack.ts';
import { trial } from '../support/trials.ts';

describe('access to the service', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack('pglite');
  }, 60_000);
  afterAll(async () => stack?.close());

  it('answers 401 or a redirect to /login on every non-public route without credentials', async () => {
    const t = trial('security', {
      area: 'Access',
      tried: 'every route without credentials, with a made-up API key, and with a forged session cookie',
      expected: '401 on the API and a redirect to /login on pages, everywhere but the public routes',
    });
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
    t.times(seen.length);
    t.figures({
      routes: routes.length,
      public_routes: routes.filter((r) => isPublicPath(r.url.replace(/:(\w+)/g, 'x1'))).length,
    });
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
        // TikTok's pushes: each delivery is signed with the app secret (test/security/push-intake.test.ts).
        '/webhooks/tiktok',
        // Connect invitations: a page and the way on to TikTok, for one client (test/security/clients.test.ts).
        '/invite/:token',
        '/invite/:token/start',
      ].sort(),
    );
  });

  it('signs in by one-time link into a fresh session, once', async () => {
    trial('security', {
      area: 'Sessions',
      tried: 'a one-time sign-in link used twice, and a session cookie planted before sign-in',
      expected: 'the second use is refused; the planted cookie is never adopted (no session fixation)',
    });
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
    trial('security', {
      area: 'Headers',
      tried: 'the dashboard pages, signed in',
      expected: "Content-Security-Policy with script-src 'self', X-Frame-Options DENY and nosniff on each",
      times: 5,
    });
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
    trial('security', {
      area: 'CSRF',
      tried: 'a signed-in form post without the CSRF token, and with it from another Origin',
      expected: '403 for both; from our own Origin it works, and the new key is shown only in the page',
      times: 3,
    });
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

  it('refuses every form of the dashboard without the CSRF token', async () => {
    const t = trial('security', {
      area: 'CSRF',
      tried: 'every form route of the dashboard (POST, not the API), signed in, without the CSRF token',
      expected: '403 on each; nothing changes',
    });
    const { session } = await signIn(stack);
    const routes = (stack.server as unknown as { adwardenRoutes: Array<{ method: string; url: string }> })
      .adwardenRoutes;
    const forms = routes.filter(
      (r) =>
        r.method === 'POST' && !r.url.startsWith('/api/') && !isPublicPath(r.url.replace(/:(\w+)/g, 'x1')),
    );
    expect(forms.length).toBeGreaterThan(10);
    const before = await stack.services.users.listApiKeys();
    for (const form of forms) {
      const response = await fetch(`${stack.address}${form.url.replace(/:(\w+)/g, 'x1')}`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          cookie: session,
          'content-type': 'application/x-www-form-urlencoded',
          origin: stack.address,
        },
        body: 'name=x&scope=admin&email=a%40b.example&password=long+enough+password',
      });
      expect(response.status, form.url).toBe(403);
    }
    expect(await stack.services.users.listApiKeys()).toEqual(before);
    t.times(forms.length);
  });

  it('limits API keys to their scope', async () => {
    trial('security', {
      area: 'API keys',
      tried: 'read, write and admin keys on endpoints above their scope, then a revoked key',
      expected: '403 above the scope; 401 once revoked',
      times: 7,
    });
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
    trial('security', {
      area: 'Sign-in',
      tried: '10 wrong passwords, then the right one',
      expected: 'the right password is refused (429) once 10 failures are counted',
      times: 12,
    });
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

  it('refuses webhook and Slack URLs on private addresses unless the operator allows them', async () => {
    trial('security', {
      area: 'Outbound URLs',
      tried: 'webhook URLs on 127.0.0.1, 169.254.169.254 and localhost, and an ftp:// Slack URL',
      expected: 'each refused (400, naming ADWARDEN_ALLOW_PRIVATE_DESTINATIONS); no channel stored',
      times: 4,
    });
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
});
