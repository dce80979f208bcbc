// compose.yaml without a container engine (none runs on these machines): the same processes the image
// runs — its ENTRYPOINT (`node bin/adwarden.js`) on the built package, no sources beside it — with each
// service's command, environment and replica count read from compose.yaml, on this machine's PostgreSQL.
// Then the scale check: 40 connections, 12 tokens revoked, two workers sharing the sweep.
import { type ChildProcess, spawn } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createServices } from '../../src/app/index.ts';
import { loadConfig } from '../../src/config/index.ts';
import type { DatabaseHandle } from '../../src/db/index.ts';
import { createLogger } from '../../src/log/index.ts';
import type { Services } from '../../src/services/index.ts';
import { Secret } from '../../src/vault/secret.ts';
import { startEmulator } from '../emulator/helpers.ts';
import { freshDatabase } from '../service/stack.ts';
import { freePort } from '../support/private-postgres.ts';
import { eventually, startWebhookSink } from '../support/webhook-sink.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CONNECTIONS = 40;
const REVOKED = 12;

interface ComposeService {
  command?: string[];
  environment?: Record<string, string>;
  deploy?: { replicas?: number };
  healthcheck?: { disable?: boolean };
}

/** compose's `${NAME}`, `${NAME:-default}` and `${NAME:?message}`, from `vars`. */
function interpolate(value: string, vars: Record<string, string>): string {
  return value.replace(
    /\$\{(\w+)(?::([-?])([^}]*))?\}/g,
    (_all, name: string, kind?: string, rest?: string) => {
      const set = vars[name];
      if (set !== undefined && set !== '') return set;
      if (kind === '?') throw new Error(`compose.yaml needs ${name}: ${rest}`);
      return kind === '-' ? (rest ?? '') : '';
    },
  );
}

/** The package as the image holds it: bin/ and package.json copied, the built dist/ and dependencies. */
function imageLayout(): string {
  const built = join(ROOT, 'dist', 'cli', 'main.js');
  if (!existsSync(built)) throw new Error('this test runs the built package: run npm run build first');
  const newer = newestSource(join(ROOT, 'src'));
  if (newer > statSync(built).mtimeMs)
    throw new Error('dist/ is older than src/: run npm run build first (this test runs the built package)');
  const app = mkdtempSync(join(tmpdir(), 'adwarden-image-'));
  cpSync(join(ROOT, 'bin'), join(app, 'bin'), { recursive: true });
  copyFileSync(join(ROOT, 'package.json'), join(app, 'package.json'));
  for (const dir of ['dist', 'node_modules', 'scenarios']) symlinkSync(join(ROOT, dir), join(app, dir));
  return app;
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

describe('compose.yaml, run as processes (no container engine here)', () => {
  const compose = parse(readFileSync(join(ROOT, 'compose.yaml'), 'utf8'), { merge: true }) as {
    services: Record<string, ComposeService>;
  };
  const processes: Array<{ name: string; child: ChildProcess; output: string[] }> = [];
  let database: DatabaseHandle & { url?: string };
  let tiktok: Awaited<ReturnType<typeof startEmulator>>;
  let services: Services;
  let sink: Awaited<ReturnType<typeof startWebhookSink>>;
  let serveUrl: string;
  const tokens: string[] = [];
  const said = () => processes.map((p) => `--- ${p.name}\n${p.output.join('').slice(-3000)}`).join('\n');

  beforeAll(async () => {
    database = await freshDatabase('postgres');
    tiktok = await startEmulator();
    sink = await startWebhookSink();
    const schema = new URL(database.url!).searchParams.get('options')!.split('=')[1]!;
    const port = await freePort();
    serveUrl = `http://127.0.0.1:${port}`;
    const secretKey = Buffer.alloc(32, 9).toString('base64');
    const vars = {
      ADWARDEN_SECRET_KEY: secretKey,
      ADWARDEN_PUBLIC_URL: serveUrl,
      ADWARDEN_LOG_LEVEL: 'warn',
    };
    // What this machine changes: the database (compose's points at its own `postgres` service), where
    // serve listens, a private jobs schema, a short sweep interval, and the local webhook receiver.
    const local = {
      DATABASE_URL: database.url!,
      ADWARDEN_DATA_DIR: mkdtempSync(join(tmpdir(), 'adwarden-compose-')),
      ADWARDEN_HOST: '127.0.0.1',
      ADWARDEN_PORT: String(port),
      ADWARDEN_JOBS_SCHEMA: `jobs_${schema}`,
      ADWARDEN_SWEEP_INTERVAL: '3s',
      ADWARDEN_CAMPAIGN_WATCH_INTERVAL: '1h',
      ADWARDEN_ALLOW_PRIVATE_DESTINATIONS: 'true',
      // What this test measures is the sweep: no pushes to subscribe, no status feed to fetch (no internet here).
      ADWARDEN_TIKTOK_PUSH: 'false',
      ADWARDEN_TIKTOK_STATUS_FEED: 'off',
    };
    const app = imageLayout();
    for (const [name, service] of Object.entries(compose.services)) {
      if (!service.command) continue; // postgres: this machine's own
      const environment = Object.fromEntries(
        Object.entries(service.environment ?? {}).map(([key, value]) => [
          key,
          interpolate(String(value), vars),
        ]),
      );
      const env = {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        NODE_ENV: 'production',
        ...environment,
        ...local,
      };
      for (let replica = 1; replica <= (service.deploy?.replicas ?? 1); replica++) {
        const output: string[] = [];
        const child = spawn(process.execPath, [join(app, 'bin', 'adwarden.js'), ...service.command], {
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        child.stdout!.on('data', (chunk) => output.push(String(chunk)));
        child.stderr!.on('data', (chunk) => output.push(String(chunk)));
        processes.push({ name: `${name}-${replica}`, child, output });
      }
    }
    // The image's HEALTHCHECK: GET /readyz.
    await eventually(
      async () => (await fetch(`${serveUrl}/readyz`).catch(() => null))?.ok === true,
      'serve to be ready',
      60_000,
    ).catch((error) => {
      throw new Error(`${error.message}\n${said()}`);
    });
    await eventually(
      async () =>
        processes
          .filter((p) => p.name.startsWith('worker'))
          .every((p) => p.output.join('').includes('adwarden worker: monitoring')),
      'both workers to start',
      60_000,
    );
    // Setup from this process, on the same database and key (as an operator's commands would).
    services = await createServices(loadConfig({ env: { ...local, ADWARDEN_SECRET_KEY: secretKey } }), {
      command: 'test',
      logger: createLogger({ level: 'silent' }),
      database,
    });
    await services.notifications.addChannel({ name: 'ops', kind: 'webhook', url: `${sink.url}/hook` });
    await services.apps.register({
      app_id: tiktok.production.app_id,
      secret: tiktok.production.secret,
      environment: 'production',
      base_url: tiktok.emulator.url,
    });
    const advertisers = tiktok.world.advertisers.filter((a) => a.app_ids.includes(tiktok.production.app_id));
    for (let i = 0; i < CONNECTIONS; i++) {
      const granted = [advertisers[i % advertisers.length]!.advertiser_id];
      const { access_token } = await tiktok.emulator.control.issueToken(tiktok.production.app_id, granted);
      await services.connect.importToken({
        appId: tiktok.production.app_id,
        regime: 'advertiser',
        accessToken: new Secret(access_token),
        ownerContact: `owner${i}@example.com`,
      });
      tokens.push(access_token);
    }
  }, 240_000);

  afterAll(async () => {
    for (const p of processes) p.child.kill('SIGTERM');
    await services?.close();
    await sink?.close();
    await tiktok?.emulator.close();
    await database?.close();
  });

  it('starts the services compose.yaml names, with their replicas: one serve, two workers', () => {
    expect(processes.map((p) => p.name).sort()).toEqual(['serve-1', 'worker-1', 'worker-2']);
    for (const p of processes) expect(p.child.exitCode).toBeNull();
  });

  it('sweeps 40 connections with two workers: one incident and one notified event per revoked token', async () => {
    for (const token of tokens.slice(0, REVOKED))
      await tiktok.emulator.control.fault({ type: 'revokeToken', token, by: 'user' });
    const incidents = await eventually(
      async () => {
        const list = await services.incidents.list({ problem: 'auth' });
        const ids = new Set(sink.received.map((r) => String(r.headers['webhook-id'])));
        return list.length === REVOKED && ids.size >= REVOKED ? list : null;
      },
      `${REVOKED} auth incidents, each notified`,
      120_000,
    ).catch((error) => {
      throw new Error(`${error.message}\n${said()}`);
    });
    expect(new Set(incidents.map((i) => (i.subject as { id: string }).id)).size).toBe(REVOKED);
    const connections = await services.connections.list();
    expect(connections.filter((c) => c.status === 'needs_reauth')).toHaveLength(REVOKED);
    expect(connections.filter((c) => c.status === 'healthy')).toHaveLength(CONNECTIONS - REVOKED);
    // Each event went out under one webhook-id, each id carried one event (redeliveries share the id).
    const byId = new Map<string, string>();
    for (const r of sink.received)
      byId.set(String(r.headers['webhook-id']), `${r.json.data.incident.id}:${r.json.type}`);
    expect(new Set(byId.values()).size).toBe(byId.size);
    expect((await fetch(`${serveUrl}/readyz`)).status).toBe(200);
    for (const p of processes) expect(p.child.exitCode, p.output.join('')).toBeNull();
  }, 180_000);
});
