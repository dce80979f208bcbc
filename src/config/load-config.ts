import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Secret } from '../vault/index.ts';
import type { Config } from './config.ts';
import { ConfigError, type ConfigProblem } from './config-error.ts';
import { RawConfigSchema } from './schema.ts';
import { BOOTSTRAP_VARIABLES, SETTINGS } from './settings.ts';

/** Nested settings as a config file or command-line flags give them (file keys: see settings.ts). */
export type ConfigOverrides = { readonly [key: string]: unknown };

/** Inputs to `loadConfig`; the defaults read the real process. */
export interface LoadConfigOptions {
  /** @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** A JSON config file (the --config flag); wins over ADWARDEN_CONFIG. */
  configFile?: string;
  /** Settings from command-line flags, keyed by dotted setting key with the flag that set it. */
  flags?: ReadonlyArray<{ key: string; value: unknown; flag: string }>;
  /** @default process.cwd() */
  cwd?: string;
}

type Layered = { value: Record<string, unknown>; origins: Map<string, string> };

/**
 * Builds the frozen `Config` from defaults < config file < environment < flags.
 * This is the only reader of `process.env` in adwarden.
 * @throws {ConfigError} `ADW_CONFIG_INVALID` listing every invalid setting at once.
 */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const problems: ConfigProblem[] = [];
  const layered: Layered = { value: {}, origins: new Map() };

  const file = options.configFile ?? nonEmpty(env.ADWARDEN_CONFIG);
  if (file) {
    const read = readConfigFile(resolve(cwd, file));
    if ('problem' in read) problems.push(read.problem);
    else mergeFile(layered, read.content, file, problems);
  }
  for (const setting of SETTINGS) {
    const value = nonEmpty(env[setting.env]);
    if (value !== undefined) set(layered, setting.key, value, `${setting.env} (environment)`);
  }
  for (const { key, value, flag } of options.flags ?? []) set(layered, key, value, `${flag} (command line)`);

  const parsed = RawConfigSchema.safeParse(layered.value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      problems.push(toProblem(issue.path.map(String), issue.message, layered.origins));
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);

  const raw = parsed.data;
  const config: Config = {
    dataDir: resolve(cwd, raw.dataDir),
    databaseUrl: raw.databaseUrl ? new Secret(raw.databaseUrl) : null,
    secretKey: raw.secretKey ? new Secret(raw.secretKey.trim()) : null,
    previousSecretKeys: (raw.previousSecretKeys ?? []).map((key) => new Secret(key)),
    log: { level: raw.log.level },
    server: {
      host: raw.server.host,
      port: raw.server.port,
      publicUrl: raw.server.publicUrl?.replace(/\/+$/, '') ?? null,
    },
    tiktok:
      raw.tiktok.appId && raw.tiktok.appSecret
        ? {
            appId: raw.tiktok.appId,
            appSecret: new Secret(raw.tiktok.appSecret),
            environment: raw.tiktok.environment,
            baseUrl: raw.tiktok.baseUrl ?? null,
            rateTier: raw.tiktok.rateTier,
          }
        : null,
    monitor: {
      sweepIntervalMs: raw.monitor.sweepInterval,
      campaignWatchIntervalMs: raw.monitor.campaignWatchInterval,
      expiryReminderLeadMs: raw.monitor.expiryReminderLead,
      maxTokenAgeMs: raw.monitor.maxTokenAge ?? null,
      jobsSchema: raw.monitor.jobsSchema,
      checkRetentionMs: raw.monitor.checkRetention,
      statusFeedUrl: raw.monitor.statusFeed === 'off' ? null : raw.monitor.statusFeed,
      push: raw.monitor.push,
    },
    notify: { allowPrivateDestinations: raw.notify.allowPrivateDestinations },
    embedded: { sharedBuffersMb: raw.embedded.sharedBuffers, optimizeWasm: raw.embedded.optimizeWasm },
    cli: { url: raw.cli.url ?? null, apiKey: raw.cli.apiKey ? new Secret(raw.cli.apiKey) : null },
    warnings: unknownVariables(env),
  };
  return deepFreeze(config);
}

function readConfigFile(path: string): { content: unknown } | { problem: ConfigProblem } {
  const problem = (message: string) => ({
    problem: {
      setting: 'configFile',
      source: `config file ${path}`,
      message,
      hint: 'ADWARDEN_CONFIG or --config names a JSON file',
    },
  });
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return problem(`cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    return { content: JSON.parse(text) };
  } catch (error) {
    return problem(`is not valid JSON: ${(error as Error).message}`);
  }
}

function mergeFile(layered: Layered, content: unknown, file: string, problems: ConfigProblem[]): void {
  if (typeof content !== 'object' || content === null || Array.isArray(content)) {
    problems.push({
      setting: 'configFile',
      source: `config file ${file}`,
      message: 'must hold a JSON object',
    });
    return;
  }
  const walk = (node: Record<string, unknown>, prefix: string) => {
    for (const [name, value] of Object.entries(node)) {
      const key = prefix ? `${prefix}.${name}` : name;
      if (typeof value === 'object' && value !== null && !Array.isArray(value))
        walk(value as Record<string, unknown>, key);
      else set(layered, key, value, `${key} in ${file}`);
    }
  };
  walk(content as Record<string, unknown>, '');
}

function set(layered: Layered, key: string, value: unknown, origin: string): void {
  const parts = key.split('.');
  let node = layered.value;
  for (const part of parts.slice(0, -1)) {
    if (typeof node[part] !== 'object' || node[part] === null) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts.at(-1)!] = value;
  layered.origins.set(key, origin);
}

function toProblem(path: string[], message: string, origins: Map<string, string>): ConfigProblem {
  const key = path.join('.');
  const setting = SETTINGS.find((s) => s.key === key);
  const source = origins.get(key) ?? (setting ? `${setting.env} (environment)` : key);
  const shown = message.startsWith('Unrecognized key')
    ? `${message}; known keys are listed by "adwarden doctor"`
    : message;
  return { setting: key, source, message: shown, hint: setting?.describe };
}

function unknownVariables(env: Readonly<Record<string, string | undefined>>): string[] {
  const known = new Set([...SETTINGS.map((s) => s.env), ...BOOTSTRAP_VARIABLES]);
  return Object.keys(env)
    .filter((name) => name.startsWith('ADWARDEN_') && !known.has(name))
    .map((name) => `${name} is set but adwarden does not read it (a typo?)`);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !(value instanceof Secret) && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
