import type { PushDeps } from './push-service.ts';

/** What a connection subscribes to: account suspensions and review results of its advertisers. */
export const CONNECTION_ENTITIES = ['AD_ACCOUNT_SUSPENSION', 'AD_GROUP', 'AD'] as const;
/** What an app subscribes to once: TikTok's own incidents. */
export const APP_ENTITY = 'API_SERVICE_STATUS';
/** TikTok takes at most 100 advertisers per subscription. */
const PER_SUBSCRIPTION = 100;

type Deps = PushDeps & { callbackUrl: () => string };
/** Reconciliation subscribes through the service, one run per connection at a time. */
type ReconcileDeps = Deps & { subscribe: (connectionId: string) => Promise<number> };

/**
 * Whether TikTok can reach the callback: real TikTok needs a public https URL. (The emulator, or any
 * other base URL, is allowed an http or loopback one.)
 */
async function reachable(deps: Deps, appId: string): Promise<boolean> {
  const { app } = await deps.apps.clientFor(appId);
  const realTikTok = (app.base_url ?? 'https://business-api.tiktok.com').includes('business-api.tiktok.com');
  if (!realTikTok) return true;
  const url = new URL(deps.callbackUrl());
  return url.protocol === 'https:' && !/^(localhost|127\.|\[::1\])/.test(url.hostname);
}

/**
 * Subscribes a connection's granted advertisers to suspensions and review results (in groups of 100),
 * after ending the subscriptions made with its earlier token, and makes sure its app hears TikTok's
 * status. A failure is logged, not thrown: polling stays the fallback. Returns how many were made.
 */
export async function subscribeConnection(deps: Deps, connectionId: string): Promise<number> {
  try {
    return await subscribeOrThrow(deps, connectionId);
  } catch (error) {
    deps.log.warn(
      { err: error, connection: connectionId },
      'could not subscribe to TikTok pushes; polling goes on',
    );
    return 0;
  }
}

async function subscribeOrThrow(deps: Deps, connectionId: string): Promise<number> {
  const connection = await deps.connections.require(connectionId);
  if (connection.regime !== 'advertiser' || !['healthy', 'degraded'].includes(connection.status)) return 0;
  const appId = connection.app_id;
  if (!(await reachable(deps, appId))) {
    deps.log.info(
      { connection: connectionId, callback: deps.callbackUrl() },
      'TikTok cannot reach this callback URL (it needs a public https URL): pushes are off, polling finds everything',
    );
    return 0;
  }
  const store = deps.data.stores.push;
  const { client } = await deps.apps.clientFor(appId);
  await unsubscribeAll(deps, connectionId);
  const advertiserIds = (await deps.connections.show(connectionId)).advertiser_list
    .filter((a) => a.granted)
    .map((a) => a.advertiser_id);
  let made = 0;
  try {
    const accessToken = await deps.tokens.accessToken(connectionId);
    for (let start = 0; start < advertiserIds.length; start += PER_SUBSCRIPTION) {
      const group = advertiserIds.slice(start, start + PER_SUBSCRIPTION);
      for (const entity of CONNECTION_ENTITIES) {
        const subscriptionId = await client.subscribe({
          entity,
          callbackUrl: deps.callbackUrl(),
          accessToken,
          advertiserIds: group,
        });
        await store.addSubscription(
          { subscriptionId, appId, connectionId, entity, advertiserIds: group },
          new Date(deps.now()),
        );
        made++;
      }
    }
    made += await ensureAppSubscription(deps, appId);
  } catch (error) {
    deps.log.warn(
      { err: error, connection: connectionId },
      'could not subscribe to TikTok pushes; polling goes on',
    );
  }
  return made;
}

/** Ends the connection's subscriptions at TikTok (a dead token's are gone there already) and here. */
async function unsubscribeAll(deps: Deps, connectionId: string): Promise<void> {
  const store = deps.data.stores.push;
  for (const s of await store.subscriptions({ connectionId })) {
    const { client } = await deps.apps.clientFor(s.app_id);
    await client.unsubscribe(s.subscription_id).catch(() => {});
    await store.removeSubscription(s.subscription_id);
  }
}

/** The app's API_SERVICE_STATUS subscription, made when missing; 1 when made. */
async function ensureAppSubscription(deps: Deps, appId: string): Promise<number> {
  const store = deps.data.stores.push;
  const existing = (await store.subscriptions({ appId })).some((s) => s.entity === APP_ENTITY);
  if (existing) return 0;
  const { client } = await deps.apps.clientFor(appId);
  const subscriptionId = await client.subscribe({ entity: APP_ENTITY, callbackUrl: deps.callbackUrl() });
  await store.addSubscription(
    { subscriptionId, appId, connectionId: null, entity: APP_ENTITY, advertiserIds: [] },
    new Date(deps.now()),
  );
  return 1;
}

/**
 * One app's subscriptions at TikTok against adwarden's: ours TikTok no longer lists (their token was
 * revoked, or TikTok lost them) are made again for connections that work; ones TikTok lists to our
 * callback that we do not hold are ended; healthy connections without any are subscribed.
 */
export async function reconcileApp(deps: ReconcileDeps, appId: string) {
  const counts = { kept: 0, recreated: 0, removed: 0, failed: 0 };
  const store = deps.data.stores.push;
  if (!(await reachable(deps, appId))) return counts;
  const { client } = await deps.apps.clientFor(appId);
  let remote: Awaited<ReturnType<typeof client.listSubscriptions>>;
  try {
    remote = await client.listSubscriptions();
  } catch (error) {
    deps.log.warn({ err: error, app: appId }, 'could not list TikTok subscriptions');
    return { ...counts, failed: 1 };
  }
  const remoteIds = new Set(remote.map((r) => r.subscriptionId));
  const local = await store.subscriptions({ appId });
  const localIds = new Set(local.map((s) => s.subscription_id));
  const lost = new Set<string>();
  for (const s of local) {
    if (remoteIds.has(s.subscription_id)) continue;
    await store.removeSubscription(s.subscription_id);
    if (s.connection_id) lost.add(s.connection_id);
  }
  const kept = local.filter((s) => remoteIds.has(s.subscription_id)).map((s) => s.subscription_id);
  await store.markChecked(kept, new Date(deps.now()));
  counts.kept = kept.length;
  for (const r of remote)
    if (r.callbackUrl === deps.callbackUrl() && !localIds.has(r.subscriptionId)) {
      await client.unsubscribe(r.subscriptionId).catch(() => {});
      counts.removed++;
    }
  const held = new Set((await store.subscriptions({ appId })).map((s) => s.connection_id));
  for (const c of await deps.connections.list())
    if (c.app_id === appId && c.regime === 'advertiser' && (lost.has(c.id) || !held.has(c.id)))
      counts.recreated += await deps.subscribe(c.id);
  counts.recreated += await ensureAppSubscription(deps, appId).catch(() => 0);
  return counts;
}
