import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../services/index.ts';
import { scopeOf } from '../scope.ts';
import { connectionPage, connectStartPage } from '../views/dashboard-pages.ts';
import { contextOf } from './page-context.ts';
import { handled, sendPage, shownOnce } from './page-forms.ts';

const DAY = 86_400_000;
type Form = Record<string, string | undefined>;
type IdRequest = FastifyRequest<{ Params: { id: string } }>;

/** The connection pages with their actions. */
export function connectionRoutes(app: FastifyInstance, services: Services): void {
  app.get('/connections/connect', async (request, reply) => {
    const query = request.query as { app?: string; owner?: string };
    const app = await services.apps.get(String(query.app ?? ''));
    return sendPage(
      reply,
      connectStartPage(contextOf(request), {
        appId: app.app_id,
        owner: String(query.owner ?? '').slice(0, 200),
      }),
    );
  });
  const showConnection = async (
    request: IdRequest,
    reply: FastifyReply,
    reauthLink: string | null = null,
  ) => {
    const id = request.params.id;
    const [connection, incidents, checks] = await Promise.all([
      services.connections.show(id),
      services.incidents.list({ connectionId: id }),
      services.monitor.checkHistory(id, 7 * DAY),
    ]);
    const page = connectionPage(contextOf(request), {
      connection,
      incidents,
      checks,
      now: services.now(),
      reauthLink,
      ...(scopeOf(request) === null ? { clients: await services.clients.list() } : {}),
    });
    return sendPage(reply, page);
  };
  app.get('/connections/:id', async (request: IdRequest, reply) => showConnection(request, reply));
  app.post('/connections/:id/check', async (request: IdRequest, reply) =>
    handled(reply, `/connections/${request.params.id}`, async () => {
      const result = await services.monitor.probe(request.params.id, 'operator');
      return result.check
        ? `Checked: ${result.check.summary}`
        : 'A check of this connection is running right now; adwarden checks it again as soon as that one ends.';
    }),
  );
  app.post('/connections/:id/reauth-link', async (request: IdRequest, reply) =>
    shownOnce(reply, `/connections/${request.params.id}`, async () => {
      const link = await services.connections.reauthLink(request.params.id);
      return showConnection(request, reply, link.url);
    }),
  );
  app.post('/connections/:id/client', async (request: IdRequest, reply) =>
    handled(reply, `/connections/${request.params.id}`, async () => {
      const clientId = ((request.body ?? {}) as Form).client_id || null;
      await services.clients.assign(request.params.id, clientId);
      return clientId
        ? 'Put under the client: its people and channel see it now.'
        : 'Taken out of its client.';
    }),
  );
  app.post('/connections/:id/revoke', async (request: IdRequest, reply) =>
    handled(reply, `/connections/${request.params.id}`, async () => {
      await services.connections.revoke(request.params.id);
      return 'Revoked: the token was revoked at TikTok and is never used again.';
    }),
  );
}
