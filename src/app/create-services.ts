import { sql } from 'kysely';
import type { Config } from '../config/index.ts';
import {
  checkFreeSpace,
  type DatabaseHandle,
  type DataDirLock,
  dataDirProblem,
  lockDataDir,
  migrateToLatest,
  openDatabase,
  unitOfWork,
} from '../db/index.ts';
import type { Logger } from '../log/index.ts';
import {
  type AppsService,
  ensureAdminToken,
  hashApiKey,
  keyRotation,
  type Services,
} from '../services/index.ts';
import { postgresLimiterFactory, type TikTokClientOptions } from '../tiktok/index.ts';
import { keyRingSource } from '../vault/index.ts';
import { serviceMetrics } from './service-metrics.ts';
import { wireWorkflows } from './wire-workflows.ts';

/** Options of `createServices`. */
export interface ServicesOptions {
  /** The command that holds the data dir (named to a second process that tries to open it). */
  command: string;
  logger: Logger;
  /** @default Date.now */
  now?: () => number;
  /** An open database to use instead of the configured one (tests); it is not locked or closed here. */
  database?: DatabaseHandle;
  /** Client settings for every TikTok app (tests shorten retries). */
  clientOptions?: Partial<TikTokClientOptions>;
  /** How long a recovered problem must stay away before its incident resolves. @default 120000 */
  quietMs?: number;
  /** Randomness for jitter. @default Math.random */
  random?: () => number;
}

/**
 * The composition root: takes the data dir (embedded mode), opens and migrates the database,
 * loads the key ring, and wires the services. Close it to release everything.
 * @throws DataDirLockedError (ADW_DATA_DIR_LOCKED), SecretKeyRequiredError, KeyFileError, database errors.
 */
export async function createServices(config: Config, options: ServicesOptions): Promise<Services> {
  const now = options.now ?? Date.now;
  const log = options.logger;
  let lock: DataDirLock | null = null;
  let database: DatabaseHandle | null = options.database ?? null;
  try {
    if (!database && !config.databaseUrl) lock = lockDataDir(config.dataDir, options.command);
    const opened = await openStorage(config, options, database);
    database = opened.database;
    const { source, data } = opened;
    const db = database.db;

    let publicUrl = config.server.publicUrl ?? `http://${config.server.host}:${config.server.port}`;
    const urls = { publicUrl: () => publicUrl };
    const keyRing = () => source.ring();
    const metrics = serviceMetrics({ stores: data.stores, now });
    const { limiterFactory } = opened;
    const wiring = { config, options, data, keyRing, publicUrl: urls.publicUrl, now, log, limiterFactory };
    const workflows = wireWorkflows({ ...wiring, onClient: metrics.observeClient });
    const { apps, notifications } = workflows;
    await sealPlainLinks(notifications, log);
    const keys = keyRotation({
      sealed: data.stores.sealedValues,
      source,
      onRing: () => log.info({ activeKey: source.ring().activeKeyId }, 'key ring changed'),
    });

    if (config.tiktok) await registerConfiguredApp(apps, config.tiktok, log);

    const handle = database;
    /** The data dir the embedded database lives in (null on PostgreSQL or with a database handed in). */
    const embeddedDataDir = handle.kind === 'pglite' && !options.database ? config.dataDir : null;
    return {
      config,
      log,
      now,
      database: handle,
      embeddedDataDir,
      ...workflows,
      keys,
      metrics,
      /**
       * Resolves when the database answers and, embedded, its data dir has room to write (`/readyz`).
       * @throws DataDirError ADW_DATA_DIR_FULL; the database's error.
       */
      async ready() {
        await sql`select 1`.execute(db);
        const full = embeddedDataDir ? checkFreeSpace(embeddedDataDir, 'serving') : null;
        if (full) throw full;
      },
      /** Sets the URL people reach the service at, once it listens (links, redirect URIs). */
      setPublicUrl(url: string) {
        if (!config.server.publicUrl) publicUrl = url.replace(/\/+$/, '');
        lock?.setUrl(url);
      },
      publicUrl: urls.publicUrl,
      /** The API key with this value, if it is live. */
      async authenticate(key: string) {
        return data.stores.apiKeys.use(hashApiKey(key), new Date(now()));
      },
      async close() {
        notifications.close();
        await apps.close();
        if (!options.database) await handle.close();
        lock?.release();
      },
    };
  } catch (error) {
    if (database && !options.database) await database.close().catch(() => {});
    lock?.release();
    throw error;
  }
}

/** Runs a write to the data dir, turning a read-only or full data dir into a DataDirError that says so. */
async function writingDataDir<T>(dataDir: string, doing: string, write: () => T | Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    throw dataDirProblem(dataDir, error, doing);
  }
}

/**
 * Opens what the services stand on: the key ring (warnings logged), the database (migrated), and the
 * local admin token. An embedded database that cannot grow fails half-way through writes: it refuses
 * to start instead.
 */
async function openStorage(config: Config, options: ServicesOptions, given: DatabaseHandle | null) {
  const log = options.logger;
  if (!given && !config.databaseUrl) {
    const full = checkFreeSpace(config.dataDir, 'starting');
    if (full) throw full;
  }
  const source = await writingDataDir(config.dataDir, 'reading or creating the key file', () =>
    keyRingSource(config),
  );
  for (const warning of source.warnings) log.warn(warning);
  const database =
    given ??
    (await openDatabase(
      config.databaseUrl
        ? { databaseUrl: config.databaseUrl }
        : { dataDir: config.dataDir, tuning: config.embedded },
    ));
  try {
    const migration = await migrateToLatest(database.db as never);
    if (migration.applied.length > 0) log.info({ applied: migration.applied }, 'database migrated');
    const data = unitOfWork(database.db);
    await writingDataDir(config.dataDir, 'writing the local admin token', () =>
      ensureAdminToken(config.dataDir, data.stores.apiKeys, new Date((options.now ?? Date.now)())),
    );
    // Processes sharing a PostgreSQL database pace each app against one budget, kept there.
    const limiterFactory =
      database.kind === 'postgres' ? await postgresLimiterFactory(database.pool) : undefined;
    return { source, database, data, limiterFactory };
  } catch (error) {
    if (!given) await database.close().catch(() => {});
    throw error;
  }
}

/** The TikTok app named in the configuration, registered (or updated) at every start. */
async function registerConfiguredApp(apps: AppsService, t: NonNullable<Config['tiktok']>, log: Logger) {
  const { created } = await apps.register({
    app_id: t.appId,
    secret: t.appSecret.reveal(),
    environment: t.environment,
    base_url: t.baseUrl ?? undefined,
    rate_tier: t.rateTier,
  });
  log.info({ app: t.appId, created }, 'TikTok app from the configuration registered');
}

/** Re-auth links queued by an older version, in plain text in the outbox: sealed at start. */
async function sealPlainLinks(notifications: Services['notifications'], log: Logger) {
  const sealed = await notifications.sealPlainLinks();
  if (sealed > 0) log.info({ notifications: sealed }, 're-auth links in the outbox sealed');
}
