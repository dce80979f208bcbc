import { setTimeout as sleep } from 'node:timers/promises';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { ApiRoute } from './api-route.ts';
import type { EmulatorClock } from './clock.ts';
import { registerControlRoutes } from './control.ts';
import { ApiFailure, type Envelope, fail, ok } from './envelope.ts';
import type { ActiveFault } from './faults.ts';
import { drawChaos, MALFORMED_VARIANTS, malformedResponse, sendHuge, sendStalled } from './faults-chaos.ts';
import type { createIdFactory } from './ids.ts';
import { registerPortal } from './portal-routes.ts';
import { appLimitMessage, type RateLimiter, TIER_LIMITS } from './rate-limits.ts';
import type { createRequestLog } from './request-log.ts';
import { ACCOUNT_ROUTES } from './routes/account.ts';
import { AD_CREATE_ROUTES } from './routes/ad-create.ts';
import { ADVERTISER_ROUTES } from './routes/advertiser.ts';
import { CREATIVE_ROUTES } from './routes/creative.ts';
import { DELIVERY_ROUTES } from './routes/delivery.ts';
import { FAMILY_ROUTES } from './routes/families.ts';
import { OAUTH_ROUTES } from './routes/oauth.ts';
import { REPORT_ROUTES } from './routes/report.ts';
import { SUBSCRIPTION_ROUTES } from './routes/subscription.ts';
import { TT_USER_ROUTES } from './routes/tt-user.ts';
import { VIDEO_ROUTES } from './routes/video.ts';
import type { ScenarioRun } from './scenario-runner.ts';
import type { EmulatedToken, EmulatorState, Environment } from './state.ts';
import { registerStatusFeed } from './status-feed.ts';

/** Everything the server shares with the control API. */
export interface EmulatorRuntime {
  state: EmulatorState;
  clock: EmulatorClock;
  limiter: RateLimiter;
  log: ReturnType<typeof createRequestLog>;
  faults: ActiveFault[];
  ids: ReturnType<typeof createIdFactory>;
  random: () => number;
  baseUrl: () => string;
  nextFaultId: () => number;
  /** Consent pages people opened (GET /portal/auth), newest last; scenarios grant them. */
  consentRequests: Array<{ appId: string; state?: string; redirectUri: string; granted: boolean }>;
  /** The scenario running now, if any. */
  scenario: ScenarioRun | null;
}

const ROUTES: ApiRoute[] = [
  ...OAUTH_ROUTES,
  ...TT_USER_ROUTES,
  ...ADVERTISER_ROUTES,
  ...ACCOUNT_ROUTES,
  ...DELIVERY_ROUTES,
  ...FAMILY_ROUTES,
  ...AD_CREATE_ROUTES,
  ...VIDEO_ROUTES,
  ...CREATIVE_ROUTES,
  ...REPORT_ROUTES,
  ...SUBSCRIPTION_ROUTES,
];
/** TikTok's recommended maximum video size is 500 MB. */
const MAX_UPLOAD_BYTES = 500 * 1024 * 1024;
const API_PREFIX = '/open_api/v1.3';

/** Builds the emulator's HTTP server (not listening). */
export function buildEmulatorServer(runtime: EmulatorRuntime): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 16 * 1024 * 1024, keepAliveTimeout: 65_000 });
  // Video uploads: fields become body values, the file a { filename, data } pair.
  app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 50 },
    async onFile(part) {
      (part as unknown as { value: unknown }).value = {
        filename: part.filename,
        data: await part.toBuffer(),
      };
    },
  });
  // The consent page posts an HTML form; repeated keys (advertiser_ids) become arrays.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, text, done) => {
      const form: Record<string, string | string[]> = {};
      for (const [key, value] of new URLSearchParams(String(text))) {
        const existing = form[key];
        form[key] =
          existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
      }
      done(null, form);
    },
  );
  app.setNotFoundHandler((_request, reply) => reply.code(404).type('text/plain').send('404 page not found'));
  app.setErrorHandler((error: { code?: string; statusCode?: number; message: string }, _request, reply) => {
    if (error.code === 'FST_REQ_FILE_TOO_LARGE')
      return reply
        .code(200)
        .send(fail(40907, 'The file size exceeds the limit of 500 MB.', runtime.clock.now()));
    // Body parse errors on API paths come back as TikTok does: HTTP 200 with a parameter error.
    if (error.code?.startsWith('FST_ERR_CTP') || error.statusCode === 400) {
      return reply.code(200).send(fail(40002, `Invalid request body: ${error.message}`, runtime.clock.now()));
    }
    return reply.code(500).type('text/plain').send('internal emulator error');
  });

  for (const environment of ['production', 'sandbox'] as const) {
    const prefix = environment === 'sandbox' ? `/sandbox${API_PREFIX}` : API_PREFIX;
    for (const route of ROUTES) {
      app.route({
        method: route.method,
        url: `${prefix}${route.path}`,
        handler: (request, reply) =>
          handleApiCall(runtime, route, environmentOf(request, environment), request, reply),
      });
    }
  }
  registerPortal(app, runtime);
  registerStatusFeed(app, runtime);
  // Cover, preview and avatar URLs the API hands out resolve to small placeholder files.
  app.get('/__media/*', (request, reply) => {
    const path = (request.params as { '*': string })['*'];
    const type = path.endsWith('.mp4') ? 'video/mp4' : path.endsWith('.png') ? 'image/png' : 'image/jpeg';
    return reply.type(type).send(Buffer.alloc(64));
  });
  registerControlRoutes(app, runtime);
  return app;
}

function environmentOf(request: FastifyRequest, byPath: Environment): Environment {
  return byPath === 'sandbox' || /^sandbox/i.test(request.headers.host ?? '') ? 'sandbox' : 'production';
}

async function handleApiCall(
  runtime: EmulatorRuntime,
  route: ApiRoute,
  environment: Environment,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  const now = runtime.clock.now();
  const query = (request.query ?? {}) as Record<string, unknown>;
  const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<
    string,
    unknown
  >;
  const advertiserId =
    typeof query.advertiser_id === 'string'
      ? query.advertiser_id
      : typeof body.advertiser_id === 'string'
        ? body.advertiser_id
        : null;
  const entry: LogEntry = {
    at: new Date(now).toISOString(),
    method: route.method,
    path: route.path,
    environment,
    appId: null,
    advertiserId,
    code: null,
    httpStatus: 200,
    fault: null,
  };
  const send = (envelope: Envelope) => {
    entry.code = envelope.code;
    runtime.log.add(entry);
    return reply.code(200).send(envelope);
  };
  const call = { runtime, request, reply, entry, send, query, body, now };
  const fault = drawFault(runtime, route.path, callerAppId(call), now);
  if (fault) {
    entry.fault = fault.type === 'malformedBody' ? `malformedBody:${fault.variant ?? 'random'}` : fault.type;
    if (await answerBeforeHandling(call, fault)) return reply;
  }
  try {
    const { token, app } = admit(runtime, route, environment, call);
    const data = await route.handle({
      state: runtime.state,
      now,
      environment,
      token,
      app,
      query,
      body,
      request,
      ids: runtime.ids,
      baseUrl: runtime.baseUrl(),
    });
    return answerWithFault(call, ok(data, now), fault);
  } catch (error) {
    if (error instanceof ApiFailure) return send(fail(error.code, error.message, now));
    throw error;
  }
}

type LogEntry = {
  at: string;
  method: string;
  path: string;
  environment: Environment;
  appId: string | null;
  advertiserId: string | null;
  code: number | null;
  httpStatus: number;
  fault: string | null;
};

/** One API call being answered: where it is logged, how an envelope is sent, what it carried. */
interface ApiCall {
  runtime: EmulatorRuntime;
  request: FastifyRequest;
  reply: FastifyReply;
  entry: LogEntry;
  send(envelope: Envelope): FastifyReply;
  query: Record<string, unknown>;
  body: Record<string, unknown>;
  now: number;
}

/** The fault this call meets, if any; a chaos fault is a different misbehaviour each time. */
function drawFault(runtime: EmulatorRuntime, path: string, appId: string | null, now: number) {
  const picked = pickFault(runtime, path, appId, now);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(runtime.random() * list.length)]!;
  if (picked?.type === 'chaos') return drawChaos(picked, pick);
  if (picked?.type === 'malformedBody' && !picked.variant)
    return { ...picked, variant: pick(MALFORMED_VARIANTS) };
  return picked;
}

type DrawnFault = NonNullable<ReturnType<typeof drawFault>>;

/**
 * Faults that answer instead of the endpoint: resets, gateway pages, outages, throttles (and delays).
 * True when the call was answered (a reply is thenable, so it is not returned through a promise).
 */
async function answerBeforeHandling(call: ApiCall, fault: DrawnFault): Promise<boolean> {
  const { runtime, request, reply, entry, send, now } = call;
  if (fault.type === 'connectionReset') {
    entry.httpStatus = 0;
    runtime.log.add(entry);
    request.raw.socket.destroy();
    reply.hijack();
    return true;
  }
  if (fault.type === 'gatewayHtml') {
    entry.httpStatus = fault.status;
    runtime.log.add(entry);
    void reply
      .code(fault.status)
      .type('text/html')
      .send(
        `<html><head><title>${fault.status} Bad Gateway</title></head><body><center><h1>${fault.status} Bad Gateway</h1></center><hr><center>nginx</center></body></html>`,
      );
    return true;
  }
  if (fault.type === 'outage') {
    send(fail(fault.code, fault.message ?? 'Internal service error. Please retry later.', now));
    return true;
  }
  if (fault.type === 'throttle') {
    send(fail(fault.code, throttleMessage(call, fault), now));
    return true;
  }
  if (fault.type === 'regionBlock') {
    send(fail(fault.code, 'Client IP address is in banned Country list.', now));
    return true;
  }
  if (fault.type === 'slow') await sleep(fault.delayMs);
  return false;
}

/** Who is calling, checked as TikTok does: the token (or the app named), the environment, the rate limits. */
function admit(runtime: EmulatorRuntime, route: ApiRoute, environment: Environment, call: ApiCall) {
  const { entry, request, body, now } = call;
  let token: EmulatedToken | undefined;
  if (route.auth === 'token') {
    token = authenticate(runtime.state, request.headers['access-token'], environment, now);
    entry.appId = token.appId;
    if (token.appMismatch)
      throw new ApiFailure(40000, "The app_id is inconsistent with the token's app information.");
  } else {
    const named = body.app_id ?? body.client_id;
    entry.appId = typeof named === 'string' ? named : null;
  }
  if (environment === 'sandbox' && route.sandbox === false)
    throw new ApiFailure(40009, `${route.path} is not supported in the sandbox environment.`);
  const app = entry.appId ? runtime.state.apps.get(entry.appId) : undefined;
  if (app) {
    const admission = runtime.limiter.admit(
      {
        appId: app.appId,
        tier: app.tier,
        environment,
        path: route.path,
        advertiserId: entry.advertiserId ?? undefined,
      },
      now,
    );
    if (!admission.ok) throw new ApiFailure(admission.code, admission.message);
  }
  return { token, app };
}

/** The endpoint's answer, or that answer spoiled by a body fault (malformed, huge, stalled, truncated). */
function answerWithFault(call: ApiCall, envelope: Envelope, fault: DrawnFault | null | undefined) {
  const { runtime, request, reply, entry } = call;
  if (fault?.type === 'malformedBody' || fault?.type === 'hugeBody' || fault?.type === 'stalledBody') {
    runtime.log.add(entry);
    if (fault.type === 'hugeBody') return sendHuge(reply, fault.bytes, fault.declared);
    if (fault.type === 'stalledBody') return sendStalled(request, reply, envelope, fault.stallMs);
    const { type, body } = malformedResponse(fault.variant!, envelope);
    return reply.code(200).type(type).send(body);
  }
  if (fault?.type === 'truncatedJson') {
    entry.code = 0;
    runtime.log.add(entry);
    const text = JSON.stringify(envelope);
    return reply
      .code(200)
      .type('application/json')
      .send(text.slice(0, Math.max(1, Math.floor(text.length / 2))));
  }
  return call.send(envelope);
}

function authenticate(
  state: EmulatorState,
  header: string | string[] | undefined,
  environment: Environment,
  now: number,
): EmulatedToken {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value)
    throw new ApiFailure(
      40104,
      'Access token is null, you should set it in http header with key Access-Token.',
    );
  const token = state.tokens.get(value);
  if (!token || token.environment !== environment || token.status === 'revoked') {
    throw new ApiFailure(40105, 'Access token is incorrect or has been revoked.');
  }
  if (token.status === 'expired' || (token.expiresAt !== undefined && now >= token.expiresAt))
    throw new ApiFailure(40102, 'Access token has expired.');
  return token;
}

function pickFault(runtime: EmulatorRuntime, path: string, appId: string | null, now: number) {
  runtime.faults.splice(
    0,
    runtime.faults.length,
    ...runtime.faults.filter(
      (f) =>
        (f.until === null || f.until > now) && (f.fault.times === undefined || (f.hits ?? 0) < f.fault.times),
    ),
  );
  for (const active of runtime.faults) {
    if (active.fault.paths && !active.fault.paths.includes(path)) continue;
    if (active.fault.appIds && !(appId && active.fault.appIds.includes(appId))) continue;
    if (active.fault.times !== undefined && active.fault.times <= (active.hits ?? 0)) continue;
    if (runtime.random() < active.fault.rate) {
      active.hits = (active.hits ?? 0) + 1;
      return active.fault;
    }
  }
  return undefined;
}

// The first id of a JSON-array parameter, for messages about "the" advertiser of a batch call.
function firstListed(raw: unknown): string {
  try {
    const ids = JSON.parse(String(raw));
    return Array.isArray(ids) && ids.length > 0 ? String(ids[0]) : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** A throttle fault's message, worded as TikTok words the limit it names. */
function throttleMessage(call: ApiCall, fault: Extract<DrawnFault, { type: 'throttle' }>): string {
  const { runtime, query, entry } = call;
  if (fault.code !== 40100)
    return `Advertiser (${entry.advertiserId ?? firstListed(query.advertiser_ids)})'s QPS (21) reaches QPS limit 20 for current path, request is temporarily restricted.`;
  const appId = callerAppId(call) ?? 'unknown';
  const tier = runtime.state.apps.get(appId)?.tier;
  const limits = TIER_LIMITS[tier && tier !== 'none' ? tier : 'basic'];
  const limit = { QPS: limits.qps, QPM: limits.qpm, QPD: limits.qpd }[fault.unit];
  return appLimitMessage(appId, { unit: fault.unit, count: limit + 1, limit });
}

/** The app a call comes from, before it is authenticated: its token's app, or the app_id it sends. */
function callerAppId(call: Pick<ApiCall, 'runtime' | 'request' | 'body' | 'query'>): string | null {
  const header = call.request.headers['access-token'];
  const token = call.runtime.state.tokens.get(Array.isArray(header) ? (header[0] ?? '') : (header ?? ''));
  const named = call.body.app_id ?? call.body.client_id ?? call.query.app_id;
  return token?.appId ?? (typeof named === 'string' ? named : null);
}
