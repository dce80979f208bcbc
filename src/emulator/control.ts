import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { applyStateFault, clearFaults, FaultSchema, isRequestFault } from './faults.ts';
import { randomToken } from './ids.ts';
import { grantConsent } from './portal.ts';
import { issueTtUserToken } from './routes/tt-user.ts';
import { loadScenario, parseScenario, ScenarioError } from './scenario.ts';
import { startScenario } from './scenario-runner.ts';
import type { EmulatorRuntime } from './server.ts';
import { issueAdvertiserToken } from './state.ts';

const TokenRequest = z.strictObject({
  app_id: z.string(),
  advertiser_ids: z.array(z.string()).optional(),
  regime: z.enum(['advertiser', 'tt_user']).default('advertiser'),
});
const RedirectUriRequest = z.strictObject({ app_id: z.string(), redirect_uri: z.string().url() });

const AuthorizeRequest = z.strictObject({
  app_id: z.string(),
  redirect_uri: z.string().url(),
  state: z.string().optional(),
  advertiser_ids: z.array(z.string()).optional(),
  regime: z.enum(['advertiser', 'tt_user']).default('advertiser'),
});
const ClockRequest = z.strictObject({
  advanceMs: z.number().int().min(0).optional(),
  speed: z.number().positive().optional(),
});

function invalid(error: z.ZodError): { error: string } {
  return { error: error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') };
}

/** The control API under /__control: state, tokens, consent without a browser, faults, request log, clock. */
export function registerControlRoutes(app: FastifyInstance, runtime: EmulatorRuntime): void {
  const { state } = runtime;

  app.get('/__control/state', () => worldView(runtime));
  app.post('/__control/tokens', (request, reply) => {
    const parsed = TokenRequest.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send(invalid(parsed.error));
    const appRecord = state.apps.get(parsed.data.app_id);
    if (!appRecord) return reply.code(404).send({ error: `unknown app_id ${parsed.data.app_id}` });
    if (parsed.data.regime === 'tt_user') {
      const pair = issueTtUserToken(state, appRecord, runtime.clock.now());
      return {
        access_token: pair.accessToken,
        refresh_token: pair.refreshToken,
        open_id: pair.openId,
        advertiser_ids: [],
      };
    }
    const offered = [...state.advertisers.values()]
      .filter((a) => a.appIds.includes(appRecord.appId))
      .map((a) => a.advertiserId);
    const advertiserIds = parsed.data.advertiser_ids ?? offered;
    const token = issueAdvertiserToken(state, {
      app: appRecord,
      advertiserIds,
      accessToken: randomToken(20),
      now: runtime.clock.now(),
    });
    return { access_token: token.accessToken, advertiser_ids: token.advertiserIds };
  });

  // What a developer does in TikTok's portal: add a redirect URI to the app (TikTok allows up to 10).
  app.post('/__control/redirect-uris', (request, reply) => {
    const parsed = RedirectUriRequest.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send(invalid(parsed.error));
    const target = state.apps.get(parsed.data.app_id);
    if (!target) return reply.code(404).send({ error: `unknown app_id ${parsed.data.app_id}` });
    if (!target.redirectUris.includes(parsed.data.redirect_uri)) {
      if (target.redirectUris.length >= 10)
        return reply.code(400).send({ error: 'an app has at most 10 redirect URIs' });
      target.redirectUris.push(parsed.data.redirect_uri);
    }
    return { app_id: target.appId, redirect_uris: target.redirectUris };
  });

  app.post('/__control/authorize', (request, reply) => {
    const parsed = AuthorizeRequest.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send(invalid(parsed.error));
    const { app_id, redirect_uri, state: stateParam, advertiser_ids, regime } = parsed.data;
    try {
      const environment = state.apps.get(app_id)?.environment ?? 'production';
      return {
        redirect: grantConsent(
          state,
          {
            appId: app_id,
            redirectUri: redirect_uri,
            state: stateParam,
            advertiserIds: advertiser_ids,
            environment,
            regime,
          },
          runtime.clock.now(),
        ),
      };
    } catch (error) {
      return reply.code(400).send({ error: (error as Error).message });
    }
  });
  registerFaultRoutes(app, runtime);
}

/** Faults, the request log, the clock and scenarios. */
function registerFaultRoutes(app: FastifyInstance, runtime: EmulatorRuntime): void {
  const { state } = runtime;
  app.post('/__control/faults', (request, reply) => {
    const parsed = FaultSchema.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send(invalid(parsed.error));
    const fault = parsed.data;
    if (isRequestFault(fault)) {
      const id = runtime.nextFaultId();
      runtime.faults.push({
        id,
        fault,
        until: fault.durationMs ? runtime.clock.now() + fault.durationMs : null,
      });
      return { id, type: fault.type };
    }
    try {
      return {
        type: fault.type,
        ...applyStateFault(state, fault, () => randomToken(20), runtime.clock.now()),
      };
    } catch (error) {
      return reply.code(404).send({ error: (error as Error).message });
    }
  });

  app.delete('/__control/faults', () => {
    return { cleared: clearFaults(runtime.faults, state) };
  });

  app.get('/__control/requests', () => ({ total: runtime.log.total(), requests: runtime.log.list() }));
  app.delete('/__control/requests', () => {
    runtime.log.clear();
    return { cleared: true };
  });

  app.post('/__control/clock', (request, reply) => {
    const parsed = ClockRequest.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send(invalid(parsed.error));
    if (parsed.data.advanceMs !== undefined) runtime.clock.advance(parsed.data.advanceMs);
    if (parsed.data.speed !== undefined) runtime.clock.setSpeed(parsed.data.speed);
    runtime.scenario?.tick();
    return { now: new Date(runtime.clock.now()).toISOString(), speed: runtime.clock.speed };
  });

  app.get('/__control/scenario', () => scenarioStatus(runtime));
  app.post('/__control/scenario', async (request, reply) => {
    const body = request.body as { name?: unknown } | unknown[] | null;
    try {
      const scenario =
        body && !Array.isArray(body) && typeof body.name === 'string' && !('steps' in body)
          ? await loadScenario(body.name)
          : parseScenario(body, 'request body');
      runtime.scenario?.stop();
      runtime.scenario = startScenario(runtime, scenario);
      return scenarioStatus(runtime);
    } catch (error) {
      if (error instanceof ScenarioError)
        return reply.code(400).send({ error: error.message, problems: error.problems });
      throw error;
    }
  });
  app.delete('/__control/scenario', () => {
    runtime.scenario?.stop();
    return { stopped: runtime.scenario !== null };
  });
}

function scenarioStatus(runtime: EmulatorRuntime) {
  const run = runtime.scenario;
  if (!run) return null;
  return {
    name: run.name,
    description: run.description,
    started_at: new Date(run.startedAt).toISOString(),
    finished: run.steps.every((s) => s.status === 'done' || s.status === 'failed'),
    steps: run.steps,
  };
}

/** The emulated world as the control API shows it: apps with their secrets, advertisers, tokens. */
function worldView(runtime: EmulatorRuntime) {
  const { state } = runtime;
  return {
    now: new Date(runtime.clock.now()).toISOString(),
    apps: [...state.apps.values()].map((a) => ({
      app_id: a.appId,
      secret: a.secret,
      name: a.name,
      environment: a.environment,
      tier: a.tier,
      redirect_uris: a.redirectUris,
    })),
    advertisers: [...state.advertisers.values()].map((a) => ({
      advertiser_id: a.advertiserId,
      name: a.name,
      status: a.status,
      app_ids: a.appIds,
      timezone: a.timezone,
      deleted: a.deleted,
    })),
    tokens: [...state.tokens.values()].map((t) => ({
      access_token: t.accessToken,
      app_id: t.appId,
      environment: t.environment,
      regime: t.regime,
      advertiser_ids: t.advertiserIds,
      status: t.status,
      revoked_by: t.revokedBy ?? null,
      scope: t.scope,
      issued_at: new Date(t.issuedAt).toISOString(),
      ...(t.regime === 'tt_user'
        ? {
            refresh_token: t.refreshToken ?? null,
            open_id: t.openId ?? null,
            expires_at: t.expiresAt === undefined ? null : new Date(t.expiresAt).toISOString(),
            refresh_expires_at:
              t.refreshExpiresAt === undefined ? null : new Date(t.refreshExpiresAt).toISOString(),
          }
        : {}),
    })),
    faults: runtime.faults.map((f) => ({
      id: f.id,
      ...f.fault,
      until: f.until === null ? null : new Date(f.until).toISOString(),
    })),
  };
}
