import type { FastifyInstance } from 'fastify';
import type { Services } from '../services/index.ts';

/** `/metrics` in Prometheus text format, and the per-request counter. */
export function registerMetrics(app: FastifyInstance, services: Services): void {
  app.addHook('onResponse', async (request, reply) => {
    services.metrics.httpRequest(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode);
  });
  app.get('/metrics', async (_request, reply) =>
    reply.type(services.metrics.registry.contentType).send(await services.metrics.registry.metrics()),
  );
}
