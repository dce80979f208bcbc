import { z } from 'zod';
import { parseDuration } from './duration.ts';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const duration = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const ms = parseDuration(value);
  if (ms === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" is not a duration; write a number and a unit (ms, s, m, h, d), e.g. 5m`,
    });
    return z.NEVER;
  }
  return ms;
});

const httpUrl = z.string().refine((value) => /^https?:\/\/[^\s/]+/i.test(value) && URL.canParse(value), {
  message: 'must be an http:// or https:// URL',
});

const postgresUrl = z.string().refine((value) => /^postgres(ql)?:\/\//i.test(value) && URL.canParse(value), {
  message: 'must be a PostgreSQL URL like postgres://user@127.0.0.1:5432/adwarden',
});

const sealingKey = z
  .string()
  .refine(
    (value) => /^[A-Za-z0-9+/_-]+={0,2}$/.test(value.trim()) && Buffer.from(value, 'base64').length === 32,
    {
      message: 'must be 32 random bytes in base64 (44 characters); create one with: openssl rand -base64 32',
    },
  );

const port = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const number = typeof value === 'number' ? value : /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isInteger(number) || number < 0 || number > 65_535) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a port; use a whole number from 0 to 65535` });
    return z.NEVER;
  }
  return number;
});

const flag = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])], { error: 'must be true or false' })
  .transform((v) => v === true || v === 'true' || v === '1' || v === 'yes');

const megabytes = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const match = /^\s*(\d+)\s*(MB|GB)?\s*$/i.exec(String(value));
  const mb = match ? Number(match[1]) * (match[2]?.toUpperCase() === 'GB' ? 1024 : 1) : Number.NaN;
  if (!Number.isInteger(mb) || mb < 1 || mb > 1024) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a size from 1MB to 1GB; write e.g. 32MB` });
    return z.NEVER;
  }
  return mb;
});

/** The shape of the merged settings (defaults < config file < environment < flags) before resolution. */
export const RawConfigSchema = z.strictObject({
  dataDir: z.string().min(1, 'must not be empty').default('./.adwarden'),
  databaseUrl: postgresUrl.optional(),
  secretKey: sealingKey.optional(),
  previousSecretKeys: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((key) => key.trim())
        .filter(Boolean),
    )
    .pipe(z.array(sealingKey))
    .optional(),
  log: z.strictObject({ level: z.enum(LOG_LEVELS).default('info') }).prefault({}),
  server: z
    .strictObject({
      host: z.string().min(1, 'must not be empty').default('127.0.0.1'),
      port: port.prefault(7420),
      publicUrl: httpUrl.optional(),
    })
    .prefault({}),
  tiktok: z
    .strictObject({
      appId: z
        .string()
        .regex(/^\d{6,25}$/, 'must be the numeric app id shown in TikTok’s developer portal')
        .optional(),
      appSecret: z.string().min(1, 'must not be empty').optional(),
      environment: z.enum(['production', 'sandbox']).default('production'),
      baseUrl: httpUrl.optional(),
      rateTier: z.enum(['basic', 'advanced', 'premium', 'ultimate']).default('basic'),
    })
    .prefault({})
    .superRefine((tiktok, ctx) => {
      if (tiktok.appId && !tiktok.appSecret) {
        ctx.addIssue({ code: 'custom', path: ['appSecret'], message: 'is required when an app id is set' });
      }
      if (tiktok.appSecret && !tiktok.appId) {
        ctx.addIssue({ code: 'custom', path: ['appId'], message: 'is required when an app secret is set' });
      }
    }),
  monitor: z
    .strictObject({
      sweepInterval: duration.prefault('5m'),
      campaignWatchInterval: duration.prefault('15m'),
      expiryReminderLead: duration.prefault('7d'),
      maxTokenAge: duration.optional(),
      checkRetention: duration.prefault('30d'),
      /** TikTok's status RSS feed, or `off`. @default TikTok's feed */
      statusFeed: z
        .union([z.literal('off'), z.url({ protocol: /^https?$/, error: 'must be an http(s) URL or "off"' })])
        .default('https://business-api.tiktok.com/marketing_api/api/status_page/incident/rss/'),
      /** Subscribe connections to TikTok's pushes (Subscription API). @default true */
      push: flag.default(true),
      /** @default 'pgboss' */
      jobsSchema: z
        .string()
        .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lowercase PostgreSQL identifier, e.g. pgboss')
        .default('pgboss'),
    })
    .prefault({}),
  notify: z
    .strictObject({
      /** @default false: webhook and Slack URLs may not point at private, loopback or link-local addresses */
      allowPrivateDestinations: flag.default(false),
    })
    .prefault({}),
  embedded: z
    .strictObject({
      /** @default 32 (MB) */
      sharedBuffers: megabytes.prefault('32MB'),
      /** @default false */
      optimizeWasm: flag.default(false),
    })
    .prefault({}),
  cli: z.strictObject({ url: httpUrl.optional(), apiKey: z.string().min(1).optional() }).prefault({}),
});

/** Settings after validation, before secrets are wrapped and paths resolved. */
export type RawConfig = z.output<typeof RawConfigSchema>;
