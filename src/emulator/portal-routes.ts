import type { FastifyInstance, FastifyReply } from 'fastify';
import { accountConsentPage, consentPage, denyConsent, grantConsent } from './portal.ts';
import type { EmulatorRuntime } from './server.ts';

type Form = Record<string, string | string[] | undefined>;
const single = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/**
 * TikTok's consent pages, emulated: the advertiser consent (`/portal/auth`, the app's advertisers with
 * checkboxes) and the TikTok account consent (`/v2/auth/authorize/`, what a `tt_user` re-auth opens).
 * Both are forms a script can post: Authorize redirects back with a code, Cancel with `access_denied`.
 */
export function registerPortal(app: FastifyInstance, runtime: EmulatorRuntime) {
  app.get('/portal/auth', (request, reply) => {
    const query = request.query as { app_id?: string; state?: string; redirect_uri?: string };
    if (!query.app_id || !query.redirect_uri)
      return reply.code(400).type('text/plain').send('app_id and redirect_uri are required');
    recordConsentRequest(runtime, query.app_id, query.redirect_uri, query.state);
    const page = consentPage(
      runtime.state,
      { app_id: query.app_id, state: query.state, redirect_uri: query.redirect_uri },
      '/portal/auth',
    );
    return reply.type('text/html').send(page);
  });
  app.post('/portal/auth', (request, reply) => {
    const form = request.body as Form;
    const ids = form.advertiser_ids === undefined ? [] : [form.advertiser_ids].flat();
    return answerConsent(runtime, reply, form, 'app_id', { advertiserIds: ids });
  });
  app.get('/v2/auth/authorize/', (request, reply) => {
    const query = request.query as {
      client_key?: string;
      state?: string;
      redirect_uri?: string;
      scope?: string;
    };
    if (!query.client_key || !query.redirect_uri)
      return reply.code(400).type('text/plain').send('client_key and redirect_uri are required');
    recordConsentRequest(runtime, query.client_key, query.redirect_uri, query.state);
    const page = accountConsentPage(runtime.state, {
      ...query,
      client_key: query.client_key,
      redirect_uri: query.redirect_uri,
    });
    return reply.type('text/html').send(page);
  });
  app.post('/v2/auth/authorize/', (request, reply) => {
    const form = request.body as Form;
    return answerConsent(runtime, reply, form, 'client_key', { regime: 'tt_user' });
  });
}

/** Keeps the last 100 consent pages opened (the control API shows them). */
function recordConsentRequest(runtime: EmulatorRuntime, appId: string, redirectUri: string, state?: string) {
  runtime.consentRequests.push({ appId, state, redirectUri, granted: false });
  if (runtime.consentRequests.length > 100) runtime.consentRequests.shift();
}

/** The person's decision: back to `redirect_uri` with a code (Authorize) or `access_denied` (Cancel). */
function answerConsent(
  runtime: EmulatorRuntime,
  reply: FastifyReply,
  form: Form,
  appField: 'app_id' | 'client_key',
  consent: { advertiserIds?: string[]; regime?: 'tt_user' },
) {
  const redirectUri = single(form.redirect_uri);
  const appId = single(form[appField]);
  if (!redirectUri || !appId)
    return reply.code(400).type('text/plain').send(`${appField} and redirect_uri are required`);
  const stateParam = single(form.state) || undefined;
  if (single(form.decision) === 'cancel') return reply.redirect(denyConsent(redirectUri, stateParam), 302);
  try {
    const environment = runtime.state.apps.get(appId)?.environment ?? 'production';
    const input = { appId, redirectUri, state: stateParam, environment, ...consent };
    return reply.redirect(grantConsent(runtime.state, input, runtime.clock.now()), 302);
  } catch (error) {
    return reply
      .code(400)
      .type('text/plain')
      .send((error as Error).message);
  }
}
