import type { Kysely } from 'kysely';
import { bindDeps } from '../../lib/bind-deps.ts';
import type { Database } from '../schema.ts';

/** Hourly spend per advertiser (the spend-anomaly baseline) and when it was last read. */
export function spendStore(db: Kysely<Database>) {
  return bindDeps(db, { lastRead, record, since, prune });
}

/** When the advertiser's reports were last read, and from when its history is held; null if never. */
async function lastRead(
  db: Kysely<Database>,
  advertiserId: string,
): Promise<{ readAt: Date; historyFrom: Date } | null> {
  const row = await db
    .selectFrom('spend_reads')
    .select(['read_at', 'history_from'])
    .where('advertiser_id', '=', advertiserId)
    .executeTakeFirst();
  return row ? { readAt: row.read_at, historyFrom: row.history_from } : null;
}

/**
 * Stores what a report read gave (later reads replace an hour: TikTok's numbers settle over hours) and
 * marks the advertiser read at `readAt`, its history held from `historyFrom` on.
 */
async function record(
  db: Kysely<Database>,
  advertiserId: string,
  hours: ReadonlyArray<{ hour: number; spend: number }>,
  readAt: Date,
  historyFrom: Date,
): Promise<void> {
  // The read is marked last: a read cut short is read again.
  for (let start = 0; start < hours.length; start += 500) {
    const batch = hours.slice(start, start + 500);
    await db
      .insertInto('spend_hours')
      .values(batch.map((h) => ({ advertiser_id: advertiserId, hour: new Date(h.hour), spend: h.spend })))
      .onConflict((c) =>
        c.columns(['advertiser_id', 'hour']).doUpdateSet((eb) => ({ spend: eb.ref('excluded.spend') })),
      )
      .execute();
  }
  await db
    .insertInto('spend_reads')
    .values({ advertiser_id: advertiserId, read_at: readAt, history_from: historyFrom })
    .onConflict((c) => c.column('advertiser_id').doUpdateSet({ read_at: readAt, history_from: historyFrom }))
    .execute();
}

/** The advertiser's hours from `from` on, oldest first. */
async function since(
  db: Kysely<Database>,
  advertiserId: string,
  from: Date,
): Promise<Array<{ hour: number; spend: number }>> {
  const rows = await db
    .selectFrom('spend_hours')
    .select(['hour', 'spend'])
    .where('advertiser_id', '=', advertiserId)
    .where('hour', '>=', from)
    .orderBy('hour')
    .execute();
  return rows.map((r) => ({ hour: r.hour.getTime(), spend: Number(r.spend) }));
}

/** Deletes hours before `before` (retention); returns how many. */
async function prune(db: Kysely<Database>, before: Date): Promise<number> {
  const result = await db.deleteFrom('spend_hours').where('hour', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
