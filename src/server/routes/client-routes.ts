import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isServiceError, type Services } from '../../services/index.ts';
import { escapeHtml, page } from '../pages.ts';
import { scopeOf } from '../scope.ts';
import { clientsPage } from '../views/client-pages.ts';
import { contextOf } from './page-context.ts';

type Form = Record<string, string | undefined>;
type IdRequest = FastifyRequest<{ Params: { id: string } }>;

const who = (request: FastifyRequest) => {
  const p = request.principal;
  return p?.type === 'user' ? p.email : p?.type === 'key' ? `API key ${p.name}` : 'adwarden';
};

/** The clients page, with an invitation just made shown on this response only. */
async function renderClients(
  services: Services,
  request: FastifyRequest,
  reply: FastifyReply,
  created: { client: string; url: string; expires_at: string } | null = null,
) {
  const scope = scopeOf(request);
  const clients = await services.clients.list(scope);
  const invitations = new Map(
    await Promise.all(
      clients.map(async (c) => [c.id, await services.clients.invitations(c.id, scope)] as const),
    ),
  );
  const markup = clientsPage(contextOf(request), {
    clients,
    invitations,
    apps: await services.apps.list(),
    canCreate: scope === null,
    now: services.now(),
    created,
  });
  return reply.type('text/html; charset=utf-8').send(markup);
}

const back = (reply: FastifyReply, text: string) =>
  reply.redirect(`/clients?done=${encodeURIComponent(text)}`, 303);

/** Clients and connect invitations: the API, the dashboard's page, and the public invitation pages. */
export function clientRoutes(app: FastifyInstance, services: Services): void {
  app.get('/api/v1/clients', async (request) => ({ clients: await services.clients.list(scopeOf(request)) }));
  app.post('/api/v1/clients', async (request, reply) =>
    reply.code(201).send({ client: await services.clients.create(request.body ?? {}) }),
  );
  app.get('/api/v1/clients/:id/invitations', async (request: IdRequest) => ({
    invitations: await services.clients.invitations(request.params.id, scopeOf(request)),
  }));
  app.post('/api/v1/clients/:id/invitations', async (request: IdRequest, reply) =>
    reply.code(201).send({
      invitation: await services.clients.invite(
        request.params.id,
        request.body,
        who(request),
        scopeOf(request),
      ),
    }),
  );
  app.post('/api/v1/invitations/:id/revoke', async (request: IdRequest) => ({
    invitation: await services.clients.revokeInvitation(request.params.id, scopeOf(request)),
  }));
  app.post('/api/v1/connections/:id/client', async (request: IdRequest) => {
    const clientId = (request.body as { client_id?: unknown } | undefined)?.client_id;
    await services.clients.assign(
      request.params.id,
      typeof clientId === 'string' && clientId ? clientId : null,
    );
    return { connection: (await services.connections.list()).find((c) => c.id === request.params.id) };
  });

  app.get('/clients', async (request, reply) => renderClients(services, request, reply));
  app.post('/clients', async (request, reply) => {
    try {
      const client = await services.clients.create({ name: ((request.body ?? {}) as Form).name ?? '' });
      return back(reply, `Client ${client.name} added: send it a connect invitation.`);
    } catch (error) {
      if (!isServiceError(error)) throw error;
      return back(reply, `Not done: ${error.message}`);
    }
  });
  app.post('/clients/:id/invitations', async (request: IdRequest, reply) => {
    const form = (request.body ?? {}) as Form;
    try {
      const client = await services.clients.require(request.params.id, scopeOf(request));
      const invitation = await services.clients.invite(
        client.id,
        { app_id: form.app_id || undefined, days: Number(form.days ?? 7) || 7 },
        who(request),
        scopeOf(request),
      );
      return renderClients(services, request, reply, {
        client: client.name,
        url: invitation.url,
        expires_at: invitation.expires_at,
      });
    } catch (error) {
      if (!isServiceError(error)) throw error;
      return back(reply, `Not done: ${error.message}`);
    }
  });
  app.post('/invitations/:id/revoke', async (request: IdRequest, reply) => {
    try {
      await services.clients.revokeInvitation(request.params.id, scopeOf(request));
      return back(reply, 'Invitation revoked: the link no longer works.');
    } catch (error) {
      if (!isServiceError(error)) throw error;
      return back(reply, `Not done: ${error.message}`);
    }
  });
  invitationPages(app, services);
}

/** What a person outside the agency sees: the invitation, and the way to TikTok's consent. */
function invitationPages(app: FastifyInstance, services: Services): void {
  const refused = (reply: FastifyReply, error: unknown) => {
    if (!isServiceError(error)) throw error;
    return reply
      .code(error.code === 'ADW_NOT_FOUND' ? 404 : 410)
      .type('text/html')
      .send(page('This invitation cannot be used', `<p>${escapeHtml(error.message)}</p>`, 'problem'));
  };
  app.get<{ Params: { token: string } }>('/invite/:token', async (request, reply) => {
    try {
      const invite = await services.clients.open(request.params.token);
      const start = `/invite/${encodeURIComponent(request.params.token)}/start`;
      return reply.type('text/html').send(
        page(
          `Connect ${invite.client}'s TikTok ad accounts`,
          `<p>${escapeHtml(invite.invited_by)} invites ${escapeHtml(invite.client)} to connect its TikTok ad accounts to <strong>${escapeHtml(invite.app)}</strong>${invite.environment === 'sandbox' ? ' (TikTok’s sandbox)' : ''}, so the agency is told at once when an account, a token or an ad stops working.</p>
<ol><li>Continue to TikTok and sign in with the account that manages the ad accounts (or a Business Center admin).</li><li>Tick the ad accounts to connect, and authorize.</li><li>You come back here to a page that says what was connected.</li></ol>
<p><a href="${start}" style="display:inline-block;background:#0a7d38;color:#fff;padding:.6rem 1rem;border-radius:6px;text-decoration:none">Continue to TikTok</a></p>
<p style="color:#667085">No adwarden account is needed. This link only connects ad accounts to ${escapeHtml(invite.client)}; it works until ${escapeHtml(invite.expires_at.slice(0, 10))} unless the agency withdraws it.</p>`,
        ),
      );
    } catch (error) {
      return refused(reply, error);
    }
  });
  app.get<{ Params: { token: string } }>('/invite/:token/start', async (request, reply) => {
    try {
      return reply.redirect(await services.clients.start(request.params.token), 302);
    } catch (error) {
      return refused(reply, error);
    }
  });
}
