import { type Kysely, sql } from 'kysely';
import { bindDeps } from '../../lib/bind-deps.ts';
import type { Database } from '../schema.ts';

/** What the monitor reads and writes beside the connection rows: schedules, check history, marks. */

export function monitorStore(db: Kysely<Database>) {
  return {
    ...bindDeps(db, {
      sweepCandidates,
      scheduleCheck,
      requestCheck,
      claimProbe,
      renewProbe,
      releaseProbe,
      scheduleWatch,
      claimSchedule,
      recentChecks,
      checksOf,
      pruneChecks,
      expiries,
      unannouncedReauth,
      advertiserNames,
    }),
    db,
    /** Checks and the TikTok calls they made since `since`. */
    async checkTotals(since: Date): Promise<{ checks: number; calls: number }> {
      const row = await db
        .selectFrom('checks')
        .select((eb) => [
          eb.fn.countAll<number>().as('checks'),
          eb.fn.coalesce(eb.fn.sum<number>('api_calls'), eb.lit(0)).as('calls'),
        ])
        .where('at', '>=', since)
        .executeTakeFirstOrThrow();
      return { checks: Number(row.checks), calls: Number(row.calls) };
    },
  };
}

async function sweepCandidates(db: Kysely<Database>) {
  return db
    .selectFrom('connections')
    .select(['id', 'status', 'next_check_at', 'check_failures', 'app_id', 'regime', 'next_watch_at'])
    .execute();
}

/** Sets when a connection is checked next; `failures` counts transient failures in a row. */
async function scheduleCheck(
  db: Kysely<Database>,
  id: string,
  at: Date | null,
  failures?: number,
): Promise<void> {
  await db
    .updateTable('connections')
    .set({ next_check_at: at, ...(failures === undefined ? {} : { check_failures: failures }) })
    .where('id', '=', id)
    .execute();
}

/**
 * Asks for a check now: the connection is due, and a probe running meanwhile (which may have read
 * TikTok before what prompted the request) leaves it due when it ends (see `releaseProbe`).
 */
async function requestCheck(db: Kysely<Database>, id: string, now: Date): Promise<void> {
  await db
    .updateTable('connections')
    .set({ next_check_at: now, check_requested_at: now })
    .where('id', '=', id)
    .execute();
}

/**
 * Takes the connection's probe lease until `until`; false while another worker holds it. A lease
 * running past `until` was taken before the clock jumped back, and is taken over. Taking it answers
 * every check asked for until now: the probe reads TikTok after them.
 */
async function claimProbe(db: Kysely<Database>, id: string, now: Date, until: Date): Promise<boolean> {
  const result = await db
    .updateTable('connections')
    .set({ probe_lease_until: until, check_requested_at: null })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([
        eb('probe_lease_until', 'is', null),
        eb('probe_lease_until', '<=', now),
        eb('probe_lease_until', '>', until),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Extends a probe lease this caller still holds (it ends at `held`) to `until`; false when it lost it. */
async function renewProbe(db: Kysely<Database>, id: string, held: Date, until: Date): Promise<boolean> {
  const result = await db
    .updateTable('connections')
    .set({ probe_lease_until: until })
    .where('id', '=', id)
    .where('probe_lease_until', '=', held)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Frees the probe lease. A check asked for while the probe ran is answered by leaving the
 * connection due at `now` (unless the probe found it dead: no next check). Returns the next check.
 */
async function releaseProbe(db: Kysely<Database>, id: string, now: Date): Promise<Date | null> {
  const row = await db
    .updateTable('connections')
    .set({
      probe_lease_until: null,
      check_requested_at: null,
      // Both columns as they were before this update.
      next_check_at: sql<Date | null>`case when check_requested_at is not null and next_check_at is not null then ${now} else next_check_at end`,
    })
    .where('id', '=', id)
    .returning('next_check_at')
    .executeTakeFirst();
  return row?.next_check_at ?? null;
}

async function scheduleWatch(db: Kysely<Database>, id: string, at: Date | null): Promise<void> {
  await db.updateTable('connections').set({ next_watch_at: at }).where('id', '=', id).execute();
}

/**
 * Claims a schedule for this run when it is due (`every` ms since its last run, on the monitor's
 * clock). True for exactly one caller per period, however many workers ask at once.
 */
async function claimSchedule(
  db: Kysely<Database>,
  name: string,
  now: Date,
  everyMs: number,
): Promise<boolean> {
  await db
    .insertInto('schedule_marks')
    .values({ name, last_run_at: new Date(0) })
    .onConflict((c) => c.column('name').doNothing())
    .execute();
  const claimed = await db
    .updateTable('schedule_marks')
    .set({ last_run_at: now })
    .where('name', '=', name)
    .where((eb) =>
      eb.or([eb('last_run_at', '<=', new Date(now.getTime() - everyMs)), eb('last_run_at', '>', now)]),
    )
    .executeTakeFirst();
  return Number(claimed.numUpdatedRows) === 1;
}

/** Checks since `since`, newest last, with each connection's app (outage correlation). */
async function recentChecks(db: Kysely<Database>, since: Date) {
  return db
    .selectFrom('checks')
    .innerJoin('connections', 'connections.id', 'checks.connection_id')
    .select(['checks.connection_id', 'connections.app_id', 'checks.at', 'checks.outcome', 'checks.kind'])
    .where('checks.at', '>=', since)
    .orderBy('checks.at')
    .execute();
}

/** One connection's checks since `since`, oldest first (the health chart). */
async function checksOf(db: Kysely<Database>, connectionId: string, since: Date) {
  return db
    .selectFrom('checks')
    .select(['at', 'outcome'])
    .where('connection_id', '=', connectionId)
    .where('at', '>=', since)
    .orderBy('at')
    .execute();
}

/** Deletes check history older than `before` (retention). */
async function pruneChecks(db: Kysely<Database>, before: Date): Promise<number> {
  const result = await db.deleteFrom('checks').where('at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Every connection's active token expiries (the expiry job). */
async function expiries(db: Kysely<Database>) {
  return db
    .selectFrom('connections')
    .innerJoin('connection_tokens', (join) =>
      join
        .onRef('connection_tokens.connection_id', '=', 'connections.id')
        .on('connection_tokens.status', '=', 'active'),
    )
    .select([
      'connections.id',
      'connections.regime',
      'connections.status',
      'connection_tokens.issued_at',
      'connection_tokens.access_expires_at',
      'connection_tokens.refresh_expires_at',
    ])
    .execute();
}

/**
 * Connections marked as needing re-auth with no auth or environment incident seen since the mark:
 * a worker that died between the two writes left them so. Marks newer than `before` are left to the
 * worker writing them. Each with its latest mark.
 */
async function unannouncedReauth(db: Kysely<Database>, before: Date) {
  return db
    .selectFrom('connections')
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('connection_events')
          .select(['connection_events.at', 'connection_events.detail'])
          .whereRef('connection_events.connection_id', '=', 'connections.id')
          .where('connection_events.type', '=', 'needs_reauth')
          .orderBy('connection_events.id', 'desc')
          .limit(1)
          .as('mark'),
      (join) => join.onTrue(),
    )
    .select(['connections.id', 'connections.app_id', 'connections.status_reason', 'mark.at', 'mark.detail'])
    .where('connections.status', '=', 'needs_reauth')
    .where('mark.at', '<', before)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('incidents')
            .select('incidents.id')
            .whereRef('incidents.connection_id', '=', 'connections.id')
            .where('incidents.problem', 'in', ['auth', 'environment'])
            .whereRef('incidents.last_failing_at', '>=', 'mark.at'),
        ),
      ),
    )
    .execute();
}

/** Advertiser names per connection, for labels. */
async function advertiserNames(db: Kysely<Database>, connectionId: string) {
  return db
    .selectFrom('advertisers')
    .select(['advertiser_id', 'name', 'granted'])
    .where('connection_id', '=', connectionId)
    .orderBy('advertiser_id')
    .execute();
}

export type MonitorStore = ReturnType<typeof monitorStore>;
