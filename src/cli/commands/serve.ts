import { createServices, type MonitorRun, startMonitor } from '../../app/index.ts';
import type { Config } from '../../config/index.ts';
import { createLogger } from '../../log/index.ts';
import { buildServer } from '../../server/index.ts';
import type { CliIo } from '../io.ts';

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
    const address = await app.listen({ port, host: config.server.host });
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
        apps.length > 0
          ? `Connect an advertiser: ${apps.map((a) => a.connect_url).join('  ')}`
          : 'No TikTok app is registered yet: adwarden apps add --app-id <id> --secret - (reads the secret from standard input)',
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
