import type { Config } from '../../config/index.ts';
import type { CliIo } from '../io.ts';
import { send } from '../service-target.ts';
import { UserError } from '../user-error.ts';
import { withService } from './manage.ts';

type Json = Record<string, unknown>;
const print = (io: CliIo, json: boolean | undefined, value: unknown, human: () => string) =>
  io.stdout(json ? `${JSON.stringify(value)}\n` : human());
const call = <T>(config: Config, method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) =>
  withService(config, (t) => send<T>(t, method, path, body));

/** `key=value,key=value` as labels. */
function labelsOf(text: string | undefined): Record<string, string> {
  if (!text) return {};
  const labels: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const [key, value] = pair.split('=');
    if (!key || value === undefined)
      throw new UserError(
        'ADW_USAGE',
        `--labels takes key=value pairs separated by commas, not "${pair}"`,
        2,
      );
    labels[key.trim()] = value.trim();
  }
  return labels;
}

/** `adwarden channels list|add|test|remove`. */
export const channelsCommands = {
  async list(config: Config, options: { json?: boolean }, io: CliIo) {
    const { channels } = await call<{ channels: Json[] }>(config, 'GET', '/api/v1/channels');
    print(io, options.json, channels, () =>
      channels.length
        ? `${channels.map((c) => `${c.id}  ${String(c.name).padEnd(20)}  ${String(c.kind).padEnd(8)}  ≥ ${c.min_severity}  → ${c.destination}`).join('\n')}\n`
        : '(no channels: incidents are only shown in the dashboard)\n',
    );
  },
  async add(
    config: Config,
    options: {
      json?: boolean;
      name: string;
      kind: string;
      endpoint?: string;
      smtpUrl?: string;
      from?: string;
      to?: string;
      minSeverity?: string;
      labels?: string;
      maxPerHour?: string;
    },
    io: CliIo,
  ) {
    const kind = options.kind;
    const body: Json = {
      name: options.name,
      kind,
      ...(kind === 'email'
        ? { smtpUrl: options.smtpUrl, from: options.from, to: (options.to ?? '').split(',').filter(Boolean) }
        : { url: options.endpoint }),
      min_severity: options.minSeverity ?? 'low',
      labels: labelsOf(options.labels),
      ...(options.maxPerHour ? { max_per_hour: Number(options.maxPerHour) } : {}),
    };
    const { channel } = await call<{ channel: Json }>(config, 'POST', '/api/v1/channels', body);
    print(io, options.json, channel, () =>
      [
        `Channel ${channel.name} (${channel.id}) ${channel.created ? 'added' : 'updated'}: ${channel.kind} → ${channel.destination}`,
        channel.signing_secret ? `Its signing secret, shown once: ${channel.signing_secret}` : '',
        `Send a test: adwarden channels test ${channel.id}`,
        '',
      ]
        .filter((line, i, all) => line !== '' || i === all.length - 1)
        .join('\n'),
    );
  },
  async test(config: Config, id: string, options: { json?: boolean }, io: CliIo) {
    const result = await call<Json>(config, 'POST', `/api/v1/channels/${encodeURIComponent(id)}/test`);
    print(io, options.json, result, () => `Test message sent to ${id}.\n`);
  },
  async remove(config: Config, id: string, options: { json?: boolean }, io: CliIo) {
    const result = await call<Json>(config, 'DELETE', `/api/v1/channels/${encodeURIComponent(id)}`);
    print(io, options.json, result, () => `Channel ${id} removed.\n`);
  },
};

/** `adwarden api-keys list|create|revoke` and `adwarden users list|add`. */
export const accessCommands = {
  async listKeys(config: Config, options: { json?: boolean }, io: CliIo) {
    const { api_keys: keys } = await call<{ api_keys: Json[] }>(config, 'GET', '/api/v1/api-keys');
    print(
      io,
      options.json,
      keys,
      () =>
        `${keys.map((k) => `${k.id}  ${String(k.name).padEnd(24)}  ${(k.scopes as string[]).join(',')}${k.revoked_at ? '  (revoked)' : ''}`).join('\n')}\n`,
    );
  },
  async createKey(config: Config, options: { json?: boolean; name: string; scope?: string }, io: CliIo) {
    const { api_key: key } = await call<{ api_key: Json }>(config, 'POST', '/api/v1/api-keys', {
      name: options.name,
      scopes: [options.scope ?? 'read'],
    });
    print(
      io,
      options.json,
      key,
      () => `API key ${key.name} (${key.id}), shown once: ${key.key ?? key.value}\n`,
    );
  },
  async revokeKey(config: Config, id: string, options: { json?: boolean }, io: CliIo) {
    const result = await call<Json>(config, 'DELETE', `/api/v1/api-keys/${encodeURIComponent(id)}`);
    print(io, options.json, result, () => `API key ${id} revoked.\n`);
  },
  async listUsers(config: Config, options: { json?: boolean }, io: CliIo) {
    const { users } = await call<{ users: Json[] }>(config, 'GET', '/api/v1/users');
    print(
      io,
      options.json,
      users,
      () =>
        `${users.map((u) => `${u.email}  ${u.client_ids ? `clients ${(u.client_ids as string[]).join(',')}` : 'every client'}${u.has_password ? '' : '  (no password yet)'}`).join('\n')}\n`,
    );
  },
  async addUser(config: Config, options: { json?: boolean; email: string; clients?: string }, io: CliIo) {
    const { user } = await call<{ user: Json }>(config, 'POST', '/api/v1/users', {
      email: options.email,
      ...(options.clients ? { client_ids: options.clients.split(',').map((c) => c.trim()) } : {}),
    });
    print(
      io,
      options.json,
      user,
      () =>
        `User ${user.email} added. Hand them a sign-in link: adwarden users login-link --email ${user.email}\n`,
    );
  },
};

/** `adwarden clients list|add|invite`. */
export const clientsCommands = {
  async list(config: Config, options: { json?: boolean }, io: CliIo) {
    const { clients } = await call<{ clients: Json[] }>(config, 'GET', '/api/v1/clients');
    print(io, options.json, clients, () =>
      clients.length
        ? `${clients.map((c) => `${c.id}  ${String(c.name).padEnd(28)}  ${c.connections} connection(s)`).join('\n')}\n`
        : '(no clients yet: adwarden clients add --name "…")\n',
    );
  },
  async add(config: Config, options: { json?: boolean; name: string }, io: CliIo) {
    const { client } = await call<{ client: Json }>(config, 'POST', '/api/v1/clients', {
      name: options.name,
    });
    print(
      io,
      options.json,
      client,
      () => `Client ${client.name} added (${client.id}). Invite it: adwarden clients invite ${client.id}\n`,
    );
  },
  async invite(
    config: Config,
    id: string,
    options: { json?: boolean; app?: string; days?: string },
    io: CliIo,
  ) {
    const { invitation } = await call<{ invitation: Json }>(
      config,
      'POST',
      `/api/v1/clients/${encodeURIComponent(id)}/invitations`,
      {
        ...(options.app ? { app_id: options.app } : {}),
        ...(options.days ? { days: Number(options.days) } : {}),
      },
    );
    print(
      io,
      options.json,
      invitation,
      () =>
        `Send this to the client (no adwarden account needed; until ${String(invitation.expires_at).slice(0, 10)}, revocable): ${invitation.url}\n`,
    );
  },
};
