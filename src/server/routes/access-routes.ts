import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services/index.ts';

/** Users, sign-in links and API keys (admin scope). */
export function accessRoutes(app: FastifyInstance, services: Services): void {
  app.get('/api/v1/users', async () => ({ users: await services.users.listUsers() }));
  app.post('/api/v1/users', async (request, reply) => {
    const body = (request.body ?? {}) as { email: string; password?: string; client_ids?: unknown };
    // client_ids: the clients this operator may see (each must exist); absent: every client.
    const clientIds = Array.isArray(body.client_ids) ? body.client_ids.map(String) : null;
    for (const id of clientIds ?? []) await services.clients.require(id);
    return reply.code(201).send({
      user: await services.users.createUser({ email: body.email, password: body.password, clientIds }),
    });
  });
  app.post('/api/v1/users/login-link', async (request) => {
    const { email } = (request.body ?? {}) as { email?: string };
    return services.users.loginLink(typeof email === 'string' && email ? email : undefined);
  });
  app.get('/api/v1/api-keys', async () => ({ api_keys: await services.users.listApiKeys() }));
  app.post('/api/v1/api-keys', async (request, reply) =>
    reply.code(201).send({ api_key: await services.users.createApiKey(request.body) }),
  );
  app.delete<{ Params: { id: string } }>('/api/v1/api-keys/:id', async (request) =>
    services.users.revokeApiKey(request.params.id),
  );
}
