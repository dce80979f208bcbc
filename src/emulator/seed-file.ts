import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { createIdFactory, randomToken } from './ids.ts';
import { seedCampaigns } from './seed-ads.ts';
import { seedGmvMax, seedSmartPlus } from './seed-families.ts';
import { type EmulatorState, issueAdvertiserToken, type Tier } from './state.ts';

const Id = z.string().regex(/^\d{1,19}$/, 'must be a string of up to 19 digits');
const DEFAULT_REDIRECTS = [
  'http://127.0.0.1:7420/oauth/tiktok/callback',
  'http://localhost:7420/oauth/tiktok/callback',
];

/** A seed file: your own apps, advertisers and authorizations instead of the demo world. */
export const SeedFileSchema = z.strictObject({
  apps: z
    .array(
      z.strictObject({
        app_id: Id,
        secret: z.string().min(8),
        name: z.string().default('My TikTok app'),
        environment: z.enum(['production', 'sandbox']).default('production'),
        tier: z.enum(['basic', 'advanced', 'premium', 'ultimate', 'none']).optional(),
        redirect_uris: z.array(z.url()).default(DEFAULT_REDIRECTS),
      }),
    )
    .min(1),
  advertisers: z
    .array(
      z.strictObject({
        advertiser_id: Id,
        name: z.string().min(1),
        /** Apps whose consent page offers this advertiser. */
        app_ids: z.array(Id).min(1),
        status: z.string().default('STATUS_ENABLE'),
        currency: z.string().default('USD'),
        timezone: z.string().default('America/New_York'),
        balance: z.number().nonnegative().default(1000),
        /** Seed campaigns, ad groups and ads for it. @default true */
        campaigns: z.boolean().default(true),
        /** Also an upgraded Smart+ campaign. @default false */
        smart_plus: z.boolean().default(false),
        /** Also a GMV Max campaign (a TikTok Shop). @default false */
        gmv_max: z.boolean().default(false),
      }),
    )
    .default([]),
  authorizations: z
    .array(
      z.strictObject({
        app_id: Id,
        advertiser_ids: z.array(Id),
        /** A fixed token for your tests; random when absent. */
        access_token: z.string().min(8).optional(),
      }),
    )
    .default([]),
});

/** A parsed seed file. */
export type SeedFile = z.output<typeof SeedFileSchema>;
/** A seed as written (defaults may be left out). */
export type SeedInput = z.input<typeof SeedFileSchema>;

/** Reads and validates a seed file; errors name the field and the reason. */
export async function loadSeedFile(path: string): Promise<SeedFile> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`seed file ${path}: ${(error as Error).message}`);
  }
  const parsed = SeedFileSchema.safeParse(json);
  if (!parsed.success)
    throw new Error(
      `seed file ${path} is not valid:\n  ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n  ')}`,
    );
  return parsed.data;
}

/** Fills `state` from a seed file, checking that every reference resolves. */
export function seedFromFile(
  state: EmulatorState,
  input: SeedInput,
  options: { now: number; tier: Tier },
): void {
  const seed: SeedFile = SeedFileSchema.parse(input);
  const ids = createIdFactory(`seed-file:${seed.apps[0]!.app_id}`);
  for (const app of seed.apps) {
    state.apps.set(app.app_id, {
      appId: app.app_id,
      secret: app.secret,
      name: app.name,
      environment: app.environment,
      tier: app.tier ?? options.tier,
      redirectUris: app.redirect_uris,
    });
  }
  for (const a of seed.advertisers) {
    const unknown = a.app_ids.filter((id) => !state.apps.has(id));
    if (unknown.length)
      throw new Error(`seed file: advertiser ${a.advertiser_id} names unknown app ${unknown[0]}`);
    const advertiser = {
      advertiserId: a.advertiser_id,
      name: a.name,
      appIds: a.app_ids,
      status: a.status,
      currency: a.currency,
      timezone: a.timezone,
      company: `${a.name} Ltd`,
      balance: a.balance,
      ownerBcId: null,
      role: 'ROLE_ADVERTISER',
      createTime: options.now - 365 * 86_400_000,
      deleted: false,
    };
    state.advertisers.set(advertiser.advertiserId, advertiser);
    if (a.campaigns) seedCampaigns(state, advertiser, ids, options.now);
    if (a.smart_plus) seedSmartPlus(state, advertiser, ids, options.now);
    if (a.gmv_max) seedGmvMax(state, advertiser, ids, options.now);
  }
  for (const grant of seed.authorizations) {
    const app = state.apps.get(grant.app_id);
    if (!app) throw new Error(`seed file: an authorization names unknown app ${grant.app_id}`);
    const missing = grant.advertiser_ids.filter((id) => !state.advertisers.has(id));
    if (missing.length) throw new Error(`seed file: an authorization names unknown advertiser ${missing[0]}`);
    issueAdvertiserToken(state, {
      app,
      advertiserIds: grant.advertiser_ids,
      accessToken: grant.access_token ?? randomToken(20),
      now: options.now,
    });
  }
}
