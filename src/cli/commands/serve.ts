import { createServices, type MonitorRun, startMonitor } from '../../app/index.ts';
import type { Config } from '../../config/index.ts';
import { createLogger } from '../../log/index.ts';
import { buildServer } from '../../server/index.ts';
import type { CliIo } from '../io.ts';
import { UserError } from '../user-error.ts';

/** `adwarden serve`: the HTTP service until SIGINT/SIGTERM. Never seeds demo data. */
export async function serveCommand(
  config: Config,
  options: { port?: string; worker?: boolean },
  io: CliIo,
): Promise<void> {
  const logger = createLogger({ level: config.log.level, base: { command: 'serve' } });
  const services = await createServices(config, { command: 'serve', logger });
  const app = buildServer(services);
  const port = options.port === undefined ? config.server.port : Number(options.port);
  let monitor: MonitorRun | null = null;
  try {
    const address = await listenOn(app, port, config.server.host);
    services.setPublicUrl(address);
    // The monitor runs here unless workers run elsewhere (`--no-worker` with `adwarden worker`).
    if (options.worker !== false) monitor = await startMonitor(services);
    const apps = await services.apps.list();
    // First start: nobody can sign in yet, so hand the operator a one-time sign-in link.
    const firstLink = (await services.users.isEmpty()) ? await services.users.loginLink() : null;
    io.stdout(
      [
        `adwarden is serving at ${address} (${services.database.kind === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL'})`,
        firstLink
          ? `Dashboard: sign in once with ${firstLink.url} (valid 15 min, one use), then set a password in Settings.`
          : `Dashboard: ${address}/ (a new sign-in link: adwarden users login-link)`,
        ...(apps.length > 0
          ? setupLines(apps, services.publicUrl())
          : [
              'No TikTok app is registered yet: adwarden apps add --app-id <id> --secret - (reads the secret from standard input)',
            ]),
        monitor
          ? `Monitoring every ${Math.round(config.monitor.sweepIntervalMs / 1000)} s (campaigns every ${Math.round(config.monitor.campaignWatchIntervalMs / 60_000)} min).`
          : 'Monitor workers are not started here (--no-worker): run adwarden worker.',
        'Stop with Ctrl+C.',
        '',
      ].join('\n'),
    );
  } catch (error) {
    await monitor?.stop();
    await services.close();
    throw error;
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  io.stderr('adwarden: stopping…\n');
  await monitor?.stop();
  await app.close();
  await services.close();
}

/**
 * What to register at TikTok, and what cannot work: each app's redirect URI (TikTok refuses consent
 * to an unregistered one), where clients are invited, and a warning when real TikTok cannot reach a
 * loopback or plain-http public URL (redirects from TikTok's page work in the person's browser, but
 * TikTok's pushes need a public https URL).
 */
export function setupLines(
  apps: Array<{ app_id: string; name: string; base_url: string; redirect_uri: string }>,
  address: string,
): string[] {
  const lines: string[] = [];
  for (const a of apps)
    lines.push(
      `App ${a.name} (${a.app_id}): register this redirect URI in TikTok's developer portal: ${a.redirect_uri}`,
    );
  lines.push(`Invite a client to connect its ad accounts: ${address}/clients`);
  const real = apps.some((a) => a.base_url.includes('business-api.tiktok.com'));
  const url = new URL(address);
  if (real && (url.protocol !== 'https:' || /^(localhost|127\.|\[::1\])/.test(url.hostname)))
    lines.push(
      `Warning: the public URL ${address} is ${url.protocol !== 'https:' ? 'not https' : 'a loopback address'}: TikTok's pushes cannot reach it (polling still finds everything), and people outside this machine cannot open its links. Set ADWARDEN_PUBLIC_URL to the https address people and TikTok reach.`,
    );
  return lines;
}

/** Listens, turning a port in use or not allowed into an error that says what to do. */
async function listenOn(app: ReturnType<typeof buildServer>, port: number, host: string): Promise<string> {
  try {
    return await app.listen({ port, host });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new UserError(
        'ADW_PORT_IN_USE',
        `port ${port} on ${host} is already in use (another adwarden, or another program): stop it, or choose another port with --port or ADWARDEN_PORT (ADW_PORT_IN_USE)`,
      );
    if (code === 'EACCES' || code === 'EADDRNOTAVAIL')
      throw new UserError(
        'ADW_CANNOT_LISTEN',
        `cannot listen on ${host}:${port} (${code === 'EACCES' ? 'ports below 1024 need privileges' : 'this machine has no such address'}): set ADWARDEN_HOST / ADWARDEN_PORT (ADW_CANNOT_LISTEN)`,
      );
    throw error;
  }
}
