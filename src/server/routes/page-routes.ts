import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { classify, lookupCode } from '../../catalog/index.ts';
import { canSee, isServiceError, type Services } from '../../services/index.ts';
import { APP_BUDGETS, SANDBOX_BUDGET } from '../../tiktok/index.ts';
import { SESSION_COOKIE, setSessionCookie } from '../auth.ts';
import { page } from '../pages.ts';
import { scopeOf, visibleConnectionIds } from '../scope.ts';
import { overviewPage } from '../views/dashboard-pages.ts';
import { incidentPage } from '../views/incident-pages.ts';
import { errorPage, errorsIndexPage } from '../views/kb-pages.ts';
import { loginPage, settingsPage } from '../views/settings-pages.ts';
import { APP_CSS, LIVE_JS } from '../views/static-assets.ts';
import { connectionRoutes } from './connection-pages.ts';
import { contextOf } from './page-context.ts';
import { handled, notice, sendPage, shownOnce } from './page-forms.ts';

const DAY = 86_400_000;
type Form = Record<string, string | undefined>;
type IdRequest = FastifyRequest<{ Params: { id: string } }>;

/** A local path to go back to after sign-in (never another site). */
const safeNext = (next: unknown) =>
  typeof next === 'string' && /^\/(?!\/)[^\s\\]*$/.test(next) && !next.startsWith('/login') ? next : '/';

/** The dashboard: sign-in, pages, their forms, the knowledge base and the static assets. */
export function pageRoutes(app: FastifyInstance, services: Services): void {
  // HTML forms post urlencoded bodies.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 64 * 1024 },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );

  app.get('/static/app.css', async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(APP_CSS),
  );
  app.get('/static/live.js', async (_request, reply) =>
    reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(LIVE_JS),
  );

  signInRoutes(app, services);
  overviewRoutes(app, services);
  connectionRoutes(app, services);
  incidentAndErrorRoutes(app, services);
  settingsRoutes(app, services);
}

/** Signing in (password or one-time link) and out. */
function signInRoutes(app: FastifyInstance, services: Services): void {
  app.get('/login', async (request, reply) => {
    const next = safeNext((request.query as { next?: string }).next);
    if (request.principal?.type === 'user') return reply.redirect(next, 303);
    return sendPage(reply, loginPage(contextOf(request), { next }));
  });
  app.post('/login', async (request, reply) => {
    const form = (request.body ?? {}) as Form;
    const next = safeNext(form.next);
    try {
      const session = await services.users.signIn({
        email: form.email ?? '',
        password: form.password ?? '',
        address: request.ip,
      });
      setSessionCookie(reply, services, session);
      return reply.redirect(next, 303);
    } catch (error) {
      if (!isServiceError(error)) throw error;
      const status = error.code === 'ADW_RATE_LIMITED' ? 429 : 401;
      return sendPage(reply, loginPage(contextOf(request), { next, error: error.message }), status);
    }
  });
  app.get<{ Params: { token: string } }>('/login/link/:token', async (request, reply) => {
    const session = await services.users.useLoginLink(request.params.token);
    if (!session)
      return sendPage(
        reply,
        page(
          'This sign-in link cannot be used',
          '<p>It was already used, or it is older than 15 minutes. Run <code>adwarden users login-link</code> on the service’s machine for a new one.</p>',
          'problem',
        ),
        400,
      );
    setSessionCookie(reply, services, session);
    return reply.redirect('/settings?done=Signed+in.+Set+a+password+below+to+sign+in+without+a+link.', 303);
  });
  app.post('/logout', async (request, reply) => {
    const value = request.cookies[SESSION_COOKIE];
    if (value) await services.users.signOut(value);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/login', 303);
  });
}

/** The overview: health, open incidents, calls against each app's budget. */
function overviewRoutes(app: FastifyInstance, services: Services): void {
  app.get('/', async (request, reply) => {
    const scope = scopeOf(request);
    const visible = await visibleConnectionIds(services, scope);
    const [all, open, totals, apps, tiktok, trends] = await Promise.all([
      services.connections.list(),
      services.incidents.list({
        states: ['open', 'acknowledged'],
        ...(visible ? { connectionIds: visible } : {}),
      }),
      services.monitor.checkTotals(DAY),
      services.apps.list(),
      services.platform.list(),
      services.monitor.trends(14, visible),
    ]);
    const connections = all.filter((c) => canSee(scope, c.client_id));
    const budgets = apps.map((a) => appBudgetView(services, a));
    return sendPage(
      reply,
      overviewPage(contextOf(request), {
        connections,
        open,
        now: services.now(),
        calls24h: totals.calls,
        checks24h: totals.checks,
        budgets,
        trends,
        tiktok: tiktok.slice(0, 5).map((i) => ({
          title: i.title,
          level: i.level,
          state: i.state,
          link: i.link,
          startedAt: i.started_at.toISOString(),
        })),
      }),
    );
  });
}

/** Incidents, and the knowledge base of TikTok's errors. */
function incidentAndErrorRoutes(app: FastifyInstance, services: Services): void {
  app.get('/incidents/:id', async (request: IdRequest, reply) =>
    sendPage(
      reply,
      incidentPage(contextOf(request), {
        incident: await services.incidents.show(request.params.id),
        channels: new Map((await services.notifications.listChannels()).map((c) => [c.id, c.name])),
        now: services.now(),
      }),
    ),
  );
  for (const action of ['acknowledge', 'mute', 'unmute', 'resolve', 'reopen'] as const)
    app.post(`/incidents/:id/${action}`, async (request: IdRequest, reply) =>
      handled(reply, `/incidents/${request.params.id}`, async () => {
        const by = contextOf(request).user ?? 'dashboard';
        const note = ((request.body ?? {}) as Form).note || undefined;
        await services.incidents.command(
          request.params.id,
          action === 'resolve' ? { type: action, by, note } : { type: action, by },
        );
        return `Done: ${action}.`;
      }),
    );

  app.get('/errors', async (request, reply) => {
    const q = String((request.query as { q?: unknown }).q ?? '')
      .trim()
      .slice(0, 500);
    // A pasted message or code is also read the way `adwarden explain` reads it.
    const recognized = q ? classify(q, { now: services.now() }) : null;
    return sendPage(reply, errorsIndexPage(contextOf(request), { q, recognized }));
  });
  app.get<{ Params: { code: string } }>('/errors/:code', async (request, reply) => {
    const match = /^\d{1,9}$/.test(request.params.code) ? lookupCode(Number(request.params.code)) : undefined;
    if (!match)
      return sendPage(
        reply,
        page(
          'Unknown code',
          '<p>adwarden’s catalog has no such TikTok code. <a href="/errors">All codes</a></p>',
          'problem',
        ),
        404,
      );
    return sendPage(reply, errorPage(contextOf(request), match.entry));
  });
}

function settingsRoutes(app: FastifyInstance, services: Services): void {
  const showSettings = async (
    request: FastifyRequest,
    reply: FastifyReply,
    once: { newKey?: string; flash?: string } = {},
  ) => {
    const [apps, channels, keys, users, clients] = await Promise.all([
      services.apps.list(),
      services.notifications.listChannels(),
      services.users.listApiKeys(),
      services.users.listUsers(),
      services.clients.list(),
    ]);
    const ctx = contextOf(request, once.flash);
    return sendPage(
      reply,
      settingsPage(ctx, {
        apps,
        channels,
        keys,
        users,
        clients,
        newKey: once.newKey ?? null,
        now: services.now(),
      }),
    );
  };
  app.get('/settings', async (request, reply) => showSettings(request, reply));
  const form = (request: FastifyRequest) => (request.body ?? {}) as Form;
  app.post('/settings/apps', async (request, reply) =>
    handled(reply, '/settings', async () => {
      const { _csrf, ...input } = form(request);
      // Optional fields left empty mean "the default".
      const result = await services.apps.register(
        Object.fromEntries(Object.entries(input).filter(([, value]) => value !== '')),
      );
      return `App ${result.app.app_id} ${result.created ? 'registered' : 'updated'}.`;
    }),
  );
  app.post('/settings/channels', async (request, reply) =>
    shownOnce(reply, '/settings', async () => {
      const { _csrf, client, ...input } = form(request);
      // A client's channel hears that client's incidents only (its connections carry the label).
      const channel = await services.notifications.addChannel({
        ...input,
        ...(client ? { labels: { client } } : {}),
      });
      if (!channel.signing_secret) return notice(reply, '/settings', `Channel ${channel.name} saved.`);
      return showSettings(request, reply, {
        flash: `Channel ${channel.name} saved. Its signing secret, shown once: ${channel.signing_secret}`,
      });
    }),
  );
  app.post('/settings/channels/:id/test', async (request: IdRequest, reply) =>
    handled(reply, '/settings', async () => {
      await services.notifications.test(request.params.id);
      return 'Test message sent.';
    }),
  );
  app.post('/settings/channels/:id/remove', async (request: IdRequest, reply) =>
    handled(reply, '/settings', async () => {
      await services.notifications.removeChannel(request.params.id);
      return 'Channel removed.';
    }),
  );
  accountSettingsRoutes(app, services, showSettings);
}

/** API keys, the operator's password and dashboard users. */
function accountSettingsRoutes(
  app: FastifyInstance,
  services: Services,
  showSettings: (
    request: FastifyRequest,
    reply: FastifyReply,
    once?: { newKey?: string; flash?: string },
  ) => Promise<unknown>,
): void {
  const form = (request: FastifyRequest) => (request.body ?? {}) as Form;
  app.post('/settings/keys', async (request, reply) =>
    shownOnce(reply, '/settings', async () => {
      const input = form(request);
      const key = await services.users.createApiKey({ name: input.name, scopes: [input.scope ?? 'read'] });
      return showSettings(request, reply, { newKey: key.key });
    }),
  );
  app.post('/settings/keys/:id/revoke', async (request: IdRequest, reply) =>
    handled(reply, '/settings', async () => {
      await services.users.revokeApiKey(request.params.id);
      return 'Key revoked.';
    }),
  );
  app.post('/settings/password', async (request, reply) => {
    const principal = request.principal;
    if (principal?.type !== 'user') return reply.code(403).send('sign in to set your password');
    return handled(reply, '/login', async () => {
      await services.users.setPassword(principal.userId, form(request).password ?? '');
      return 'Password set; every session was signed out. Sign in with it.';
    });
  });
  app.post('/settings/users', async (request, reply) =>
    handled(reply, '/settings', async () => {
      const input = form(request);
      const user = await services.users.createUser({
        email: input.email ?? '',
        password: input.password ?? '',
      });
      return `User ${user.email} added.`;
    }),
  );
}

/** An app's calls in the last minute against its per-minute budget (the overview's gauges). */
function appBudgetView(services: Services, a: Awaited<ReturnType<Services['apps']['list']>>[number]) {
  const budget =
    a.environment === 'sandbox'
      ? SANDBOX_BUDGET
      : (APP_BUDGETS as Record<string, { perMinute: number } | undefined>)[a.rate_tier];
  return {
    appId: a.app_id,
    name: a.name,
    tier: a.environment === 'sandbox' ? 'sandbox' : a.rate_tier,
    lastMinute: services.metrics.callsLastMinute(a.app_id),
    perMinute: budget?.perMinute ?? null,
  };
}
