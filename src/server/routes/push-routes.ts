import type { FastifyInstance } from 'fastify';
import { PUSH_PATH, type Services } from '../../services/index.ts';

/** TikTok's deliveries are small; anything larger is not one. */
const MAX_DELIVERY_BYTES = 256 * 1024;

/**
 * TikTok's push intake (public: TikTok signs each delivery with the app secret) and what adwarden
 * holds of TikTok's signals: its subscriptions and TikTok's own incidents.
 */
export function pushRoutes(app: FastifyInstance, services: Services): void {
  // The signature covers the raw body: read it as text, whatever the content type says.
  app.register(async (intake) => {
    intake.removeAllContentTypeParsers();
    intake.addContentTypeParser('*', { parseAs: 'string', bodyLimit: MAX_DELIVERY_BYTES }, (_r, body, done) =>
      done(null, body),
    );
    intake.post(PUSH_PATH, { schema: { hide: true } }, async (request, reply) => {
      const header = request.headers['tiktok-signature'];
      const answer = await services.push.intake(
        typeof request.body === 'string' ? request.body : '',
        Array.isArray(header) ? header[0] : header,
      );
      return reply.code(answer.status).send(answer.body);
    });
  });
  app.get('/api/v1/tiktok/status', async () => ({
    incidents: (await services.platform.list()).map((i) => ({
      id: i.id,
      title: i.title,
      level: i.level,
      state: i.state,
      link: i.link,
      source: i.source,
      started_at: i.started_at.toISOString(),
      updated_at: i.updated_at.toISOString(),
      resolved_at: i.resolved_at?.toISOString() ?? null,
    })),
  }));
  app.get('/api/v1/tiktok/subscriptions', async () => ({
    callback_url: services.push.callbackUrl(),
    subscriptions: (await services.push.list()).map((s) => ({
      subscription_id: s.subscription_id,
      app_id: s.app_id,
      connection_id: s.connection_id,
      entity: s.entity,
      advertiser_ids: JSON.parse(s.advertiser_ids) as string[],
      created_at: s.created_at.toISOString(),
      checked_at: s.checked_at.toISOString(),
    })),
  }));
}
