import type { FastifyInstance, FastifyRequest } from 'fastify';
import { canSee, type Services } from '../../services/index.ts';
import { incidentConnections, scopeOf } from '../scope.ts';
import { connectionsPage } from '../views/dashboard-pages.ts';
import { incidentsPage } from '../views/incident-pages.ts';
import { contextOf } from './page-context.ts';

type Query = Record<string, string | undefined>;
const STATES = ['open', 'acknowledged', 'resolved', 'muted'] as const;
const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;

/** Page number and size from the query: 50 a page by default, 200 at most. */
export function paging(query: Query): { page: number; per: number } {
  const page = Math.max(1, Math.min(100_000, Math.floor(Number(query.page ?? 1)) || 1));
  const per = Math.max(10, Math.min(200, Math.floor(Number(query.per ?? 50)) || 50));
  return { page, per };
}

const text = (value: string | undefined, max = 100) => (value ?? '').trim().slice(0, max);

/** The connections a request's filters pick, sorted: what the page and the API list. */
export async function filteredConnections(
  services: Services,
  request: FastifyRequest,
  /** Without `sort`: `created` (the API: oldest first, as connections were made), `name` (the page). */
  defaultSort: 'created' | 'name' = 'name',
) {
  const query = (request.query ?? {}) as Query;
  const scope = scopeOf(request);
  const q = text(query.q).toLowerCase();
  const all = (await services.connections.list()).filter((c) => canSee(scope, c.client_id));
  const picked = all.filter(
    (c) =>
      (!query.client || (query.client === 'none' ? c.client_id === null : c.client_id === query.client)) &&
      (!query.status || c.status === query.status) &&
      (!query.app || c.app_id === query.app) &&
      (!q || [c.name, c.id, c.owner_contact ?? ''].some((v) => v.toLowerCase().includes(q))),
  );
  const sort =
    (['status', 'last_check', 'name', 'created'] as const).find((s) => s === query.sort) ?? defaultSort;
  if (sort === 'created') return { picked, sort };
  picked.sort((a, b) =>
    sort === 'status'
      ? a.status.localeCompare(b.status) || a.name.localeCompare(b.name)
      : sort === 'last_check'
        ? String(b.last_check_at ?? '').localeCompare(String(a.last_check_at ?? ''))
        : a.name.localeCompare(b.name),
  );
  return { picked, sort };
}

/** The incidents a request's filters pick, one page of them, and how many there are in all. */
export async function filteredIncidents(services: Services, request: FastifyRequest) {
  const query = (request.query ?? {}) as Query;
  const scope = scopeOf(request);
  const state = query.state ?? 'open,acknowledged';
  const states = state
    .split(',')
    .filter((s): s is (typeof STATES)[number] => (STATES as readonly string[]).includes(s));
  const severity = (SEVERITIES as readonly string[]).includes(query.severity ?? '')
    ? (query.severity as (typeof SEVERITIES)[number])
    : undefined;
  const narrowed = await incidentConnections(services, scope, query.client);
  const { page, per } = paging(query);
  const filter = {
    states,
    severity,
    problem: text(query.kind, 40) || undefined,
    q: text(query.q) || undefined,
    ...narrowed,
  };
  const [incidents, total] = await Promise.all([
    services.incidents.list({ ...filter, limit: per, offset: (page - 1) * per }),
    services.incidents.count(filter),
  ]);
  return { incidents, total, page, per, state };
}

/** The connection and incident lists: search, filters, sorting and pages, within the operator's clients. */
export function listPages(app: FastifyInstance, services: Services): void {
  app.get('/connections', async (request, reply) => {
    const query = (request.query ?? {}) as Query;
    const { picked, sort } = await filteredConnections(services, request);
    const { page, per } = paging(query);
    const markup = connectionsPage(contextOf(request), {
      connections: picked.slice((page - 1) * per, page * per),
      total: picked.length,
      page,
      per,
      filter: {
        client: query.client ?? '',
        status: query.status ?? '',
        app: query.app ?? '',
        q: text(query.q),
        sort,
      },
      clients: await services.clients.list(scopeOf(request)),
      apps: await services.apps.list(),
      canConnect: scopeOf(request) === null,
      now: services.now(),
    });
    return reply.type('text/html; charset=utf-8').send(markup);
  });
  app.get('/incidents', async (request, reply) => {
    const query = (request.query ?? {}) as Query;
    const result = await filteredIncidents(services, request);
    const markup = incidentsPage(contextOf(request), {
      ...result,
      filter: {
        client: query.client ?? '',
        severity: query.severity ?? '',
        kind: text(query.kind, 40),
        q: text(query.q),
      },
      clients: await services.clients.list(scopeOf(request)),
      now: services.now(),
    });
    return reply.type('text/html; charset=utf-8').send(markup);
  });
}
