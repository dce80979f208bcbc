import type { FastifyInstance } from 'fastify';
import { CATALOG, lookupCode } from '../../catalog/index.ts';
import { canSee, ServiceError, type Services } from '../../services/index.ts';
import { scopeOf } from '../scope.ts';
import { filteredConnections, paging } from './list-pages.ts';

/** Apps, connections (with their advertisers, checks and history), the sealing keys, and the catalog. */
export function apiRoutes(app: FastifyInstance, services: Services): void {
  app.get('/api/v1/apps', async () => ({ apps: await services.apps.list() }));
  app.post('/api/v1/apps', async (request, reply) => {
    const result = await services.apps.register(request.body ?? {});
    return reply.code(result.created ? 201 : 200).send(result);
  });
  app.get<{ Params: { appId: string } }>('/api/v1/apps/:appId', async (request) => ({
    app: await services.apps.get(request.params.appId),
  }));

  app.get('/api/v1/connections', async (request) => {
    const { picked } = await filteredConnections(services, request, 'created');
    const query = request.query as { page?: string };
    if (!query.page) return { connections: picked, total: picked.length };
    const { page, per } = paging(query as Record<string, string>);
    return { connections: picked.slice((page - 1) * per, page * per), total: picked.length, page, per };
  });
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
        'a check of this connection is running right now; adwarden checks it again as soon as that one ends',
      );
    return { ...result.check, incidents_opened: result.opened, next_check_at: result.next_check_at };
  });
  app.get<{ Params: { id: string } }>('/api/v1/connections/:id/advertisers', async (request) => ({
    advertisers: (await services.connections.show(request.params.id)).advertiser_list,
  }));
  app.get<{ Params: { id: string }; Querystring: { days?: string } }>(
    '/api/v1/connections/:id/checks',
    async (request) => {
      await services.connections.require(request.params.id);
      const days = Math.min(30, Math.max(1, Number(request.query.days ?? 7) || 7));
      const checks = await services.monitor.checkHistory(request.params.id, days * 86_400_000);
      return { checks: checks.map((c) => ({ at: c.at.toISOString(), outcome: c.outcome })) };
    },
  );
  app.get('/api/v1/advertisers', async (request) => {
    const advertisers = [];
    const scope = scopeOf(request);
    for (const connection of (await services.connections.list()).filter((c) => canSee(scope, c.client_id)))
      for (const a of (await services.connections.show(connection.id)).advertiser_list)
        advertisers.push({ ...a, connection_id: connection.id, connection_status: connection.status });
    return { advertisers };
  });
  app.post<{ Params: { id: string } }>('/api/v1/connections/:id/reauth-link', async (request) =>
    services.connections.reauthLink(request.params.id),
  );
  app.post<{ Params: { id: string } }>('/api/v1/connections/:id/revoke', async (request) =>
    services.connections.revoke(request.params.id),
  );

  /** The failure catalog: every TikTok code adwarden knows, per TikTok, with folklore corrections. */
  app.get('/api/v1/catalog', async () => ({ codes: CATALOG }));
  app.get<{ Params: { code: string } }>('/api/v1/catalog/:code', async (request) => {
    const match = /^\d{1,9}$/.test(request.params.code) ? lookupCode(Number(request.params.code)) : undefined;
    if (!match)
      throw new ServiceError('ADW_NOT_FOUND', `no TikTok code ${request.params.code} in the catalog`);
    return { code: match.entry, match: match.match };
  });

  app.get('/api/v1/keys', async () => services.keys.status());
  app.post('/api/v1/keys/rotate', async () => services.keys.rotate());
}
