import type { Config } from '../../config/index.ts';
import type { AppView } from '../../services/index.ts';
import type { CliIo } from '../io.ts';
import { connectToService, type ServiceTarget, send } from '../service-target.ts';
import { UserError } from '../user-error.ts';

type Json = Record<string, unknown>;

/** Runs `work` against the service (running, or in-process) and always lets go of it. */
export async function withService<T>(
  config: Config,
  work: (target: ServiceTarget) => Promise<T>,
): Promise<T> {
  const target = await connectToService(config);
  try {
    return await work(target);
  } finally {
    await target.close();
  }
}

function table(rows: Array<Record<string, unknown>>, columns: string[]): string {
  if (rows.length === 0) return '(none)\n';
  const cells = rows.map((row) => columns.map((c) => String(row[c] ?? '–')));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return `${[line(columns), ...cells.map(line)].join('\n')}\n`;
}

const print = (io: CliIo, json: boolean | undefined, value: unknown, human: () => string) =>
  io.stdout(json ? `${JSON.stringify(value)}\n` : human());

/** Options of `adwarden apps add`. */
export interface AppsAddOptions {
  appId: string;
  secret: string;
  name?: string;
  environment?: string;
  baseUrl?: string;
  redirectUri?: string;
  rateTier?: string;
  json?: boolean;
}

/** `adwarden apps add|list|show`. */
export const appsCommands = {
  async add(config: Config, options: AppsAddOptions, io: CliIo): Promise<void> {
    // "-" reads the secret from standard input, so it stays out of shell history and `ps`.
    const secret = options.secret === '-' ? (await io.readStdin()).trim() : options.secret;
    if (!secret) throw new UserError('ADW_USAGE', 'the app secret is empty', 2);
    const body = {
      app_id: options.appId,
      secret,
      name: options.name,
      environment: options.environment,
      base_url: options.baseUrl,
      redirect_uri: options.redirectUri,
      rate_tier: options.rateTier,
    };
    const result = await withService(config, (t) =>
      send<{ created: boolean; app: AppView }>(t, 'POST', '/api/v1/apps', body),
    );
    print(
      io,
      options.json,
      result,
      () =>
        `${result.created ? 'registered' : 'updated'} app ${result.app.app_id} (${result.app.environment}, ${result.app.rate_tier} tier)\n` +
        `  redirect URI (add it to the app in TikTok's developer portal): ${result.app.redirect_uri}\n` +
        `  connect link: ${result.app.connect_url}\n`,
    );
  },
  async list(config: Config, options: { json?: boolean }, io: CliIo): Promise<void> {
    const { apps } = await withService(config, (t) => send<{ apps: AppView[] }>(t, 'GET', '/api/v1/apps'));
    print(io, options.json, apps, () =>
      table(apps as never, ['app_id', 'name', 'environment', 'rate_tier', 'base_url']),
    );
  },
  async show(config: Config, appId: string, options: { json?: boolean }, io: CliIo): Promise<void> {
    const { app } = await withService(config, (t) =>
      send<{ app: AppView }>(t, 'GET', `/api/v1/apps/${encodeURIComponent(appId)}`),
    );
    print(
      io,
      options.json,
      app,
      () =>
        `${Object.entries(app)
          .map(([k, v]) => `${k}: ${v}`)
          .join('\n')}\n`,
    );
  },
};

const path = (id: string, suffix = '') => `/api/v1/connections/${encodeURIComponent(id)}${suffix}`;

/** `adwarden connections list|show|check|reauth-link|revoke|history`. */
export const connectionsCommands = {
  async list(config: Config, options: { json?: boolean }, io: CliIo): Promise<void> {
    const { connections } = await withService(config, (t) =>
      send<{ connections: Json[] }>(t, 'GET', '/api/v1/connections'),
    );
    print(io, options.json, connections, () =>
      table(
        connections.map((c) => ({
          ...c,
          expires: (c.expiries as Json).access_token ?? (c.expiries as Json).max_age ?? 'never',
        })),
        ['id', 'status', 'app_id', 'regime', 'advertisers', 'expires', 'last_check_at'],
      ),
    );
  },
  async show(config: Config, id: string, options: { json?: boolean }, io: CliIo): Promise<void> {
    const { connection } = await withService(config, (t) => send<{ connection: Json }>(t, 'GET', path(id)));
    print(io, options.json, connection, () => {
      const { advertiser_list, tokens, parked_calls, ...rest } = connection;
      return `${Object.entries(rest)
        .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`)
        .join(
          '\n',
        )}\n\nadvertisers:\n${table(advertiser_list as Json[], ['advertiser_id', 'name', 'status', 'granted'])}\ntokens:\n${table(tokens as Json[], ['id', 'status', 'issued_at', 'access_expires_at', 'end_reason'])}\nparked calls:\n${table(parked_calls as Json[], ['id', 'method', 'path', 'status', 'result'])}`;
    });
  },
  async check(config: Config, id: string, options: { json?: boolean }, io: CliIo): Promise<void> {
    const result = await withService(config, (t) => send<Json>(t, 'POST', path(id, '/check')));
    print(io, options.json, result, () => {
      const d = result.diagnosis as { code: unknown; kind: string; fix: string[] } | null;
      return `${id}: ${result.status}\n${result.summary}\n${d ? `TikTok: ${d.code} (${d.kind})\n${d.fix.map((f) => `  - ${f}`).join('\n')}\n` : ''}`;
    });
  },
  async reauthLink(config: Config, id: string, options: { json?: boolean }, io: CliIo): Promise<void> {
    const link = await withService(config, (t) =>
      send<{ url: string; expires_at: string; owner_contact: string | null }>(
        t,
        'POST',
        path(id, '/reauth-link'),
      ),
    );
    print(
      io,
      options.json,
      link,
      () =>
        `${link.url}\n(send it to ${link.owner_contact ?? 'the person who can authorize the advertiser'}; it works until ${link.expires_at})\n`,
    );
  },
  async revoke(config: Config, id: string, options: { json?: boolean }, io: CliIo): Promise<void> {
    const result = await withService(config, (t) =>
      send<{ status: string; tiktok: string }>(t, 'POST', path(id, '/revoke')),
    );
    print(io, options.json, result, () => `${id}: revoked (${result.tiktok})\n`);
  },
  async history(config: Config, id: string, options: { json?: boolean }, io: CliIo): Promise<void> {
    const { events } = await withService(config, (t) =>
      send<{ events: Json[] }>(t, 'GET', path(id, '/history')),
    );
    print(
      io,
      options.json,
      events,
      () =>
        `${events
          .map((e) => `${e.at}  ${e.type}  ${JSON.stringify({ ...e, at: undefined, type: undefined })}`)
          .join('\n')}\n`,
    );
  },
};

/** `adwarden keys rotate|status`. */
export const keysCommands = {
  async rotate(config: Config, options: { json?: boolean }, io: CliIo): Promise<void> {
    if (!options.json) io.stderr('re-sealing every stored secret with a new key…\n');
    const report = await withService(config, (t) => send<Json>(t, 'POST', '/api/v1/keys/rotate'));
    print(io, options.json, report, () => {
      const envNote =
        config.secretKey && (report.retired_keys as string[]).length > 0
          ? '\nEvery value is sealed with ADWARDEN_SECRET_KEY now: remove ADWARDEN_PREVIOUS_SECRET_KEYS from the environment.'
          : '';
      return `${report.resumed ? 'resumed an unfinished rotation; ' : ''}active key ${report.active_key}: ${report.resealed} value(s) re-sealed; retired key(s): ${(report.retired_keys as string[]).join(', ') || 'none'}${envNote}\n`;
    });
  },
  async status(config: Config, options: { json?: boolean }, io: CliIo): Promise<void> {
    const status = await withService(config, (t) => send<Json>(t, 'GET', '/api/v1/keys'));
    print(
      io,
      options.json,
      status,
      () =>
        `active key: ${status.active_key} (${status.source})\nkeys: ${(status.keys as string[]).join(', ')}\nsealed values by key: ${JSON.stringify(status.sealed_by_key)}\n`,
    );
  },
};
