import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ServiceError, type Services } from '../../services/index.ts';
import { incidentConnections, scopeOf } from '../scope.ts';

const STATES = ['open', 'acknowledged', 'resolved', 'muted'] as const;

const ListQuery = z.object({
  state: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(',') : undefined))
    .pipe(z.array(z.enum(STATES)).optional()),
  kind: z.string().optional(),
  connection: z.string().optional(),
  client: z.string().max(64).optional(),
  severity: z.enum(['critical', 'high', 'medium', 'low']).optional(),
  q: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  offset: z.coerce.number().int().min(0).max(1_000_000).optional(),
});

const CommandBody = z.object({
  by: z.string().min(1).max(200).default('api'),
  note: z.string().max(2000).optional(),
  /** For mute: until when (ISO time). */
  until: z.iso.datetime({ offset: true }).optional(),
});

const Observation = z.object({
  connection_id: z.string().min(1),
  code: z.union([z.number().int(), z.string().max(64)]).nullish(),
  message: z.string().max(2000).nullish(),
  endpoint: z.string().max(300).nullish(),
  method: z.enum(['GET', 'POST']).nullish(),
  advertiser_id: z.string().max(64).nullish(),
  request_id: z.string().max(128).nullish(),
});

const VideosQuery = z.object({
  connection: z.string().optional(),
  state: z.enum(['processing', 'ready', 'stuck']).optional(),
});

function parse<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  throw new ServiceError(
    'ADW_INVALID_INPUT',
    `invalid ${what}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'} ${i.message}`).join('; ')}`,
  );
}

/** Incidents (list, show, commands), notification channels, and in-band observations. */
export function incidentRoutes(app: FastifyInstance, services: Services): void {
  app.get('/api/v1/incidents', async (request) => {
    const q = parse(ListQuery, request.query, 'query');
    const narrowed = await incidentConnections(services, scopeOf(request), q.client);
    const filter = {
      states: q.state,
      problem: q.kind,
      severity: q.severity,
      q: q.q,
      connectionId: q.connection,
      ...narrowed,
    };
    const limit = q.limit ?? 100;
    const [incidents, total] = await Promise.all([
      services.incidents.list({ ...filter, limit, offset: q.offset ?? 0 }),
      services.incidents.count(filter),
    ]);
    // A page, and how many there are: no list is cut short without saying so.
    return { incidents, total, limit, offset: q.offset ?? 0 };
  });
  app.get<{ Params: { id: string } }>('/api/v1/incidents/:id', async (request) => ({
    incident: await services.incidents.show(request.params.id),
  }));
  app.get<{ Params: { id: string } }>('/api/v1/incidents/:id/timeline', async (request) => ({
    timeline: (await services.incidents.show(request.params.id)).timeline,
  }));
  for (const action of ['acknowledge', 'mute', 'unmute', 'resolve', 'reopen'] as const) {
    app.post<{ Params: { id: string } }>(`/api/v1/incidents/:id/${action}`, async (request) => {
      const body = parse(CommandBody, request.body, 'command');
      const command =
        action === 'mute'
          ? { type: action, by: body.by, ...(body.until ? { until: Date.parse(body.until) } : {}) }
          : action === 'resolve'
            ? { type: action, by: body.by, note: body.note }
            : { type: action, by: body.by };
      const result = await services.incidents.command(request.params.id, command);
      return {
        incident: await services.incidents.show(request.params.id),
        changed: result.effects.length > 0,
      };
    });
  }

  app.get('/api/v1/channels', async () => ({ channels: await services.notifications.listChannels() }));
  app.post('/api/v1/channels', async (request, reply) => {
    const channel = await services.notifications.addChannel(request.body ?? {});
    return reply.code(channel.created ? 201 : 200).send({ channel });
  });
  app.post<{ Params: { id: string } }>('/api/v1/channels/:id/test', async (request) =>
    services.notifications.test(request.params.id),
  );
  app.delete<{ Params: { id: string } }>('/api/v1/channels/:id', async (request) =>
    services.notifications.removeChannel(request.params.id),
  );

  /** Uploads a pipeline wants watched until TikTok has transcoded them. */
  app.post('/api/v1/videos', async (request, reply) =>
    reply.code(202).send(await services.monitor.videos.watch(request.body)),
  );
  app.get('/api/v1/videos', async (request) => {
    const q = parse(VideosQuery, request.query, 'query');
    return { videos: await services.monitor.videos.list({ connectionId: q.connection, state: q.state }) };
  });

  /** A library user's failed call, reported so adwarden can act without waiting for the next sweep. */
  app.post('/api/v1/observations', async (request, reply) => {
    const body = parse(Observation, request.body, 'observation');
    return reply.code(202).send({ observation: await services.monitor.observeInBand(body) });
  });
}
