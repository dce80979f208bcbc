import { checkFreeSpace, isConnectionError } from '../db/index.ts';
import { createJobs, type JobData, type Jobs, type QueueKey } from '../jobs/index.ts';
import type { Dispatcher, Services } from '../services/index.ts';
import { ServiceError } from '../services/index.ts';

/** Options of `startMonitor`. */
export interface MonitorRunOptions {
  /** How often (real time) this process asks for a planning tick. @default 5000 */
  tickMs?: number;
  /** pg-boss's schema. @default the configuration's `monitor.jobsSchema` ('pgboss') */
  jobsSchema?: string;
  /** Jobs run at once in this process, per queue. @default { probe: 4, watch: 2, deliver: 4 } */
  concurrency?: { probe?: number; watch?: number; deliver?: number };
}

/** How soon a tick that failed (the database away) is asked for again. */
const RETRY_TICK_MS = 1_000;

/** A job for a connection deleted since it was queued has nothing left to do. */
async function forgivingGone(work: Promise<unknown>): Promise<void> {
  try {
    await work;
  } catch (error) {
    if (!(error instanceof ServiceError && error.code === 'ADW_NOT_FOUND')) throw error;
  }
}

/**
 * Runs the monitor's workers in this process: pg-boss on the service's database, a handler per queue,
 * and a timer asking for a planning tick (one runs at a time across every worker). Embedded mode runs
 * it inside `serve`; at scale, `adwarden worker` processes run it against one PostgreSQL.
 */
export async function startMonitor(services: Services, options: MonitorRunOptions = {}) {
  const { monitor, log } = services;
  const jobs = await createJobs(services.database, {
    log,
    schema: options.jobsSchema ?? services.config.monitor.jobsSchema,
  });
  const dispatcher = queueDispatcher(jobs);
  monitor.attach(dispatcher);
  services.metrics.setQueueDepth(() => jobs.depth());
  await registerWorkers(jobs, services, options.concurrency ?? {}, () => askSoon());

  // An embedded database on a full disk fails every write half-way: plan nothing until there is room.
  let paused = false;
  // One tick queued per process at a time: when ticks take longer than the timer (a busy database, an
  // accelerated clock), more would pile up in the queue and run back to back for nothing.
  let queuedTick: string | null = null;
  let asking = false;
  // After a tick that failed for want of the database, ask again every second until one is queued.
  let unplanned = false;
  let stopped = false;
  let retry: NodeJS.Timeout | null = null;
  const askSoon = () => {
    if (retry || stopped) return;
    retry = setTimeout(() => {
      retry = null;
      void askForTick();
    }, RETRY_TICK_MS);
    retry.unref();
  };
  const askForTick = async () => {
    const full = services.embeddedDataDir ? checkFreeSpace(services.embeddedDataDir, 'monitoring') : null;
    if (full) {
      if (!paused) log.error({ code: full.code }, `${full.message} The monitor pauses until then.`);
      paused = true;
      return;
    }
    if (paused) log.info('the data dir has room again; the monitor resumes');
    paused = false;
    if (asking) return;
    asking = true;
    try {
      if (queuedTick && (await jobs.isWaiting('tick', queuedTick))) return;
      queuedTick = await jobs.send('tick', {}, { key: 'tick' });
      if (unplanned) log.info('a tick is planned again');
      unplanned = false;
    } catch (error) {
      if (!unplanned) log.warn({ err: error }, 'could not plan a tick; asking again every second');
      unplanned = true;
      askSoon();
    } finally {
      asking = false;
    }
  };
  await askForTick();
  const timer = setInterval(() => void askForTick(), options.tickMs ?? 5_000);
  timer.unref();
  log.info({ database: services.database.kind }, 'monitor workers started');

  return {
    jobs,
    /** Asks for a planning tick now (tests and `check now`), unless one is already waiting. */
    tick: () => void askForTick(),
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (retry) clearTimeout(retry);
      monitor.attach(null);
      services.metrics.setQueueDepth(null);
      await jobs.stop();
    },
  };
}

export type MonitorRun = Awaited<ReturnType<typeof startMonitor>>;

/** Sends planned work to pg-boss queues. */
function queueDispatcher(jobs: Jobs): Dispatcher {
  // Nothing is queued twice: when the workers fall behind, the planner waits for them instead of
  // piling up a second job for the same connection, notification or schedule.
  const once = async <K extends Exclude<QueueKey, 'tick'>>(queue: K, key: string, data: JobData[K]) =>
    (await jobs.sendUnlessWaiting(queue, data, key)) !== null;
  return {
    probe: (connectionId, reason) => once('probe', connectionId, { connectionId, reason }),
    watch: async (connectionId) => {
      await once('watch', connectionId, { connectionId });
    },
    videos: async (connectionId) => {
      await once('videos', connectionId, { connectionId });
    },
    deliver: async (notificationId) => {
      await once('deliver', notificationId, { notificationId });
    },
    daily: async (schedule) => {
      await once('daily', schedule, { schedule });
    },
  };
}

/** A handler per queue, each running the monitor's (or the notifications') work for one job. */
async function registerWorkers(
  jobs: Jobs,
  services: Services,
  concurrency: NonNullable<MonitorRunOptions['concurrency']>,
  askSoon: () => void,
) {
  const { monitor, notifications } = services;
  await jobs.work(
    'probe',
    async ({ connectionId, reason }) => {
      await forgivingGone(monitor.probe(connectionId, reason));
    },
    // Probes are idempotent: batches of 8 per fetch keep the queue's own overhead off the sweep's time.
    { concurrency: concurrency.probe ?? 4, batchSize: 8 },
  );
  await jobs.work(
    'watch',
    async ({ connectionId }) => {
      await forgivingGone(monitor.watch(connectionId));
    },
    { concurrency: concurrency.watch ?? 2 },
  );
  await jobs.work(
    'videos',
    async ({ connectionId }) => {
      await forgivingGone(monitor.pollVideos(connectionId));
    },
    { concurrency: 2 },
  );
  await jobs.work('deliver', ({ notificationId }) => notifications.deliver(notificationId), {
    concurrency: concurrency.deliver ?? 4,
  });
  await jobs.work('daily', ({ schedule }) => monitor.daily(schedule));
  await jobs.work('tick', async () => {
    try {
      return await monitor.tick();
    } catch (error) {
      // The database went away mid-tick: plan again as soon as it is back, not a timer period later.
      if (isConnectionError(error)) askSoon();
      throw error;
    }
  });
}
