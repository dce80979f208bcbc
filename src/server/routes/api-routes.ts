import type { FastifyInstance } from 'fastify';
import { ServiceError, type Services } from '../../app/index.ts';

/** The JSON API the management commands use (the full API comes with the dashboard). */
export function apiRoutes(app: FastifyInstance, services: Services): void {
  app.get('/api/v1/apps', async () => ({ apps: await services.apps.list() }));
  app.post('/api/v1/apps', async (request, reply) => {
    const result = await services.apps.register(request.body ?? {});
    return reply.code(result.created ? 201 : 200).send(result);
  });
  app.get<{ Params: { appId: string } }>('/api/v1/apps/:appId', async (request) => ({
    app: await services.apps.get(request.params.appId),
  }));

  app.get('/api/v1/connections', async () => ({ connections: await services.connections.list() }));
  app.get<{ Params: { id: string } }>('/api/v1/connections/:id', async (request) => ({
    connection: await services.connections.show(request.params.id),
  }));
  app.get<{ Params: { id: string } }>('/api/v1/connections/:id/history', async (request) => ({
    events: await services.connections.history(request.params.id),
  }));
  // "Check now": the same probe as the sweep, so what it finds opens or resolves incidents.
  app.post<{ Params: { id: string } }>('/api/v1/connections/:id/check', async (request) => {
    const result = await services.monitor.probe(request.params.id, 'check_now');
    if (!result.check)
      throw new ServiceError(
        'ADW_CONFLICT',
        'a check of this connection is running right now; ask again in a moment',
      );
    return { ...result.check, incidents_opened: result.opened, next_check_at: result.next_check_at };
  });
  app.post<{ Params: { id: string } }>('/api/v1/connections/:id/reauth-link', async (request) =>
    services.connections.reauthLink(request.params.id),
  );
  app.post<{ Params: { id: string } }>('/api/v1/connections/:id/revoke', async (request) =>
    services.connections.revoke(request.params.id),
  );

  app.get('/api/v1/keys', async () => services.keys.status());
  app.post('/api/v1/keys/rotate', async () => services.keys.rotate());
}
