import { type Kysely, sql } from 'kysely';
import type { Incident, Subject, TimelineEntry } from '../../incidents/index.ts';
import { bindDeps } from '../../lib/bind-deps.ts';
import type { Database, IncidentEventRow, IncidentRow } from '../schema.ts';
import { json } from './ids.ts';

const date = (ms: number | null) => (ms === null ? null : new Date(ms));
const ms = (value: Date | null) => (value === null ? null : value.getTime());

/** The state machine's view of a stored incident. */
export function toIncident(row: IncidentRow): Incident {
  return {
    id: row.id,
    fingerprint: row.fingerprint,
    problem: row.problem as Incident['problem'],
    subject: row.subject as unknown as Subject,
    detail: row.detail,
    severity: row.severity,
    state: row.state,
    summary: row.summary,
    fix: row.fix,
    facts: row.facts,
    openedAt: row.opened_at.getTime(),
    updatedAt: row.updated_at.getTime(),
    resolvedAt: ms(row.resolved_at),
    lastFailingAt: row.last_failing_at.getTime(),
    recoveringSince: ms(row.recovering_since),
    occurrences: row.occurrences,
    mutedUntil: ms(row.muted_until),
    reopenCount: row.reopen_count,
  };
}

const columns = (i: Incident) => ({
  problem: i.problem,
  subject: json(i.subject),
  detail: i.detail,
  connection_id: i.subject.connectionId ?? null,
  app_id: i.subject.appId ?? null,
  advertiser_id: i.subject.advertiserId ?? null,
  severity: i.severity,
  state: i.state,
  summary: i.summary,
  fix: json(i.fix),
  facts: json(i.facts),
  opened_at: new Date(i.openedAt),
  updated_at: new Date(i.updatedAt),
  resolved_at: date(i.resolvedAt),
  last_failing_at: new Date(i.lastFailingAt),
  recovering_since: date(i.recoveringSince),
  occurrences: i.occurrences,
  muted_until: date(i.mutedUntil),
  reopen_count: i.reopenCount,
});

/** Filters for listing incidents. */
export interface IncidentFilter {
  states?: Array<Incident['state']>;
  problem?: string;
  connectionId?: string;
  /** Only incidents of these connections (and, unless `attachedOnly`, those of no connection: apps, the platform). */
  connectionIds?: readonly string[];
  attachedOnly?: boolean;
  /** Words in the summary or the subject's name (case-insensitive). */
  q?: string;
  severity?: Incident['severity'];
  since?: Date;
  limit?: number;
  offset?: number;
}

/** Incidents and their timelines. */

export function incidentsStore(db: Kysely<Database>) {
  return {
    ...bindDeps(db, {
      countByState,
      lockByFingerprint,
      lockById,
      get,
      insert,
      update,
      addTimeline,
      addAction,
      list,
      count,
      active,
      activeFingerprints,
      settling,
      timeline,
    }),
  };
}

/** The incident with this fingerprint, locked for the rest of the transaction. */
async function lockByFingerprint(
  db: Kysely<Database>,
  fingerprint: string,
): Promise<IncidentRow | undefined> {
  return db
    .selectFrom('incidents')
    .selectAll()
    .where('fingerprint', '=', fingerprint)
    .forUpdate()
    .executeTakeFirst();
}

async function lockById(db: Kysely<Database>, id: string): Promise<IncidentRow | undefined> {
  return db.selectFrom('incidents').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

async function get(db: Kysely<Database>, id: string): Promise<IncidentRow | undefined> {
  return db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Inserts a new incident; false when another process inserted the same fingerprint first. */
async function insert(db: Kysely<Database>, incident: Incident): Promise<boolean> {
  const result = await db
    .insertInto('incidents')
    .values({ id: incident.id, fingerprint: incident.fingerprint, ...columns(incident) })
    .onConflict((c) => c.column('fingerprint').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

async function update(db: Kysely<Database>, incident: Incident): Promise<void> {
  await db.updateTable('incidents').set(columns(incident)).where('id', '=', incident.id).execute();
}

async function addTimeline(
  db: Kysely<Database>,
  incidentId: string,
  entries: TimelineEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insertInto('incident_events')
    .values(
      entries.map((e) => ({
        incident_id: incidentId,
        at: new Date(e.at),
        kind: e.kind,
        text: e.text,
        data: json(e.data ?? {}),
      })),
    )
    .execute();
}

/** Records something adwarden did by itself, on the incident and its timeline. */
async function addAction(
  db: Kysely<Database>,
  incidentId: string,
  action: { at: Date; type: string; text: string },
): Promise<void> {
  const entry = { at: action.at.toISOString(), type: action.type, text: action.text };
  await db
    .updateTable('incidents')
    .set({ actions: sql<string>`actions || ${json([entry])}::jsonb` as never })
    .where('id', '=', incidentId)
    .execute();
  await db
    .insertInto('incident_events')
    .values({
      incident_id: incidentId,
      at: action.at,
      kind: 'action',
      text: action.text,
      data: json({ type: action.type }),
    })
    .execute();
}

/** Incidents matching `filter`, newest first: `limit` of them (500 at most) from `offset`. */
async function list(db: Kysely<Database>, filter: IncidentFilter = {}): Promise<IncidentRow[]> {
  return filtered(db, filter)
    .selectAll()
    .orderBy('opened_at', 'desc')
    .orderBy('id')
    .limit(Math.min(filter.limit ?? 500, 500))
    .offset(filter.offset ?? 0)
    .execute();
}

/** How many incidents match `filter` (for pages of a list). */
async function count(db: Kysely<Database>, filter: IncidentFilter = {}): Promise<number> {
  const row = await filtered(db, filter)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

function filtered(db: Kysely<Database>, filter: IncidentFilter) {
  let query = db.selectFrom('incidents');
  if (filter.states?.length) query = query.where('state', 'in', filter.states);
  if (filter.problem) query = query.where('problem', '=', filter.problem);
  if (filter.severity) query = query.where('severity', '=', filter.severity);
  if (filter.connectionId) query = query.where('connection_id', '=', filter.connectionId);
  if (filter.connectionIds) {
    const ids = [...filter.connectionIds];
    const attached = ids.length > 0 ? ids : ['(none)'];
    query = query.where((eb) =>
      filter.attachedOnly
        ? eb('connection_id', 'in', attached)
        : eb.or([eb('connection_id', 'is', null), eb('connection_id', 'in', attached)]),
    );
  }
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([eb('summary', 'ilike', like), eb(sql<string>`subject->>'label'`, 'ilike', like)]),
    );
  }
  if (filter.since) query = query.where('opened_at', '>=', filter.since);
  return query;
}

/** Open (not resolved) incidents of a problem, e.g. to resolve what a listing no longer shows. */
async function active(
  db: Kysely<Database>,
  problem: string,
  where: { connectionId?: string; advertiserId?: string } = {},
) {
  let query = db
    .selectFrom('incidents')
    .selectAll()
    .where('problem', '=', problem)
    .where('state', '<>', 'resolved');
  if (where.connectionId) query = query.where('connection_id', '=', where.connectionId);
  if (where.advertiserId) query = query.where('advertiser_id', '=', where.advertiserId);
  return query.execute();
}

/** Fingerprints of unresolved incidents about a connection, its app, or the platform. */
async function activeFingerprints(
  db: Kysely<Database>,
  connectionId: string,
  appId: string,
): Promise<Set<string>> {
  const rows = await db
    .selectFrom('incidents')
    .select('fingerprint')
    .where('state', '<>', 'resolved')
    .where((eb) =>
      eb.or([
        eb('connection_id', '=', connectionId),
        eb.and([eb('app_id', '=', appId), eb('connection_id', 'is', null)]),
        eb('problem', '=', 'outage'),
      ]),
    )
    .execute();
  return new Set(rows.map((r) => r.fingerprint));
}

/** Incidents waiting out a quiet period or a mute, for the periodic tick. */
async function settling(db: Kysely<Database>): Promise<IncidentRow[]> {
  return db
    .selectFrom('incidents')
    .selectAll()
    .where((eb) => eb.or([eb('recovering_since', 'is not', null), eb('muted_until', 'is not', null)]))
    .where('state', '<>', 'resolved')
    .execute();
}

async function timeline(db: Kysely<Database>, incidentId: string): Promise<IncidentEventRow[]> {
  return db
    .selectFrom('incident_events')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('id')
    .execute();
}

export type IncidentsStore = ReturnType<typeof incidentsStore>;

/** How many incidents are in each state and severity (metrics). */
async function countByState(
  db: Kysely<Database>,
): Promise<Array<{ state: string; severity: string; n: number }>> {
  const rows = await db
    .selectFrom('incidents')
    .select(['state', 'severity', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['state', 'severity'])
    .execute();
  return rows.map((r) => ({ state: r.state, severity: r.severity, n: Number(r.n) }));
}
