import type { Config } from './config.ts';
import { formatDuration } from './duration.ts';

/** The effective configuration as plain data with every secret redacted (for `adwarden doctor`). */
export function describeConfig(config: Config): Record<string, unknown> {
  return {
    mode: config.databaseUrl ? 'postgres' : 'embedded',
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl ? redactUrl(config.databaseUrl.reveal()) : null,
    secretKey: config.secretKey ? '[redacted]' : null,
    previousSecretKeys: config.previousSecretKeys.map(() => '[redacted]'),
    log: { ...config.log },
    server: { ...config.server },
    tiktok: config.tiktok ? { ...config.tiktok, appSecret: '[redacted]' } : null,
    monitor: {
      sweepInterval: formatDuration(config.monitor.sweepIntervalMs),
      campaignWatchInterval: formatDuration(config.monitor.campaignWatchIntervalMs),
      expiryReminderLead: formatDuration(config.monitor.expiryReminderLeadMs),
      maxTokenAge:
        config.monitor.maxTokenAgeMs === null ? null : formatDuration(config.monitor.maxTokenAgeMs),
      statusFeed: config.monitor.statusFeedUrl ?? 'off',
      push: config.monitor.push,
    },
    cli: { url: config.cli.url, apiKey: config.cli.apiKey ? '[redacted]' : null },
    warnings: [...config.warnings],
  };
}

/** Removes the password from a connection URL: `postgres://u:pw@h/db` → `postgres://u:[redacted]@h/db`. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '[redacted]';
    for (const key of [...parsed.searchParams.keys()]) {
      if (/pass|secret|token|key/i.test(key)) parsed.searchParams.set(key, '[redacted]');
    }
    return parsed.toString().replace('%5Bredacted%5D', '[redacted]');
  } catch {
    return '[unparseable URL]';
  }
}
