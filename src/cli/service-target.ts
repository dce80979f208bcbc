import { createServices } from '../app/index.ts';
import type { Config } from '../config/index.ts';
import { readLockHolder } from '../db/index.ts';
import { createLogger } from '../log/index.ts';
import { buildServer } from '../server/index.ts';
import { readAdminToken } from '../services/index.ts';
import { UserError } from './user-error.ts';

/** Where management commands send their requests: a running service, or one started in this process. */
export interface ServiceTarget {
  /** Human description, e.g. "the service at http://127.0.0.1:7420". */
  readonly where: string;
  request(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

/**
 * Management commands talk to the running service (its URL from --url / ADWARDEN_URL, or from the
 * lock of the local data dir), authenticated by ADWARDEN_API_KEY or the data dir's admin token. With
 * no service running they open the data dir themselves, holding its lock while they run, and send
 * the same requests in-process: one code path either way, and never a data dir another process holds.
 */
export async function connectToService(config: Config): Promise<ServiceTarget> {
  const holder = config.cli.url ? null : config.databaseUrl ? null : readLockHolder(config.dataDir);
  const url = config.cli.url ?? holder?.url ?? null;
  if (url) {
    const key = config.cli.apiKey ?? readAdminToken(config.dataDir);
    if (!key) {
      throw new UserError(
        'ADW_NO_CREDENTIALS',
        `no credentials for ${url}: set ADWARDEN_API_KEY, or run on the machine whose data dir (${config.dataDir}) holds the admin-token file`,
      );
    }
    return remoteTarget(url, key.reveal());
  }
  if (holder) {
    throw new UserError(
      'ADW_DATA_DIR_LOCKED',
      `the data dir ${config.dataDir} is held by "adwarden ${holder.command}" (pid ${holder.pid}), which serves no HTTP API yet; wait until it has started, or stop it`,
    );
  }
  const logger = createLogger({
    level: config.log.level === 'info' ? 'warn' : config.log.level,
    base: { command: 'cli' },
  });
  const services = await createServices(config, { command: 'cli', logger });
  const app = buildServer(services);
  const token = readAdminToken(config.dataDir)!.reveal();
  return {
    where: `the ${services.database.kind === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL database'} (no service running)`,
    async request(method, path, body) {
      const response = await app.inject({
        method,
        url: path,
        headers: { authorization: `Bearer ${token}` },
        ...(body === undefined ? {} : { payload: body as object }),
      });
      return { status: response.statusCode, body: response.json() };
    },
    async close() {
      await app.close();
      await services.close();
    },
  };
}

function remoteTarget(url: string, key: string): ServiceTarget {
  const base = url.replace(/\/+$/, '');
  return {
    where: `the service at ${base}`,
    async request(method, path, body) {
      let response: Response;
      try {
        response = await fetch(`${base}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${key}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(120_000),
        });
      } catch (error) {
        throw new UserError(
          'ADW_SERVICE_UNREACHABLE',
          `cannot reach the service at ${base}: ${(error as Error).cause ?? (error as Error).message}`,
        );
      }
      const text = await response.text();
      try {
        return { status: response.status, body: JSON.parse(text) };
      } catch {
        throw new UserError(
          'ADW_SERVICE_UNREACHABLE',
          `${base} answered ${response.status} with something that is not adwarden's JSON API`,
        );
      }
    },
    async close() {},
  };
}

/** Sends one request and returns its body, turning an API error into a clear CLI error. */
export async function send<T>(
  target: ServiceTarget,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  const { status, body: answer } = await target.request(method, path, body);
  if (status >= 400) {
    const error = (answer as { error?: { code?: string; message?: string } }).error;
    const code = error?.code ?? 'ADW_API_ERROR';
    throw new UserError(code, `${error?.message ?? `the service answered ${status}`} (${code})`);
  }
  return answer as T;
}
