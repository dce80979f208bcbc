import { fastifyCookie as cookie } from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Principal, Services } from '../services/index.ts';
import { sameToken } from '../services/index.ts';

export const SESSION_COOKIE = 'adw_session';

/**
 * Routes anyone may reach. Everything else needs a session (pages redirect to /login) or an API key
 * (`Authorization: Bearer …`; the API answers 401). OAuth callbacks and re-auth links carry their own
 * single-use secrets, since the advertiser owner who opens them has no adwarden account.
 */
const PUBLIC = [
  /^\/healthz$/,
  /^\/readyz$/,
  /^\/metrics$/,
  /^\/login$/,
  /^\/login\/link\/[^/]+$/,
  /^\/errors(\/[^/]+)?$/,
  /^\/static\/[^/]+$/,
  /^\/oauth\/tiktok\/callback$/,
  /^\/reauth\/[^/]+$/,
  // TikTok's pushes: each delivery is signed with the app secret and verified.
  /^\/webhooks\/tiktok$/,
  // Connect invitations: single-purpose links for a client's people, who have no adwarden account.
  /^\/invite\/[^/]+(\/start)?$/,
];

/** Is this path public? */
export function isPublicPath(path: string): boolean {
  return PUBLIC.some((pattern) => pattern.test(path));
}

const ADMIN_API = [/^\/api\/v1\/(api-keys|users|keys)(\/|$)/];
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

function denyApi(reply: FastifyReply, status: 401 | 403, message: string) {
  return reply
    .code(status)
    .send({ error: { code: status === 401 ? 'ADW_UNAUTHORIZED' : 'ADW_FORBIDDEN', message } });
}

/** Cookies, the principal of each request, and the rules: who may reach what, CSRF, same origin. */
export function registerAuth(app: FastifyInstance, services: Services): void {
  app.register(cookie);
  app.decorateRequest('principal', null);

  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0]!;
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    // The cookie plugin's own hook may not have run yet: read the header directly.
    const sessionValue = (request.cookies ?? cookie.parse(request.headers.cookie ?? ''))[SESSION_COOKIE];
    request.principal = bearer
      ? await services.users.apiKey(bearer)
      : sessionValue
        ? await services.users.session(sessionValue)
        : null;
    if (isPublicPath(path)) return;
    const api = path.startsWith('/api/');
    const principal = request.principal;
    if (!principal) {
      if (api)
        return denyApi(
          reply,
          401,
          bearer
            ? 'this API key is unknown or revoked'
            : 'send an API key as "Authorization: Bearer <key>" (the local admin token is in the data dir\'s admin-token file)',
        );
      return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
    }
    const needed = ADMIN_API.some((p) => p.test(path))
      ? 'admin'
      : SAFE.has(request.method)
        ? 'read'
        : 'write';
    if (!principal.scopes.includes(needed))
      return api
        ? denyApi(reply, 403, `this API key lacks the "${needed}" scope`)
        : reply.code(403).type('text/plain').send(`forbidden: needs the "${needed}" scope`);
  });

  // A browser's cookie is sent on requests other sites start: changes made with a session must come
  // from our own pages (same Origin, and the session's CSRF token in a form field or header).
  app.addHook('preHandler', async (request, reply) => {
    const principal = request.principal;
    if (principal?.type !== 'user' || SAFE.has(request.method)) return;
    if (!sameOrigin(request, services.publicUrl()))
      return refuse(request, reply, 'the request came from another site');
    const sent =
      (request.headers['x-csrf-token'] as string | undefined) ??
      (request.body as { _csrf?: string } | undefined)?._csrf ??
      '';
    if (!sameToken(String(sent), principal.csrf))
      return refuse(request, reply, 'the form has expired or was not sent by adwarden; reload the page');
  });
}

function refuse(request: FastifyRequest, reply: FastifyReply, message: string) {
  if (request.url.startsWith('/api/')) return denyApi(reply, 403, message);
  return reply.code(403).type('text/plain').send(`forbidden: ${message}`);
}

function sameOrigin(request: FastifyRequest, publicUrl: string): boolean {
  const origin = request.headers.origin;
  if (!origin || origin === 'null') return !origin; // no Origin: a non-browser client, or an old browser
  const host = request.headers.host;
  try {
    const seen = new URL(origin);
    return seen.host === host || (publicUrl !== '' && seen.origin === new URL(publicUrl).origin);
  } catch {
    return false;
  }
}

/** Sets the session cookie: httpOnly, SameSite=Lax, Secure when the service is reached over https. */
export function setSessionCookie(
  reply: FastifyReply,
  services: Services,
  session: { sessionId: { reveal(): string }; maxAgeSeconds: number },
) {
  reply.setCookie(SESSION_COOKIE, session.sessionId.reveal(), {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: services.publicUrl().startsWith('https:'),
    maxAge: session.maxAgeSeconds,
  });
}
