import { z } from 'zod';
import type { AppRow, AppsStore } from '../../db/index.ts';
import { counterpartBaseUrl, effectiveBaseUrl } from '../../oauth/index.ts';
import { createTikTokClient, type TikTokClient } from '../../tiktok/index.ts';
import type { KeyRing, Secret } from '../../vault/index.ts';
import { ServiceError } from '../service-error.ts';

const httpUrl = z
  .string()
  .refine(
    (value) => /^https?:\/\/[^\s/]+/i.test(value) && URL.canParse(value),
    'must be an http:// or https:// URL',
  );

/** What registering an app takes (API body, CLI flags, config). */
export const AppInputSchema = z.strictObject({
  app_id: z.string().regex(/^\d{6,25}$/, 'must be the numeric app id from TikTok’s developer portal'),
  secret: z.string().min(1, 'must not be empty'),
  name: z.string().min(1).max(200).optional(),
  environment: z.enum(['production', 'sandbox']).default('production'),
  base_url: httpUrl
    .check((ctx) => {
      if (URL.canParse(ctx.value) && !/\/open_api\/v1\.3\/?$/.test(new URL(ctx.value).pathname))
        ctx.issues.push({
          code: 'custom',
          input: ctx.value,
          message: `must end in /open_api/v1.3 (TikTok's API root), e.g. ${ctx.value.replace(/\/+$/, '')}/open_api/v1.3`,
        });
    })
    .optional(),
  redirect_uri: httpUrl.optional(),
  rate_tier: z.enum(['basic', 'advanced', 'premium', 'ultimate']).default('basic'),
});

export type AppInput = z.input<typeof AppInputSchema>;

/** An app as the API shows it: never its secret. */
export interface AppView {
  app_id: string;
  name: string;
  environment: 'production' | 'sandbox';
  base_url: string;
  redirect_uri: string;
  rate_tier: string;
  connect_url: string;
  created_at: string;
  updated_at: string;
}

/** A TikTok client for an app, and one for the same app in the other environment (verification). */
export interface AppClients {
  app: AppRow;
  secret: Secret;
  client: TikTokClient;
}

/** What `appsService` uses. */
export interface AppsDeps {
  store: AppsStore;
  keyRing: () => KeyRing;
  publicUrl: () => string;
  now: () => number;
  /** Builds clients; tests pass a shorter retry policy. */
  clientOptions?: Partial<Parameters<typeof createTikTokClient>[0]>;
  /** Told about each client built (metrics listen to its events). */
  onClient?: (appId: string, client: TikTokClient) => void;
}

/** Registering apps and handing out one client per app (so pacing is per app, as TikTok counts). */
export function appsService(deps: AppsDeps) {
  // Keyed by app and base URL; `version` (the app's updated_at) catches changes made by another process.
  const clients = new Map<string, { client: TikTokClient; secret: Secret; version: number }>();
  const redirectUriOf = (app: AppRow) => redirectUriFor(app, deps.publicUrl());
  const view = (app: AppRow) => appView(app, deps.publicUrl());
  const openSecret = (app: AppRow) =>
    deps
      .keyRing()
      .open(app.secret_sealed, { table: 'tiktok_apps', rowId: app.app_id, purpose: 'app_secret' });

  const require = (appId: string) => requireApp(deps.store, appId);

  return {
    /** Registers an app, or updates it (a rotated secret, a new redirect URI). */
    async register(input: unknown): Promise<{ created: boolean; app: AppView }> {
      const { created, app } = await deps.store.upsert(parseApp(input, deps.keyRing()), new Date(deps.now()));
      await retire(app.app_id);
      return { created, app: view(app) };
    },
    async list(): Promise<AppView[]> {
      return (await deps.store.list()).map(view);
    },
    async get(appId: string): Promise<AppView> {
      return view(await require(appId));
    },
    require,
    /** Where TikTok sends people back: the app's own redirect URI, or this service's callback. */
    redirectUriOf,
    /**
     * The app's client (or, with `other`, the same app's client for the other environment, used to
     * tell where a token was issued). Rebuilt when the app's secret or URL changes.
     */
    async clientFor(appId: string, other = false): Promise<AppClients> {
      const app = await require(appId);
      const { environment, url } = clientTarget(app, other);
      const key = `${appId}|${url}`;
      const version = app.updated_at.getTime();
      let entry = clients.get(key);
      if (!entry || entry.version !== version) {
        if (entry) await entry.client.close();
        // The secret is opened once per client, not per call.
        const secret = openSecret(app);
        const client = createTikTokClient({
          appId,
          secret,
          environment,
          baseUrl: url,
          tier: app.rate_tier,
          now: deps.now,
          ...deps.clientOptions,
        });
        entry = { version, secret, client };
        clients.set(key, entry);
        deps.onClient?.(appId, entry.client);
      }
      return { app, secret: entry.secret, client: entry.client };
    },
    async close(): Promise<void> {
      await Promise.all([...clients.values()].map((c) => c.client.close()));
      clients.clear();
    },
  };

  async function retire(appId: string): Promise<void> {
    for (const [key, entry] of clients) {
      if (key.startsWith(`${appId}|`)) {
        clients.delete(key);
        await entry.client.close();
      }
    }
  }
}

export type AppsService = ReturnType<typeof appsService>;

/** Where TikTok sends the app's consents back: the registered URI, or the service's own callback. */
const redirectUriFor = (app: AppRow, publicUrl: string) =>
  app.redirect_uri ?? `${publicUrl}/oauth/tiktok/callback`;

function appView(app: AppRow, publicUrl: string): AppView {
  return {
    app_id: app.app_id,
    name: app.name,
    environment: app.environment,
    base_url: effectiveBaseUrl(app),
    redirect_uri: redirectUriFor(app, publicUrl),
    rate_tier: app.rate_tier,
    connect_url: `${publicUrl}/connect/tiktok?app=${app.app_id}`,
    created_at: app.created_at.toISOString(),
    updated_at: app.updated_at.toISOString(),
  };
}

/** An app as registered, its secret sealed. @throws ServiceError ADW_INVALID_INPUT naming each problem. */
function parseApp(input: unknown, keyRing: KeyRing) {
  const parsed = AppInputSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
    throw new ServiceError('ADW_INVALID_INPUT', `invalid app: ${problems.join('; ')}`, { problems });
  }
  const a = parsed.data;
  return {
    app_id: a.app_id,
    name: a.name ?? `TikTok app ${a.app_id}`,
    environment: a.environment,
    secret_sealed: keyRing.seal(a.secret, { table: 'tiktok_apps', rowId: a.app_id, purpose: 'app_secret' }),
    base_url: a.base_url?.replace(/\/+$/, '') ?? null,
    redirect_uri: a.redirect_uri ?? null,
    rate_tier: a.rate_tier,
  };
}

/** Where the app's client (or, with `other`, its client for the other environment) sends calls. */
function clientTarget(app: AppRow, other: boolean) {
  const counterpart = app.environment === 'production' ? 'sandbox' : 'production';
  return {
    environment: other ? counterpart : app.environment,
    url: other ? counterpartBaseUrl(effectiveBaseUrl(app), app.environment) : effectiveBaseUrl(app),
  };
}

/** @throws ServiceError ADW_NOT_FOUND, saying how to register it. */
async function requireApp(store: AppsStore, appId: string): Promise<AppRow> {
  const app = await store.get(appId);
  if (!app)
    throw new ServiceError(
      'ADW_NOT_FOUND',
      `no app ${appId} is registered; add it with: adwarden apps add --app-id ${appId} --secret …`,
    );
  return app;
}
