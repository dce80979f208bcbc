import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.ts';
import { isServiceError } from '../../services/index.ts';
import { callbackPage, escapeHtml, page } from '../pages.ts';

/** Person-facing OAuth routes: connect, re-auth link, and TikTok's callback. */
export function oauthRoutes(app: FastifyInstance, services: Services): void {
  app.get('/connect/tiktok', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const appId = typeof query.app === 'string' ? query.app : '';
    const regime = query.regime === 'tt_user' ? 'tt_user' : 'advertiser';
    const owner = typeof query.owner === 'string' && query.owner.length <= 320 ? query.owner : null;
    if (!appId) {
      const apps = await services.apps.list();
      const links = apps
        .map(
          (a) =>
            `<li><a href="/connect/tiktok?app=${escapeHtml(a.app_id)}">${escapeHtml(a.name)} (${a.environment})</a></li>`,
        )
        .join('');
      return reply
        .code(apps.length ? 200 : 404)
        .type('text/html')
        .send(
          page(
            'Connect a TikTok advertiser',
            apps.length
              ? `<p>Choose the app to authorize:</p><ul>${links}</ul>`
              : '<p>No TikTok app is registered yet. Add one with <code>adwarden apps add</code>.</p>',
            apps.length ? 'ok' : 'problem',
          ),
        );
    }
    try {
      return reply.redirect(await services.connect.startConnect({ appId, regime, ownerContact: owner }), 302);
    } catch (error) {
      if (isServiceError(error))
        return reply
          .code(404)
          .type('text/html')
          .send(
            page('Unknown app', `<p>${error.code}: no TikTok app with this id is registered.</p>`, 'problem'),
          );
      throw error;
    }
  });

  app.get<{ Params: { token: string } }>('/reauth/:token', async (request, reply) => {
    try {
      return reply.redirect(await services.connect.startReauth(request.params.token), 302);
    } catch (error) {
      if (isServiceError(error))
        return reply
          .code(error.code === 'ADW_NOT_FOUND' ? 404 : 410)
          .type('text/html')
          .send(page('This link cannot be used', `<p>${escapeHtml(error.message)}</p>`, 'problem'));
      throw error;
    }
  });

  app.get('/oauth/tiktok/callback', async (request, reply) => {
    const result = await services.connect.handleCallback(request.query as Record<string, unknown>);
    const { status, html } = callbackPage(result);
    services.log.info(
      {
        outcome: result.outcome,
        ...('reason' in result ? { reason: result.reason } : {}),
        ...('connectionId' in result ? { connection: result.connectionId } : {}),
      },
      'oauth callback',
    );
    return reply.code(status).type('text/html').send(html);
  });
}
