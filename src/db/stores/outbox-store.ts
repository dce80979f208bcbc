import { type Kysely, sql } from 'kysely';
import { bindDeps } from '../../lib/bind-deps.ts';
import type { Database, OutboxRow } from '../schema.ts';
import { json, newId } from './ids.ts';

/** A notification to queue. */
export interface NewNotification {
  idempotencyKey: string;
  channelId: string;
  incidentId: string | null;
  event: string;
  recipient?: string | null;
  payload: Record<string, unknown>;
  /** Seals the re-auth link sent with it, bound to the new row's id (kept out of the payload). */
  sealReauthLink?: (rowId: string) => string;
  held?: boolean;
}

/** The outbox: notifications written with the change they report, delivered by jobs. */

export function outboxStore(db: Kysely<Database>) {
  return {
    ...bindDeps(db, {
      oldestPending,
      add,
      claim,
      renewClaim,
      delivered,
      sealLink,
      failed,
      due,
      sentSince,
      list,
      takeHeld,
    }),
    /** Rows written before re-auth links were sealed, whose payload still carries one (up to `limit`). */
    async plainLinks(limit = 500): Promise<Array<{ id: string; payload: Record<string, unknown> }>> {
      return db
        .selectFrom('outbox')
        .select(['id', 'payload'])
        .where(sql<boolean>`payload->'reauth_link'->>'url' is not null`)
        .limit(limit)
        .execute();
    },
  };
}

/** Queues notifications; a key already queued is skipped. Returns the ids actually queued. */
async function add(db: Kysely<Database>, items: NewNotification[], now: Date): Promise<string[]> {
  if (items.length === 0) return [];
  const rows = await db
    .insertInto('outbox')
    .values(
      items.map((n) => {
        const id = newId('ntf');
        return {
          id,
          idempotency_key: n.idempotencyKey,
          channel_id: n.channelId,
          incident_id: n.incidentId,
          event: n.event,
          recipient: n.recipient ?? null,
          payload: json(n.payload),
          reauth_sealed: n.sealReauthLink?.(id) ?? null,
          status: n.held ? ('held' as const) : ('pending' as const),
          created_at: now,
          next_attempt_at: now,
        };
      }),
    )
    .onConflict((c) => c.column('idempotency_key').doNothing())
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Claims a pending notification for one delivery attempt until `until`. Null when it is already
 * delivered, given up, or claimed by another worker: that worker sends it, this one does not.
 */
async function claim(db: Kysely<Database>, id: string, now: Date, until: Date): Promise<OutboxRow | null> {
  const row = await db
    .updateTable('outbox')
    .set({ claimed_until: until, attempts: sql<number>`attempts + 1` as never })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    // A claim running past `until` was taken before the clock jumped back.
    .where((eb) =>
      eb.or([
        eb('claimed_until', 'is', null),
        eb('claimed_until', '<', now),
        eb('claimed_until', '>', until),
      ]),
    )
    .returningAll()
    .executeTakeFirst();
  return row ?? null;
}

/** Extends a claim this caller still holds (it ends at `held`) to `until`; false when it lost it. */
async function renewClaim(db: Kysely<Database>, id: string, held: Date, until: Date): Promise<boolean> {
  const result = await db
    .updateTable('outbox')
    .set({ claimed_until: until })
    .where('id', '=', id)
    .where('claimed_until', '=', held)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

async function delivered(db: Kysely<Database>, id: string, now: Date): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ status: 'delivered', delivered_at: now, claimed_until: null, last_error: null })
    .where('id', '=', id)
    .execute();
}

/** Moves a row's re-auth link out of its payload into the sealed column. */
async function sealLink(
  db: Kysely<Database>,
  id: string,
  payload: Record<string, unknown>,
  sealed: string,
): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ payload: json(payload), reauth_sealed: sealed })
    .where('id', '=', id)
    .execute();
}

/** Records a failed attempt: retried at `retryAt`, or given up when null. */
async function failed(db: Kysely<Database>, id: string, error: string, retryAt: Date | null): Promise<void> {
  await db
    .updateTable('outbox')
    .set({
      status: retryAt ? 'pending' : 'failed',
      next_attempt_at: retryAt ?? (sql<Date>`next_attempt_at` as never),
      claimed_until: null,
      last_error: error.slice(0, 500),
    })
    .where('id', '=', id)
    .execute();
}

/**
 * Pending notifications due now (for the sweeper that re-queues what a crash left behind). Times
 * further ahead than `horizonMs` were set by a clock that has since jumped back: due too.
 */
async function due(db: Kysely<Database>, now: Date, horizonMs: number, limit = 500): Promise<OutboxRow[]> {
  const horizon = new Date(now.getTime() + horizonMs);
  return db
    .selectFrom('outbox')
    .selectAll()
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('next_attempt_at', '<=', now), eb('next_attempt_at', '>', horizon)]))
    .where((eb) =>
      eb.or([
        eb('claimed_until', 'is', null),
        eb('claimed_until', '<', now),
        eb('claimed_until', '>', horizon),
      ]),
    )
    .orderBy('created_at')
    .limit(limit)
    .execute();
}

/**
 * How many notifications a channel delivered since `since`, or has queued to send, for rate caps
 * (a burst queued before any delivery counts too). Digests do not count.
 */
async function sentSince(db: Kysely<Database>, channelId: string, since: Date): Promise<number> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('channel_id', '=', channelId)
    .where('event', '<>', 'digest')
    .where((eb) =>
      eb.or([
        // Rows sent inside a digest carry a note in last_error; they were not sent one by one.
        eb.and([
          eb('status', '=', 'delivered'),
          eb('delivered_at', '>=', since),
          eb('last_error', 'is', null),
        ]),
        eb.and([eb('status', '=', 'pending'), eb('created_at', '>=', since)]),
      ]),
    )
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function list(
  db: Kysely<Database>,
  filter: { incidentId?: string; status?: OutboxRow['status'] } = {},
): Promise<OutboxRow[]> {
  let query = db.selectFrom('outbox').selectAll();
  if (filter.incidentId) query = query.where('incident_id', '=', filter.incidentId);
  if (filter.status) query = query.where('status', '=', filter.status);
  return query.orderBy('created_at').orderBy('id').execute();
}

/** Held notifications (over a channel's rate cap), for the digest; marks them delivered in it. */
async function takeHeld(db: Kysely<Database>, channelId: string, now: Date): Promise<OutboxRow[]> {
  return db
    .updateTable('outbox')
    .set({ status: 'delivered', delivered_at: now, last_error: 'sent in a digest' })
    .where('channel_id', '=', channelId)
    .where('status', '=', 'held')
    .returningAll()
    .execute();
}

export type OutboxStore = ReturnType<typeof outboxStore>;

/** When the oldest notification still waiting for delivery was queued (null when none waits). */
async function oldestPending(db: Kysely<Database>): Promise<Date | null> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.min('created_at').as('oldest'))
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return row?.oldest ? new Date(row.oldest as Date) : null;
}
