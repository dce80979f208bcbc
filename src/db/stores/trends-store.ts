import { type Kysely, sql } from 'kysely';
import { bindDeps } from '../../lib/bind-deps.ts';
import type { Database } from '../schema.ts';

const day = (column: string) =>
  sql<string>`to_char(date_trunc('day', ${sql.ref(column)} at time zone 'UTC'), 'YYYY-MM-DD')`;

/** Day-by-day counts for the overview's charts (UTC days), optionally for some connections only. */
export function trendsStore(db: Kysely<Database>) {
  return bindDeps(db, { checksByDay, incidentsByDay, spendByDay, advertiserNames });
}

/** Checks per day: how many answered healthy, and how many did not. */
async function checksByDay(db: Kysely<Database>, since: Date, connectionIds: readonly string[] | null) {
  if (connectionIds?.length === 0) return [];
  let query = db
    .selectFrom('checks')
    .select([
      day('checks.at').as('day'),
      sql<number>`count(*) filter (where outcome = 'valid')::int`.as('ok'),
      sql<number>`count(*) filter (where outcome <> 'valid')::int`.as('failed'),
    ])
    .where('at', '>=', since);
  if (connectionIds) query = query.where('connection_id', 'in', [...connectionIds]);
  return query.groupBy(sql`1`).orderBy(sql`1`).execute();
}

/** Incidents opened and resolved per day. */
async function incidentsByDay(db: Kysely<Database>, since: Date, connectionIds: readonly string[] | null) {
  const filter = (column: 'opened_at' | 'resolved_at') => {
    let query = db
      .selectFrom('incidents')
      .select([day(`incidents.${column}`).as('day'), sql<number>`count(*)::int`.as('n')])
      .where(column, '>=', since);
    if (connectionIds)
      query = query.where((eb) =>
        connectionIds.length > 0
          ? eb.or([eb('connection_id', 'is', null), eb('connection_id', 'in', [...connectionIds])])
          : eb('connection_id', 'is', null),
      );
    return query.groupBy(sql`1`).execute();
  };
  const [opened, resolved] = await Promise.all([filter('opened_at'), filter('resolved_at')]);
  return { opened, resolved };
}

/** Spend per advertiser per day, the advertisers that spent most first. */
async function spendByDay(db: Kysely<Database>, since: Date, advertiserIds: readonly string[] | null) {
  if (advertiserIds?.length === 0) return [];
  let query = db
    .selectFrom('spend_hours')
    .select(['advertiser_id', day('spend_hours.hour').as('day'), sql<number>`sum(spend)::float8`.as('spend')])
    .where('hour', '>=', since);
  if (advertiserIds) query = query.where('advertiser_id', 'in', [...advertiserIds]);
  return query.groupBy(['advertiser_id', sql`2`]).orderBy('advertiser_id').orderBy(sql`2`).execute();
}

/** Names of advertisers by id (as their connections last read them). */
async function advertiserNames(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('advertisers')
    .select(['advertiser_id', 'name'])
    .where('advertiser_id', 'in', [...ids])
    .execute();
  return new Map(rows.map((r) => [r.advertiser_id, r.name]));
}
