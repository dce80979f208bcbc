import { createHash } from 'node:crypto';
import type { PlatformIncident, Stores, UnitOfWork } from '../../db/index.ts';
import type { Logger } from '../../log/index.ts';
import { advertiserSubject, pushObservation, readDelivery, verifySignature } from '../../monitor/index.ts';
import type { AppsService, ConnectionsService, TokensService } from '../connections/index.ts';
import type { IncidentsService } from '../incidents/index.ts';
import { reconcileApp, subscribeConnection } from './push-subscriptions.ts';

/** Where TikTok delivers pushes, under the service's public URL. */
export const PUSH_PATH = '/webhooks/tiktok';

/** What the push service uses. */
export interface PushDeps {
  data: UnitOfWork<Pick<Stores, 'push' | 'apps'>>;
  apps: AppsService;
  connections: ConnectionsService;
  tokens: TokensService;
  incidents: IncidentsService;
  publicUrl: () => string;
  now: () => number;
  log: Logger;
  /** Asks the monitor for a check of the connection (TikTok advises re-reading /advertiser/info/ on a suspension push). */
  probeSoon: (connectionId: string) => Promise<void>;
  /** Where TikTok's own incidents go (API_SERVICE_STATUS pushes). */
  platform: (incident: PlatformIncident) => Promise<void>;
}

/** What the intake answers TikTok. */
export interface IntakeAnswer {
  status: 200 | 400 | 401 | 500;
  body: Record<string, unknown>;
}

/**
 * TikTok's push signals (Subscription API): subscriptions per connection, made after every connect and
 * re-auth (a revoked token ends them) and reconciled on a schedule; and the intake of signed deliveries,
 * turned into the same observations polling makes, so push and poll are one incident.
 */
export function pushService(deps: PushDeps) {
  const callbackUrl = () => `${deps.publicUrl()}${PUSH_PATH}`;
  // One subscribing run per connection at a time in this process (a callback's and a reconciliation's
  // would otherwise both end the old subscriptions and both make new ones).
  const running = new Map<string, Promise<number>>();
  const subscribe = (connectionId: string): Promise<number> => {
    const before = running.get(connectionId) ?? Promise.resolve(0);
    const next = before
      .catch(() => 0)
      .then(() => subscribeConnection({ ...deps, callbackUrl }, connectionId));
    running.set(connectionId, next);
    // Forgotten once done, either way (the caller sees the outcome; this chain must not reject unheard).
    const forget = () => {
      if (running.get(connectionId) === next) running.delete(connectionId);
    };
    next.then(forget, forget);
    return next;
  };
  return {
    callbackUrl,
    /** Subscribes a connection's advertisers (replacing its earlier subscriptions); returns how many were made. */
    subscribe,
    /** Compares every app's subscriptions at TikTok with what adwarden made, and repairs the difference. */
    async reconcile(): Promise<Record<string, number>> {
      const total = { kept: 0, recreated: 0, removed: 0, failed: 0 };
      for (const app of await deps.data.stores.apps.list()) {
        const counts = await reconcileApp({ ...deps, callbackUrl, subscribe }, app.app_id);
        for (const key of Object.keys(total) as Array<keyof typeof total>) total[key] += counts[key];
      }
      return total;
    },
    /** Takes in one delivery: verified, once, fed to the incident engine. */
    intake: (rawBody: string, signature: string | undefined) => intake(deps, rawBody, signature),
    /** The subscriptions adwarden holds (for the dashboard and the API). */
    list: () => deps.data.stores.push.subscriptions(),
  };
}

export type PushService = ReturnType<typeof pushService>;

async function intake(deps: PushDeps, rawBody: string, signature: string | undefined): Promise<IntakeAnswer> {
  const delivery = readDelivery(rawBody);
  if (!delivery) return { status: 400, body: { error: 'not a TikTok push delivery' } };
  const store = deps.data.stores.push;
  const subscription = await store.subscription(delivery.subscriptionId);
  const appIds = subscription
    ? [subscription.app_id]
    : (await deps.data.stores.apps.list()).map((a) => a.app_id);
  const secrets = await Promise.all(
    appIds.map(async (id) => (await deps.apps.clientFor(id)).secret.reveal()),
  );
  const refused = verifySignature(signature, rawBody, secrets, deps.now());
  if (refused) {
    deps.log.warn({ refused, subscription: delivery.subscriptionId }, 'push delivery refused');
    return { status: 401, body: { error: `signature ${refused.replace('_', ' ')}` } };
  }
  if (!subscription) {
    // Signed by one of our apps, for a subscription adwarden no longer holds: accepted, so TikTok
    // stops retrying; reconciliation removes it at TikTok.
    deps.log.info({ subscription: delivery.subscriptionId }, 'push for an unknown subscription ignored');
    return { status: 200, body: { ignored: 'unknown subscription' } };
  }
  const key = createHash('sha256').update(rawBody).digest('hex');
  if (!(await store.takeReceipt(key, new Date(deps.now()))))
    return { status: 200, body: { duplicate: true } };
  try {
    await apply(deps, subscription, delivery);
  } catch (error) {
    // Not taken in after all: TikTok's retry will be.
    await store.dropReceipt(key);
    deps.log.error({ err: error, subscription: delivery.subscriptionId }, 'push delivery not applied');
    return { status: 500, body: { error: 'not applied; retry' } };
  }
  return { status: 200, body: { ok: true } };
}

async function apply(
  deps: PushDeps,
  subscription: { app_id: string; connection_id: string | null },
  delivery: NonNullable<ReturnType<typeof readDelivery>>,
): Promise<void> {
  const { signal } = delivery;
  const at = deps.now();
  if (signal.kind === 'platform') {
    await deps.platform({
      id: signal.incidentId,
      title: signal.title,
      level: signal.level,
      state: signal.resolved ? 'resolved' : 'open',
      link: null,
      source: 'push',
      at: new Date(delivery.at ?? at),
    });
    return;
  }
  if (signal.kind === 'other' || !subscription.connection_id) return;
  const connectionId = subscription.connection_id;
  const advertiser = (await deps.connections.show(connectionId)).advertiser_list.find(
    (a) => a.advertiser_id === signal.advertiserId,
  );
  if (!advertiser) return;
  const subject = advertiserSubject(
    { id: advertiser.advertiser_id, name: advertiser.name },
    { connectionId, appId: subscription.app_id },
  );
  const observation = pushObservation(signal, subject, at);
  if (observation) await deps.incidents.observe(observation);
  // TikTok advises reading the account again: the sweep's check confirms and records the status.
  // Asked for, not awaited: the delivery is answered at once.
  if (signal.kind === 'account_status')
    deps
      .probeSoon(connectionId)
      .catch((error) =>
        deps.log.warn({ err: error, connection: connectionId }, 'could not ask for a check after a push'),
      );
}
