/** Where a setting can come from, and how to describe it. One row per setting; defaults live in schema.ts. */
export interface SettingSource {
  /** Dotted path in the config file and in `Config` (durations drop their `Ms` suffix in the file). */
  readonly key: string;
  readonly env: string;
  /** Shown as `[redacted]` by `doctor` and never logged. */
  readonly secret?: boolean;
  readonly describe: string;
}

/** Every setting adwarden reads. `src/config/` is the only place that reads `process.env`. */
export const SETTINGS: readonly SettingSource[] = [
  {
    key: 'dataDir',
    env: 'ADWARDEN_DATA_DIR',
    describe: 'Folder for the embedded database, the key file and the lock file.',
  },
  {
    key: 'databaseUrl',
    env: 'DATABASE_URL',
    secret: true,
    describe:
      'PostgreSQL URL (postgres://…); when set, adwarden runs on PostgreSQL instead of the embedded PGlite.',
  },
  {
    key: 'secretKey',
    env: 'ADWARDEN_SECRET_KEY',
    secret: true,
    describe:
      '32-byte key, base64, that seals tokens and secrets at rest. Embedded mode creates a key file when unset.',
  },
  {
    key: 'previousSecretKeys',
    env: 'ADWARDEN_PREVIOUS_SECRET_KEYS',
    secret: true,
    describe:
      'Earlier sealing keys, comma-separated base64; they keep opening old values until "adwarden keys rotate" re-seals them.',
  },
  {
    key: 'log.level',
    env: 'ADWARDEN_LOG_LEVEL',
    describe: 'fatal, error, warn, info, debug, trace or silent.',
  },
  { key: 'server.host', env: 'ADWARDEN_HOST', describe: 'Address the HTTP service listens on.' },
  {
    key: 'server.port',
    env: 'ADWARDEN_PORT',
    describe: 'Port the HTTP service listens on (0 picks a free one).',
  },
  {
    key: 'server.publicUrl',
    env: 'ADWARDEN_PUBLIC_URL',
    describe: 'URL people reach the service at; used in links and OAuth redirect URIs.',
  },
  {
    key: 'tiktok.appId',
    env: 'ADWARDEN_TIKTOK_APP_ID',
    describe: 'TikTok developer app id to register at start (optional; apps can also be added later).',
  },
  {
    key: 'tiktok.appSecret',
    env: 'ADWARDEN_TIKTOK_APP_SECRET',
    secret: true,
    describe: 'Secret of that app.',
  },
  { key: 'tiktok.environment', env: 'ADWARDEN_TIKTOK_ENVIRONMENT', describe: 'production or sandbox.' },
  {
    key: 'tiktok.baseUrl',
    env: 'ADWARDEN_TIKTOK_BASE_URL',
    describe:
      "API base URL; defaults to TikTok's for the environment (set it to an emulator's URL in tests).",
  },
  {
    key: 'tiktok.rateTier',
    env: 'ADWARDEN_TIKTOK_RATE_TIER',
    describe: "The app's rate tier: basic, advanced, premium or ultimate.",
  },
  {
    key: 'monitor.sweepInterval',
    env: 'ADWARDEN_SWEEP_INTERVAL',
    describe: 'How often each connection is probed (e.g. 5m).',
  },
  {
    key: 'monitor.campaignWatchInterval',
    env: 'ADWARDEN_CAMPAIGN_WATCH_INTERVAL',
    describe: "How often each advertiser's campaigns, ad groups and ads are read (e.g. 15m).",
  },
  {
    key: 'monitor.expiryReminderLead',
    env: 'ADWARDEN_EXPIRY_REMINDER_LEAD',
    describe: 'How long before a token expiry the owner is reminded (e.g. 7d).',
  },
  {
    key: 'monitor.jobsSchema',
    env: 'ADWARDEN_JOBS_SCHEMA',
    describe:
      "The PostgreSQL schema of adwarden's job queues (pg-boss); every worker of one install uses the same.",
  },
  {
    key: 'monitor.maxTokenAge',
    env: 'ADWARDEN_MAX_TOKEN_AGE',
    describe:
      'Optional maximum age for long-lived advertiser tokens; older ones get a re-auth reminder (e.g. 365d).',
  },
  {
    key: 'monitor.checkRetention',
    env: 'ADWARDEN_CHECK_RETENTION',
    describe:
      'How long check history and settled video uploads are kept (e.g. 30d); older ones are deleted daily.',
  },
  {
    key: 'monitor.statusFeed',
    env: 'ADWARDEN_TIKTOK_STATUS_FEED',
    describe:
      "TikTok's API status RSS feed, read every 5 minutes (its incidents become platform incidents and hold back per-connection alerts); 'off' to not read it.",
  },
  {
    key: 'monitor.push',
    env: 'ADWARDEN_TIKTOK_PUSH',
    describe:
      "Subscribe connections to TikTok's pushes (account suspensions, review results, TikTok's status) at <public URL>/webhooks/tiktok (true/false; default true; real TikTok needs a public https URL).",
  },
  {
    key: 'notify.allowPrivateDestinations',
    env: 'ADWARDEN_ALLOW_PRIVATE_DESTINATIONS',
    describe:
      'Let webhook and Slack channels send to private, loopback and link-local addresses (true/false; default false).',
  },
  {
    key: 'embedded.sharedBuffers',
    env: 'ADWARDEN_EMBEDDED_SHARED_BUFFERS',
    describe:
      'Shared buffers of the embedded database (PGlite), e.g. 32MB; more caches more pages in memory.',
  },
  {
    key: 'embedded.optimizeWasm',
    env: 'ADWARDEN_EMBEDDED_OPTIMIZE_WASM',
    describe:
      "Let V8 optimise the embedded database's WebAssembly (true/false; default false): faster queries, ~500 MB more memory while it compiles.",
  },
  {
    key: 'cli.url',
    env: 'ADWARDEN_URL',
    describe: 'URL of the running service that management commands talk to.',
  },
  {
    key: 'cli.apiKey',
    env: 'ADWARDEN_API_KEY',
    secret: true,
    describe: 'API key management commands use against the service.',
  },
];

/** Variables that are read before the config loads (bin/run-modern-node.js) and are not settings. */
export const BOOTSTRAP_VARIABLES: readonly string[] = ['ADWARDEN_CONFIG', 'ADWARDEN_NODE_CACHE'];
