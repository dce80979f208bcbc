import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.ts';
import { describeConfig } from './describe-config.ts';
import { loadConfig } from './load-config.ts';

const KEY = Buffer.alloc(32, 7).toString('base64');

function configFile(content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'adwarden-config-'));
  const path = join(dir, 'adwarden.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map((p) => `${p.source}: ${p.message}`);
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('fills every default when nothing is set', () => {
    const config = loadConfig({ env: {}, cwd: '/srv/app' });
    expect(config).toMatchObject({
      dataDir: '/srv/app/.adwarden',
      databaseUrl: null,
      secretKey: null,
      log: { level: 'info' },
      server: { host: '127.0.0.1', port: 7420, publicUrl: null },
      tiktok: null,
      monitor: {
        sweepIntervalMs: 300_000,
        campaignWatchIntervalMs: 900_000,
        expiryReminderLeadMs: 604_800_000,
        maxTokenAgeMs: null,
      },
      embedded: { sharedBuffersMb: 32, optimizeWasm: false },
      cli: { url: null, apiKey: null },
    });
  });

  it('reads the embedded database tuning, and names a size it cannot read', () => {
    const config = loadConfig({
      env: { ADWARDEN_EMBEDDED_SHARED_BUFFERS: '1GB', ADWARDEN_EMBEDDED_OPTIMIZE_WASM: 'yes' },
    });
    expect(config.embedded).toEqual({ sharedBuffersMb: 1024, optimizeWasm: true });
    expect(
      problemsOf(() =>
        loadConfig({
          env: { ADWARDEN_EMBEDDED_SHARED_BUFFERS: '32 bananas', ADWARDEN_EMBEDDED_OPTIMIZE_WASM: 'maybe' },
        }),
      ),
    ).toEqual([
      'ADWARDEN_EMBEDDED_SHARED_BUFFERS (environment): "32 bananas" is not a size from 1MB to 1GB; write e.g. 32MB',
      'ADWARDEN_EMBEDDED_OPTIMIZE_WASM (environment): must be true or false',
    ]);
  });

  it('is deeply frozen', () => {
    const config = loadConfig({ env: {} });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.monitor)).toBe(true);
  });

  it('lets flags win over the environment, and the environment over the file', () => {
    const file = configFile({
      server: { port: 1111, host: '0.0.0.0' },
      log: { level: 'debug' },
      monitor: { sweepInterval: '1m' },
    });
    const config = loadConfig({
      env: { ADWARDEN_CONFIG: file, ADWARDEN_PORT: '2222', ADWARDEN_LOG_LEVEL: 'warn' },
      flags: [{ key: 'log.level', value: 'error', flag: '--log-level' }],
    });
    expect(config.server).toMatchObject({ port: 2222, host: '0.0.0.0' });
    expect(config.log.level).toBe('error');
    expect(config.monitor.sweepIntervalMs).toBe(60_000);
  });

  it('reports every invalid setting at once, naming where each came from', () => {
    const problems = problemsOf(() =>
      loadConfig({
        env: {
          ADWARDEN_PORT: 'eighty',
          ADWARDEN_SWEEP_INTERVAL: 'often',
          ADWARDEN_SECRET_KEY: 'short',
          DATABASE_URL: 'mysql://x',
          ADWARDEN_TIKTOK_APP_ID: '7100000000000000001',
        },
        flags: [{ key: 'log.level', value: 'loud', flag: '--log-level' }],
      }),
    );
    expect(problems).toHaveLength(6);
    expect(problems.join('\n')).toMatch(/ADWARDEN_PORT \(environment\): "eighty" is not a port/);
    expect(problems.join('\n')).toMatch(/ADWARDEN_SWEEP_INTERVAL \(environment\): "often" is not a duration/);
    expect(problems.join('\n')).toMatch(/ADWARDEN_SECRET_KEY \(environment\): must be 32 random bytes/);
    expect(problems.join('\n')).toMatch(/DATABASE_URL \(environment\): must be a PostgreSQL URL/);
    expect(problems.join('\n')).toMatch(/ADWARDEN_TIKTOK_APP_SECRET.*required when an app id is set/);
    expect(problems.join('\n')).toMatch(/--log-level \(command line\)/);
  });

  it('never echoes a bad secret value in its problems', () => {
    const error = (() => {
      try {
        loadConfig({ env: { ADWARDEN_SECRET_KEY: 'not-a-real-key-but-private' } });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).not.toContain('not-a-real-key-but-private');
  });

  it('rejects unknown keys in the config file', () => {
    const file = configFile({ server: { prot: 1 } });
    expect(problemsOf(() => loadConfig({ env: {}, configFile: file })).join()).toMatch(
      /server\.prot|Unrecognized key/,
    );
  });

  it('reports an unreadable or invalid config file with the other problems', () => {
    const problems = problemsOf(() =>
      loadConfig({ env: { ADWARDEN_PORT: 'x' }, configFile: configFile('{ not json') }),
    );
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/is not valid JSON/);
    expect(problemsOf(() => loadConfig({ env: {}, configFile: '/does/not/exist.json' }))[0]).toMatch(
      /cannot be read \(ENOENT\)/,
    );
  });

  it('warns about ADWARDEN_ variables it does not read', () => {
    expect(loadConfig({ env: { ADWARDEN_PROT: '1' } }).warnings).toEqual([
      'ADWARDEN_PROT is set but adwarden does not read it (a typo?)',
    ]);
  });

  it('seals secrets so they never print', () => {
    const config = loadConfig({
      env: {
        ADWARDEN_SECRET_KEY: KEY,
        ADWARDEN_TIKTOK_APP_ID: '7100000000000000001',
        ADWARDEN_TIKTOK_APP_SECRET: 'app-secret-value',
        DATABASE_URL: 'postgres://u:pg-password@127.0.0.1/db',
      },
    });
    const printed = [
      JSON.stringify(config),
      inspect(config, { depth: 10 }),
      String(config.tiktok?.appSecret),
      JSON.stringify(describeConfig(config)),
    ].join('\n');
    for (const secret of [KEY, 'app-secret-value', 'pg-password']) expect(printed).not.toContain(secret);
    expect(config.tiktok?.appSecret.reveal()).toBe('app-secret-value');
    expect(describeConfig(config).databaseUrl).toBe('postgres://u:[redacted]@127.0.0.1/db');
  });
});
