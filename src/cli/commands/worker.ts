import { createServices, startMonitor } from '../../app/index.ts';
import type { Config } from '../../config/index.ts';
import { createLogger } from '../../log/index.ts';
import type { CliIo } from '../io.ts';

/**
 * `adwarden worker`: the monitor's workers without the HTTP service, until SIGINT/SIGTERM. At scale
 * (DATABASE_URL), any number of workers share the queues; a killed worker's jobs are retried by others.
 */
export async function workerCommand(config: Config, io: CliIo): Promise<void> {
  const logger = createLogger({ level: config.log.level, base: { command: 'worker' } });
  const services = await createServices(config, { command: 'worker', logger });
  let monitor: Awaited<ReturnType<typeof startMonitor>>;
  try {
    monitor = await startMonitor(services);
  } catch (error) {
    await services.close();
    throw error;
  }
  io.stdout(
    `adwarden worker: monitoring (${services.database.kind === 'postgres' ? 'PostgreSQL, shared with other workers' : `embedded database in ${config.dataDir}`}). Stop with Ctrl+C.\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  io.stderr('adwarden worker: stopping…\n');
  await monitor.stop();
  await services.close();
}
