import type { Config } from '../../config/index.ts';
import type { CliIo } from '../io.ts';
import { send } from '../service-target.ts';
import { withService } from './manage.ts';

type Json = Record<string, unknown>;
const print = (io: CliIo, json: boolean | undefined, value: unknown, human: () => string) =>
  io.stdout(json ? `${JSON.stringify(value)}\n` : human());

const line = (i: Json) =>
  `${i.id}  ${String(i.severity).padEnd(8)}  ${String(i.state).padEnd(12)}  ${String(i.kind).padEnd(18)}  ${(i.subject as Json).label ?? ''}\n    ${i.summary}`;

/** `adwarden incidents list|show|ack|resolve`. */
export const incidentsCommands = {
  async list(
    config: Config,
    options: {
      json?: boolean;
      state?: string;
      kind?: string;
      client?: string;
      search?: string;
      limit?: number;
    },
    io: CliIo,
  ) {
    const query = new URLSearchParams();
    query.set('state', options.state ?? 'open,acknowledged');
    if (options.kind) query.set('kind', options.kind);
    if (options.client) query.set('client', options.client);
    if (options.search) query.set('q', options.search);
    query.set('limit', String(options.limit ?? 100));
    const { incidents, total } = await withService(config, (t) =>
      send<{ incidents: Json[]; total?: number }>(t, 'GET', `/api/v1/incidents?${query}`),
    );
    const more =
      total !== undefined && total > incidents.length
        ? `(${incidents.length} of ${total} shown; --limit for more)\n`
        : '';
    print(io, options.json, incidents, () =>
      incidents.length ? `${incidents.map(line).join('\n')}\n${more}` : '(no incidents)\n',
    );
  },
  async show(config: Config, id: string, options: { json?: boolean }, io: CliIo) {
    const { incident } = await withService(config, (t) =>
      send<{ incident: Json }>(t, 'GET', `/api/v1/incidents/${encodeURIComponent(id)}`),
    );
    print(io, options.json, incident, () => {
      const fix = (incident.fix as string[]).map((s, n) => `  ${n + 1}. ${s}`).join('\n');
      const actions = (incident.actions as Json[]).map((a) => `  - ${a.text}`).join('\n');
      const timeline = (incident.timeline as Json[]).map((e) => `  ${e.at}  ${e.kind}  ${e.text}`).join('\n');
      return `${line(incident)}\n\nWhat to do:\n${fix || '  (nothing)'}\n\nHandled automatically:\n${actions || '  (nothing yet)'}\n\nTimeline:\n${timeline}\n`;
    });
  },
  async command(
    config: Config,
    action: 'acknowledge' | 'resolve' | 'mute' | 'reopen',
    id: string,
    options: { json?: boolean; note?: string },
    io: CliIo,
  ) {
    const result = await withService(config, (t) =>
      send<{ incident: Json; changed: boolean }>(
        t,
        'POST',
        `/api/v1/incidents/${encodeURIComponent(id)}/${action}`,
        {
          by: 'cli',
          ...(options.note ? { note: options.note } : {}),
        },
      ),
    );
    print(
      io,
      options.json,
      result,
      () => `${id}: ${result.incident.state}${result.changed ? '' : ' (unchanged)'}\n`,
    );
  },
};

/** `adwarden users login-link`. */
export const usersCommands = {
  async loginLink(config: Config, options: { json?: boolean; email?: string }, io: CliIo) {
    const link = await withService(config, (t) =>
      send<{ url: string; email: string; expires_at: string }>(t, 'POST', '/api/v1/users/login-link', {
        ...(options.email ? { email: options.email } : {}),
      }),
    );
    print(
      io,
      options.json,
      link,
      () => `${link.url}\n(signs in ${link.email} once, until ${link.expires_at})\n`,
    );
  },
};
