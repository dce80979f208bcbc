import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import packageJson from '../../package.json' with { type: 'json' };
import { isServiceError, SERVICE_ERRORS, type Services } from '../services/index.ts';
import { isTikTokError } from '../tiktok/index.ts';
import { registerAuth } from './auth.ts';
import { registerMetrics } from './metrics.ts';
import { registerOpenApi } from './openapi.ts';
import { accessRoutes } from './routes/access-routes.ts';
import { apiRoutes } from './routes/api-routes.ts';
import { clientRoutes } from './routes/client-routes.ts';
import { incidentRoutes } from './routes/incident-routes.ts';
import { listPages } from './routes/list-pages.ts';
import { oauthRoutes } from './routes/oauth-routes.ts';
import { pageRoutes } from './routes/page-routes.ts';
import { pushRoutes } from './routes/push-routes.ts';
import { registerClientScope } from './scope.ts';

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // OAuth callbacks carry codes and states in the URL: never send it to another site. (Not
  // 'no-referrer': browsers then send `Origin: null` on our own forms, which the CSRF check refuses.)
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
};

/**
 * The HTTP service: health, the OAuth routes and the JSON API. Built apart from listening, so tests
 * use `inject()`; `serve` calls `listen()`.
 */
export function buildServer(services: Services): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024, return503OnClosing: true });

  app.addHook('onSend', async (_request, reply, payload) => {
    reply.headers(SECURITY_HEADERS);
    return payload;
  });
  // Logged by route pattern, never by raw URL: callback URLs hold auth codes and states.
  app.addHook('onResponse', async (request, reply) => {
    services.log.debug(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'http request',
    );
  });

  // Every route, as registered: the access test walks them all without credentials.
  const routes: Array<{ method: string; url: string }> = [];
  app.decorate('adwardenRoutes', routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat())
      if (method !== 'HEAD') routes.push({ method, url: route.url });
  });
  registerAuth(app, services);
  registerClientScope(app, services);

  app.setErrorHandler(async (error, request, reply) => answerError(services, error, request, reply));

  app.setNotFoundHandler(async (request, reply) =>
    reply.code(404).send({
      error: { code: 'ADW_NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}` },
    }),
  );

  registerOpenApi(app);
  // Routes live in one plugin registered after the OpenAPI one, so it sees every one of them.
  app.register(async (api) => {
    api.get('/healthz', async () => ({
      status: 'ok',
      version: packageJson.version,
      database: services.database.kind,
    }));
    api.get('/readyz', async (_request, reply) => {
      try {
        await services.ready();
        return { status: 'ready' };
      } catch (error) {
        return reply.code(503).send({
          status: 'not_ready',
          reason: error instanceof Error ? error.message.slice(0, 400) : 'unknown',
          ...((error as { code?: unknown }).code ? { code: (error as { code: unknown }).code } : {}),
        });
      }
    });
    registerMetrics(api, services);
    oauthRoutes(api, services);
    apiRoutes(api, services);
    incidentRoutes(api, services);
    accessRoutes(api, services);
    pageRoutes(api, services);
    pushRoutes(api, services);
    clientRoutes(api, services);
    listPages(api, services);
  });
  return app;
}

/** Errors as the API answers them: a service error's status, TikTok's diagnosis (502), a bad request, or 500. */
async function answerError(services: Services, error: unknown, request: FastifyRequest, reply: FastifyReply) {
  if (isServiceError(error)) {
    return reply
      .code(SERVICE_ERRORS[error.code])
      .send({ error: { code: error.code, message: error.message, ...error.details } });
  }
  if (isTikTokError(error)) {
    const d = error.diagnosis;
    return reply.code(502).send({
      error: {
        code: 'ADW_TIKTOK_FAILED',
        message: `TikTok answered ${d.code}: ${d.title}`,
        diagnosis: {
          kind: d.kind,
          code: d.code,
          title: d.title,
          fix: d.fix,
          request_id: d.requestId ?? null,
        },
      },
    });
  }
  const status = (error as { statusCode?: number }).statusCode;
  if (status && status >= 400 && status < 500) {
    return reply.code(status).send({ error: { code: 'ADW_BAD_REQUEST', message: (error as Error).message } });
  }
  services.log.error({ err: error, route: request.routeOptions.url }, 'request failed');
  return reply
    .code(500)
    .send({ error: { code: 'ADW_INTERNAL', message: 'internal error; see the service log' } });
}
