import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type ClientScope, canSee, ServiceError, type Services } from '../services/index.ts';

/** The clients a request may see: every one (null), or the signed-in operator's. */
export const scopeOf = (request: FastifyRequest): ClientScope => request.principal?.clientIds ?? null;

/** The connections a scope may see (null: all). */
export async function visibleConnectionIds(services: Services, scope: ClientScope): Promise<string[] | null> {
  if (scope === null) return null;
  return (await services.connections.list()).filter((c) => canSee(scope, c.client_id)).map((c) => c.id);
}

/**
 * How an incident list is narrowed for a scope and an optional client filter: the connections it may
 * show (null: no narrowing), and whether incidents of no connection (apps, the platform) stay in.
 */
export async function incidentConnections(
  services: Services,
  scope: ClientScope,
  client: string | undefined,
): Promise<{ connectionIds: string[]; attachedOnly: boolean } | null> {
  if (scope === null && !client) return null;
  const connectionIds = (await services.connections.list())
    .filter((c) => canSee(scope, c.client_id) && (!client || c.client_id === client))
    .map((c) => c.id);
  return { connectionIds, attachedOnly: Boolean(client) };
}

// What an operator limited to some clients may change: its clients' connections, incidents and
// invitations, and its own password. Apps, channels, keys, users and new clients are an admin's.
const LIMITED_WRITES = [
  /^\/(api\/v1\/)?connections\/:id\/(check|reauth-link)$/,
  /^\/(api\/v1\/)?incidents\/:id\/(acknowledge|mute|unmute|resolve|reopen)$/,
  /^\/(api\/v1\/)?clients\/:id\/invitations$/,
  /^\/(api\/v1\/)?invitations\/:id\/revoke$/,
  /^\/logout$/,
  /^\/settings\/password$/,
];
// Pages and reads that are an admin's alone.
const ADMIN_READS = [/^\/settings$/, /^\/api\/v1\/(channels|apps|videos|tiktok\/subscriptions)(\/|$)/];

const notFound = (what: string) => new ServiceError('ADW_NOT_FOUND', `no ${what}`);

/**
 * Client scoping: an operator limited to some clients reaches nothing of another's — a connection or
 * incident of another client answers 404 as if it did not exist (pages and API alike), and changes
 * outside their clients' connections and incidents are refused. Lists filter in their handlers.
 */
export function registerClientScope(app: FastifyInstance, services: Services): void {
  app.addHook('preHandler', async (request, reply) => {
    const scope = scopeOf(request);
    if (scope === null) return;
    const route = request.routeOptions.url ?? '';
    const id = (request.params as { id?: string } | undefined)?.id;
    if (request.method !== 'GET' && !LIMITED_WRITES.some((p) => p.test(route)))
      return reply.code(403).send({
        error: { code: 'ADW_FORBIDDEN', message: 'operators limited to some clients cannot change this' },
      });
    if (request.method === 'GET' && ADMIN_READS.some((p) => p.test(route)))
      return reply
        .code(403)
        .send({ error: { code: 'ADW_FORBIDDEN', message: 'only an operator of every client sees this' } });
    if (!id) return;
    if (/^\/(api\/v1\/)?connections\/:id/.test(route)) {
      const connection = await services.connections.require(id);
      if (!canSee(scope, connection.client_id)) throw notFound(`connection ${id}`);
    } else if (/^\/(api\/v1\/)?incidents\/:id/.test(route)) {
      const incident = await services.incidents.show(id);
      const connectionId = (incident.subject as { connectionId?: string }).connectionId;
      if (connectionId && !canSee(scope, (await services.connections.require(connectionId)).client_id))
        throw notFound(`incident ${id}`);
    } else if (/^\/(api\/v1\/)?clients\/:id/.test(route)) {
      if (!canSee(scope, id)) throw notFound(`client ${id}`);
    }
  });
}
