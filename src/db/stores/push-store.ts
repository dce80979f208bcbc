import type { Kysely } from 'kysely';
import { bindDeps } from '../../lib/bind-deps.ts';
import type { Database, PlatformStatusRow, SubscriptionRow } from '../schema.ts';

/** A subscription adwarden made at TikTok. */
export interface NewSubscription {
  subscriptionId: string;
  appId: string;
  connectionId: string | null;
  entity: string;
  advertiserIds: string[];
}

/** A TikTok platform incident as the feed or a push tells it. */
export interface PlatformIncident {
  id: string;
  title: string;
  level: string;
  state: 'open' | 'resolved';
  link: string | null;
  source: 'feed' | 'push';
  at: Date;
}

/** TikTok's push signals: subscriptions made, deliveries taken in, and TikTok's own incidents. */
export function pushStore(db: Kysely<Database>) {
  return bindDeps(db, {
    addSubscription,
    subscriptions,
    subscription,
    removeSubscription,
    markChecked,
    takeReceipt,
    dropReceipt,
    pruneReceipts,
    recordPlatformIncident,
    platformIncidents,
  });
}

async function addSubscription(db: Kysely<Database>, s: NewSubscription, now: Date): Promise<void> {
  await db
    .insertInto('tiktok_subscriptions')
    .values({
      subscription_id: s.subscriptionId,
      app_id: s.appId,
      connection_id: s.connectionId,
      entity: s.entity,
      advertiser_ids: JSON.stringify(s.advertiserIds),
      created_at: now,
      checked_at: now,
    })
    .onConflict((c) => c.column('subscription_id').doNothing())
    .execute();
}

/** Subscriptions of a connection (`connectionId`), of an app (`appId`), or all. */
async function subscriptions(
  db: Kysely<Database>,
  filter: { connectionId?: string; appId?: string } = {},
): Promise<SubscriptionRow[]> {
  let query = db.selectFrom('tiktok_subscriptions').selectAll();
  if (filter.connectionId) query = query.where('connection_id', '=', filter.connectionId);
  if (filter.appId) query = query.where('app_id', '=', filter.appId);
  return query.orderBy('created_at').execute();
}

async function subscription(db: Kysely<Database>, id: string): Promise<SubscriptionRow | undefined> {
  return db
    .selectFrom('tiktok_subscriptions')
    .selectAll()
    .where('subscription_id', '=', id)
    .executeTakeFirst();
}

async function removeSubscription(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('tiktok_subscriptions').where('subscription_id', '=', id).execute();
}

async function markChecked(db: Kysely<Database>, ids: string[], at: Date): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('tiktok_subscriptions')
    .set({ checked_at: at })
    .where('subscription_id', 'in', ids)
    .execute();
}

/** Records a delivery; false when it was taken in before (a duplicate or a retry). */
async function takeReceipt(db: Kysely<Database>, key: string, at: Date): Promise<boolean> {
  const row = await db
    .insertInto('tiktok_receipts')
    .values({ key, received_at: at })
    .onConflict((c) => c.column('key').doNothing())
    .returning('key')
    .executeTakeFirst();
  return row !== undefined;
}

/** Forgets one receipt (a delivery that could not be applied: TikTok's retry will be). */
async function dropReceipt(db: Kysely<Database>, key: string): Promise<void> {
  await db.deleteFrom('tiktok_receipts').where('key', '=', key).execute();
}

/** Forgets receipts older than `before` (TikTok stops retrying after 72 hours). */
async function pruneReceipts(db: Kysely<Database>, before: Date): Promise<number> {
  const result = await db.deleteFrom('tiktok_receipts').where('received_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Records what the feed or a push says of a TikTok incident; returns the row as it now stands. */
async function recordPlatformIncident(db: Kysely<Database>, i: PlatformIncident): Promise<PlatformStatusRow> {
  const resolvedAt = i.state === 'resolved' ? i.at : null;
  return db
    .insertInto('platform_status')
    .values({
      id: i.id,
      title: i.title,
      level: i.level,
      state: i.state,
      link: i.link,
      source: i.source,
      started_at: i.at,
      updated_at: i.at,
      resolved_at: resolvedAt,
    })
    .onConflict((c) =>
      c.column('id').doUpdateSet({
        title: i.title,
        level: i.level,
        state: i.state,
        link: i.link,
        updated_at: i.at,
        resolved_at: resolvedAt,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** TikTok incidents: the open ones, or the latest `limit` of all. */
async function platformIncidents(
  db: Kysely<Database>,
  filter: { open?: boolean; limit?: number } = {},
): Promise<PlatformStatusRow[]> {
  let query = db.selectFrom('platform_status').selectAll();
  if (filter.open) query = query.where('state', '=', 'open');
  return query
    .orderBy('started_at', 'desc')
    .limit(filter.limit ?? 50)
    .execute();
}
