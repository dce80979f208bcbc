import { fromPglite, PgBoss, type Queue } from 'pg-boss';
import type { DatabaseHandle } from '../db/index.ts';
import type { Logger } from '../log/index.ts';

/**
 * A finished job is kept an hour (pg-boss keeps them 7 days by default): adwarden's state lives in its
 * own tables, and a week of a busy monitor's jobs (a probe per connection every 5 min) would be
 * hundreds of thousands of rows in the embedded database.
 */
const KEEP_FINISHED_S = 3_600;

/**
 * Every queue adwarden uses, in one place. Queues are `standard`: a job that dies with its worker stays
 * "active" in pg-boss until its heartbeat or expiry lapses, and a singleton key would block its
 * replacement all that time. Duplicates are stopped in adwarden's own tables instead, with short
 * leases that a dead worker cannot hold for long: a probe lease per connection, a claim per outbox
 * row, a mark per daily schedule, and the sweep's next-check time.
 */
export const QUEUES = {
  /** Plans due work (sweeps, campaign watch, schedules, quiet periods, outbox); one at a time. */
  tick: {
    name: 'adwarden-tick',
    policy: 'standard',
    retryLimit: 0,
    expireInSeconds: 120,
    heartbeatSeconds: 10,
    deleteAfterSeconds: KEEP_FINISHED_S,
  },
  /**
   * Liveness check of one connection (key: connection id). A probe fails only when adwarden's own
   * database does (TikTok's errors are findings): retry soon, 1–2 s, 2–4 s, 4–8 s, so a connection is
   * checked again within seconds of the database's return. The planner waits for a retry rather than
   * queue a second probe, so a long first delay would hold the connection's check back as long.
   */
  probe: {
    name: 'adwarden-probe',
    policy: 'standard',
    retryLimit: 3,
    retryDelay: 1,
    retryBackoff: true,
    retryDelayMax: 30,
    expireInSeconds: 300,
    heartbeatSeconds: 10,
    deleteAfterSeconds: KEEP_FINISHED_S,
  },
  /** Campaign watch of one connection's advertisers (key: connection id). */
  watch: {
    name: 'adwarden-watch',
    policy: 'standard',
    retryLimit: 3,
    retryDelay: 10,
    retryBackoff: true,
    expireInSeconds: 900,
    heartbeatSeconds: 10,
    deleteAfterSeconds: KEEP_FINISHED_S,
  },
  /** Poll of one connection's watched uploads on /file/video/ad/info/ (key: connection id). */
  videos: {
    name: 'adwarden-videos',
    policy: 'standard',
    retryLimit: 2,
    retryDelay: 5,
    expireInSeconds: 300,
    heartbeatSeconds: 10,
    deleteAfterSeconds: KEEP_FINISHED_S,
  },
  /** Delivery of one outbox row (key: notification id); the outbox itself schedules retries. */
  deliver: {
    name: 'adwarden-deliver',
    policy: 'standard',
    retryLimit: 2,
    retryDelay: 2,
    expireInSeconds: 120,
    heartbeatSeconds: 10,
    deleteAfterSeconds: KEEP_FINISHED_S,
  },
  /** Daily work on the monitor's clock: expiry reminders and refreshes, history retention. */
  daily: {
    name: 'adwarden-daily',
    policy: 'standard',
    retryLimit: 3,
    retryDelay: 30,
    expireInSeconds: 900,
    heartbeatSeconds: 10,
    deleteAfterSeconds: KEEP_FINISHED_S,
  },
} as const satisfies Record<string, Queue>;

export type QueueKey = keyof typeof QUEUES;

/** Job payloads by queue. */
export interface JobData {
  tick: Record<string, never>;
  probe: { connectionId: string; reason: string };
  watch: { connectionId: string };
  videos: { connectionId: string };
  deliver: { notificationId: string };
  daily: { schedule: string };
}

/** The field of each queue's payload that says what a job is for. */
const KEY_FIELD: { [K in QueueKey]: keyof JobData[K] | null } = {
  tick: null,
  probe: 'connectionId',
  watch: 'connectionId',
  videos: 'connectionId',
  deliver: 'notificationId',
  daily: 'schedule',
};

/** A handler for one job. Throwing fails the attempt (pg-boss retries per the queue's policy). */
export type JobHandler<K extends QueueKey> = (data: JobData[K]) => Promise<unknown>;

/** Options of `createJobs`. */
export interface JobsOptions {
  log: Logger;
  /** pg-boss's schema. @default 'pgboss' */
  schema?: string;
  /** How often idle workers look for jobs that NOTIFY did not announce (delayed retries). @default 1 */
  pollSeconds?: number;
  /** The clock the waiting-keys cache ages by (tests move it instead of sleeping). @default Date.now */
  clock?: () => number;
}

/** How a job is queued: `key` names what it is for (see `sendUnlessWaiting`). */
type SendOptions = { key?: string; startAfterSeconds?: number };

/**
 * pg-boss on adwarden's own database: the embedded PGlite (through pg-boss's `fromPglite`) or the
 * PostgreSQL of DATABASE_URL, so any number of workers share one queue.
 */
export async function createJobs(database: DatabaseHandle & { url?: string }, options: JobsOptions) {
  const clock = options.clock ?? Date.now;
  const boss = await startBoss(database, options);
  const poll = options.pollSeconds ?? 1;
  let stopped = false;

  /** Queues a job. `key` is not passed to pg-boss: a singleton key would block the replacement of a job that died with its worker. */
  const send = async <K extends QueueKey>(queue: K, data: JobData[K], opts: SendOptions = {}) =>
    stopped
      ? null
      : boss.send(
          QUEUES[queue].name,
          data,
          opts.startAfterSeconds ? { startAfter: opts.startAfterSeconds } : {},
        );

  // The keys of the jobs waiting in a queue, read at most every quarter second (a planning pass asks
  // once per job it plans).
  const waitingNow = cachedFor(250, clock, <K extends QueueKey>(queue: K) => waitingKeysIn(boss, queue));

  return {
    boss,
    send,
    /**
     * Queues a job unless one for the same `key` (the connection, notification or schedule it is for)
     * still waits to be picked up: a planner that falls behind never piles up a second one. Returns the
     * new job's id, or null when one was waiting (or the queue is stopping).
     */
    async sendUnlessWaiting<K extends QueueKey>(
      queue: K,
      data: JobData[K],
      key: string,
    ): Promise<string | null> {
      const keys = await waitingNow(queue);
      if (keys.has(key)) return null;
      const id = await send(queue, data, { key });
      if (id) keys.add(key);
      return id;
    },
    /**
     * Starts working a queue in this process: `concurrency` fetchers, each taking up to `batchSize` jobs
     * and running them side by side (a failed job fails its batch, which pg-boss retries: use batches
     * only for idempotent work such as probes).
     */
    async work<K extends QueueKey>(
      queue: K,
      handler: JobHandler<K>,
      { concurrency = 1, batchSize = 1 }: { concurrency?: number; batchSize?: number } = {},
    ): Promise<void> {
      const polling = Math.max(0.5, poll);
      await boss.work<JobData[K]>(
        QUEUES[queue].name,
        // A worker that just finished a batch fetches the next at once while the queue has more.
        {
          localConcurrency: concurrency,
          batchSize,
          burstWhenBatchFull: true,
          pollingIntervalSeconds: polling,
          notifyPollingIntervalSeconds: polling,
        },
        (jobs) => runBatch(jobs, handler, QUEUES[queue].name, options.log),
      );
    },
    /** True while a job is queued and not yet picked up by a worker. */
    async isWaiting<K extends QueueKey>(queue: K, id: string): Promise<boolean> {
      const job = await boss.getJobById(QUEUES[queue].name, id);
      return job?.state === 'created' || job?.state === 'retry';
    },
    /** Jobs not yet finished per queue (queued, retrying or running). */
    depth: () => queueDepth(boss),
    async stop(): Promise<void> {
      if (stopped) return;
      stopped = true;
      await boss.stop({ graceful: true, timeout: 10_000 }).catch(() => {});
    },
  };
}

export type Jobs = Awaited<ReturnType<typeof createJobs>>;

function connectionString(database: DatabaseHandle & { url?: string }): string {
  if (database.kind !== 'postgres') throw new Error('not a PostgreSQL handle');
  const options = database.pool.options as { connectionString?: string };
  if (!options.connectionString) throw new Error('the PostgreSQL pool has no connection string');
  return options.connectionString;
}

/** A warn(error, msg) that logs each kind of error at most once per `everyMs`, counting what it held back. */
function throttledWarnings(log: Logger, everyMs: number) {
  const seen = new Map<string, { at: number; suppressed: number }>();
  return (error: unknown, msg: string) => {
    const e = error as { code?: unknown; message?: unknown } | null;
    // Worker ids and queue names vary per poll; the kind of failure is the code and the message's start.
    const key = `${String(e?.code ?? '')}|${String(e?.message ?? error)
      .replace(/\(Queue:.*$/, '')
      .slice(0, 80)}`;
    const now = Date.now();
    const last = seen.get(key);
    if (last && now - last.at < everyMs) {
      last.suppressed++;
      return;
    }
    log.warn({ err: error, ...(last?.suppressed ? { suppressed: last.suppressed } : {}) }, msg);
    seen.set(key, { at: now, suppressed: 0 });
  };
}

/** pg-boss started on the database, with every queue created and brought to this version's settings. */
async function startBoss(database: DatabaseHandle & { url?: string }, options: JobsOptions) {
  const common = {
    schema: options.schema ?? 'pgboss',
    useListenNotify: true,
    supervise: true,
    // A job whose worker died (heartbeat lapsed) is failed and retried by the next queue monitor pass
    // (both timers gate it); the defaults of a minute left a killed worker's jobs waiting that long.
    superviseIntervalSeconds: 10,
    monitorIntervalSeconds: 10,
    migrate: true,
  };
  const boss =
    database.kind === 'pglite'
      ? new PgBoss({ ...common, db: fromPglite(database.pglite), backend: 'pglite' })
      : new PgBoss({ ...common, connectionString: connectionString(database), max: 4 });
  // While the database is away every worker's poll fails each second: say so once per kind of error
  // and half-minute, with how many were left unsaid, rather than flood the log.
  const warn = throttledWarnings(options.log, 30_000);
  boss.on('error', (error) => warn(error, 'job queue error'));
  await boss.start();
  for (const queue of Object.values(QUEUES)) {
    const { name, policy, ...settings } = queue;
    await boss.createQueue(name, { policy, ...settings, notify: true });
    // createQueue leaves an existing queue as it was: bring its settings to this version's.
    await boss.updateQueue(name, { ...settings, notify: true });
  }
  return boss;
}

/** Runs a batch side by side; a failed job is logged and fails its batch, which pg-boss retries. */
async function runBatch<K extends QueueKey>(
  jobs: Array<{ id: string; data: JobData[K] }>,
  handler: JobHandler<K>,
  queue: string,
  log: Logger,
) {
  const results = await Promise.allSettled(jobs.map((job) => handler(job.data)));
  const failed = results.flatMap((r, i) =>
    r.status === 'rejected' ? [{ job: jobs[i]!, error: r.reason }] : [],
  );
  for (const { job, error } of failed)
    log.warn({ err: error, queue, job: job.id }, 'job failed; pg-boss retries it per the queue policy');
  if (failed[0]) throw failed[0].error;
}

/** The keys (connection, notification or schedule) of the jobs waiting in a queue. */
async function waitingKeysIn<K extends QueueKey>(boss: PgBoss, queue: K): Promise<Set<string>> {
  const field = KEY_FIELD[queue];
  if (!field) return new Set();
  const found = await boss.findJobs<JobData[K]>(QUEUES[queue].name, { queued: true, limit: 100_000 });
  return new Set(found.map((job) => String((job.data as Record<string, unknown>)[field as string])));
}

async function queueDepth(boss: PgBoss): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const [key, queue] of Object.entries(QUEUES)) {
    const stats = await boss.getQueue(queue.name);
    result[key] = (stats?.queuedCount ?? 0) + (stats?.activeCount ?? 0);
  }
  return result;
}

/** `read` per key, reused for `ms` on `clock`. */
function cachedFor<K, V>(ms: number, clock: () => number, read: (key: K) => Promise<V>) {
  const cache = new Map<K, { at: number; value: V }>();
  return async (key: K): Promise<V> => {
    const hit = cache.get(key);
    if (hit && clock() - hit.at <= ms) return hit.value;
    const entry = { at: clock(), value: await read(key) };
    cache.set(key, entry);
    return entry.value;
  };
}
