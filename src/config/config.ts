import type { Secret } from '../vault/index.ts';

/** TikTok's rate tiers (QPS / QPM / QPD per app): basic 10/600/864,000 … ultimate 50/3,000/4,320,000. */
export type RateTier = 'basic' | 'advanced' | 'premium' | 'ultimate';

/** adwarden's effective configuration: every default filled in, deep-frozen. Built only by `loadConfig`. */
export interface Config {
  /**
   * Absolute path of the data folder (embedded database, key file, lock file).
   * @default './.adwarden' (resolved against the working directory)
   */
  readonly dataDir: string;
  /** PostgreSQL URL; null means the embedded PGlite database in `dataDir`. @default null */
  readonly databaseUrl: Secret | null;
  /** 32-byte sealing key (base64); null means embedded mode's key file. @default null */
  readonly secretKey: Secret | null;
  /** Earlier sealing keys that still open values sealed before a rotation. @default [] */
  readonly previousSecretKeys: readonly Secret[];
  readonly log: {
    /** @default 'info' */
    readonly level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  };
  readonly server: {
    /** @default '127.0.0.1' */
    readonly host: string;
    /** @default 7420 */
    readonly port: number;
    /** @default null (derived from host and port) */
    readonly publicUrl: string | null;
  };
  /** A TikTok app registered at start; null when none is configured (then `npm start` runs the demo). @default null */
  readonly tiktok: {
    readonly appId: string;
    readonly appSecret: Secret;
    /** @default 'production' */
    readonly environment: 'production' | 'sandbox';
    /** @default null (TikTok's URL for the environment) */
    readonly baseUrl: string | null;
    /** @default 'basic' */
    readonly rateTier: RateTier;
  } | null;
  readonly monitor: {
    /** @default 300000 ('5m') */
    readonly sweepIntervalMs: number;
    /** @default 900000 ('15m') */
    readonly campaignWatchIntervalMs: number;
    /** @default 604800000 ('7d') */
    readonly expiryReminderLeadMs: number;
    /** @default null (advertiser tokens do not expire on a timer) */
    readonly maxTokenAgeMs: number | null;
    /** The PostgreSQL schema of the job queues. @default 'pgboss' */
    readonly jobsSchema: string;
    /** Check history and settled uploads older than this are deleted daily. @default 2592000000 ('30d') */
    readonly checkRetentionMs: number;
    /** TikTok's status RSS feed, read every 5 minutes; null: off. @default TikTok's feed */
    readonly statusFeedUrl: string | null;
    /** Connections subscribe to TikTok's pushes (suspensions, review results, TikTok's status). @default true */
    readonly push: boolean;
  };
  readonly notify: {
    /** Webhook and Slack channels may send to private addresses. @default false */
    readonly allowPrivateDestinations: boolean;
  };
  /** The embedded database (PGlite) only; PostgreSQL is tuned on its own server. */
  readonly embedded: {
    /** PostgreSQL's shared_buffers inside PGlite, in MB. @default 32 */
    readonly sharedBuffersMb: number;
    /**
     * Let V8 recompile PGlite's WebAssembly with its optimising tier: queries run faster, but compiling
     * costs a transient ~500 MB and the optimised code stays resident. @default false
     */
    readonly optimizeWasm: boolean;
  };
  readonly cli: {
    /** @default null (the local embedded service) */
    readonly url: string | null;
    /** @default null */
    readonly apiKey: Secret | null;
  };
  /** Things worth saying that are not errors, e.g. unknown ADWARDEN_* variables. */
  readonly warnings: readonly string[];
}
