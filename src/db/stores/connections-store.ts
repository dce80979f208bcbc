import { type Kysely, sql } from 'kysely';
import { bindDeps } from '../../lib/bind-deps.ts';
import type {
  AdvertiserRow,
  ConnectionRow,
  ConnectionStatus,
  ConnectionTokensTable,
  Database,
  EventRow,
  Regime,
  TokenRow,
} from '../schema.ts';
import { json } from './ids.ts';

/** An advertiser as a grant or `/advertiser/info/` describes it. */
export interface AdvertiserFacts {
  advertiserId: string;
  name: string;
  status?: string | null;
  currency?: string | null;
  timezone?: string | null;
  bcId?: string | null;
}

/** A connection as listed: the row plus what people ask about first. */
export interface ConnectionSummary extends ConnectionRow {
  advertiser_count: number;
  access_expires_at: Date | null;
  refresh_expires_at: Date | null;
  token_issued_at: Date | null;
  /** The first granted advertiser's name (by id), what people know the connection by. */
  first_advertiser: string | null;
}

/** Connections, their tokens (sealed), advertisers, checks and history. Pass a transaction to group writes. */
/** Advertiser rows as granted now, for the upserts of sync and account facts. */
const advertiserRows = (connectionId: string, advertisers: readonly AdvertiserFacts[], now: Date) =>
  advertisers.map((a) => ({
    connection_id: connectionId,
    advertiser_id: a.advertiserId,
    name: a.name,
    status: a.status ?? null,
    currency: a.currency ?? null,
    timezone: a.timezone ?? null,
    bc_id: a.bcId ?? null,
    granted: true,
    removed_at: null,
    updated_at: now,
  }));

export function connectionsStore(db: Kysely<Database>) {
  return {
    ...bindDeps(db, {
      countByStatus,
      insert,
      get,
      list,
      update,
      activeToken,
      tokens,
      replaceToken,
      takeRefreshLease,
      releaseRefreshLease,
      advertisers,
      syncAdvertisers,
      updateAdvertiserFacts,
      recordCheck,
      addEvent,
      history,
    }),
  };
}

async function insert(
  db: Kysely<Database>,
  input: {
    id: string;
    appId: string;
    regime: Regime;
    status: ConnectionStatus;
    scopes: Array<number | string>;
    ownerContact: string | null;
    openId: string | null;
    clientId?: string | null;
    now: Date;
  },
): Promise<void> {
  await db
    .insertInto('connections')
    .values({
      id: input.id,
      app_id: input.appId,
      regime: input.regime,
      status: input.status,
      status_reason: null,
      scopes: json(input.scopes),
      owner_contact: input.ownerContact,
      // The client is also a routing label: a channel with labels {client: id} hears only that client.
      labels: json(input.clientId ? { client: input.clientId } : {}),
      open_id: input.openId,
      client_id: input.clientId ?? null,
      created_at: input.now,
      updated_at: input.now,
      last_check_at: null,
      last_ok_at: null,
      refresh_lease_until: null,
    })
    .execute();
}

async function get(db: Kysely<Database>, id: string): Promise<ConnectionRow | undefined> {
  return db.selectFrom('connections').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Every connection's summary, or just one with `id`. */
async function list(db: Kysely<Database>, id?: string): Promise<ConnectionSummary[]> {
  let query = db
    .selectFrom('connections as c')
    .leftJoin('connection_tokens as t', (join) =>
      join.onRef('t.connection_id', '=', 'c.id').on('t.status', '=', 'active'),
    )
    .selectAll('c')
    .select([
      't.access_expires_at',
      't.refresh_expires_at',
      't.issued_at as token_issued_at',
      sql<number>`(select count(*)::int from advertisers a where a.connection_id = c.id and a.granted)`.as(
        'advertiser_count',
      ),
      sql<
        string | null
      >`(select a.name from advertisers a where a.connection_id = c.id and a.granted order by a.advertiser_id limit 1)`.as(
        'first_advertiser',
      ),
    ])
    .orderBy('c.created_at')
    .orderBy('c.id');
  if (id !== undefined) query = query.where('c.id', '=', id);
  return query.execute();
}

async function update(
  db: Kysely<Database>,
  id: string,
  changes: Partial<
    Pick<ConnectionRow, 'status' | 'status_reason' | 'scopes' | 'last_check_at' | 'last_ok_at' | 'open_id'>
  >,
  now: Date,
): Promise<void> {
  const { scopes, ...rest } = changes;
  await db
    .updateTable('connections')
    .set({ ...rest, ...(scopes ? { scopes: json(scopes) } : {}), updated_at: now })
    .where('id', '=', id)
    .execute();
}

/** The connection's active token; `forUpdate` locks it until the transaction ends. */
async function activeToken(
  db: Kysely<Database>,
  connectionId: string,
  options: { forUpdate?: boolean } = {},
): Promise<TokenRow | undefined> {
  const query = db
    .selectFrom('connection_tokens')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .where('status', '=', 'active');
  return (options.forUpdate ? query.forUpdate() : query).executeTakeFirst();
}

async function tokens(db: Kysely<Database>, connectionId: string): Promise<TokenRow[]> {
  return db
    .selectFrom('connection_tokens')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .orderBy('issued_at')
    .execute();
}

/** Ends the active token (revoked or superseded; kept for audit) and, when given, stores the next one. */
async function replaceToken(
  db: Kysely<Database>,
  connectionId: string,
  end: { status: 'revoked' | 'superseded'; reason: string; now: Date },
  next?: ConnectionTokensTable,
): Promise<void> {
  await db
    .updateTable('connection_tokens')
    .set({ status: end.status, ended_at: end.now, end_reason: end.reason })
    .where('connection_id', '=', connectionId)
    .where('status', '=', 'active')
    .execute();
  if (next) await db.insertInto('connection_tokens').values(next).execute();
}

/** Takes the refresh lease unless someone else holds an unexpired one. */
async function takeRefreshLease(
  db: Kysely<Database>,
  connectionId: string,
  now: Date,
  until: Date,
): Promise<boolean> {
  const taken = await db
    .updateTable('connections')
    .set({ refresh_lease_until: until })
    .where('id', '=', connectionId)
    // A lease running past `until` was taken before the clock jumped back.
    .where((eb) =>
      eb.or([
        eb('refresh_lease_until', 'is', null),
        eb('refresh_lease_until', '<=', now),
        eb('refresh_lease_until', '>', until),
      ]),
    )
    .executeTakeFirst();
  return taken.numUpdatedRows === 1n;
}

async function releaseRefreshLease(db: Kysely<Database>, connectionId: string): Promise<void> {
  await db
    .updateTable('connections')
    .set({ refresh_lease_until: null })
    .where('id', '=', connectionId)
    .execute();
}

async function advertisers(db: Kysely<Database>, connectionId: string): Promise<AdvertiserRow[]> {
  return db
    .selectFrom('advertisers')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .orderBy('advertiser_id')
    .execute();
}

/**
 * Makes the stored advertisers match a grant: new and still-granted ones upserted, ones that
 * dropped out marked not granted (kept, with when). Returns the ids that dropped out.
 */
async function syncAdvertisers(
  db: Kysely<Database>,
  connectionId: string,
  granted: readonly AdvertiserFacts[],
  now: Date,
): Promise<string[]> {
  const before = await advertisers(db, connectionId);
  if (granted.length > 0) {
    await db
      .insertInto('advertisers')
      .values(advertiserRows(connectionId, granted, now))
      .onConflict((oc) =>
        oc.columns(['connection_id', 'advertiser_id']).doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          granted: true,
          removed_at: null,
          updated_at: now,
        })),
      )
      .execute();
  }
  const keep = new Set(granted.map((a) => a.advertiserId));
  const dropped = before.filter((a) => a.granted && !keep.has(a.advertiser_id)).map((a) => a.advertiser_id);
  if (dropped.length > 0) {
    await db
      .updateTable('advertisers')
      .set({ granted: false, removed_at: now, updated_at: now })
      .where('connection_id', '=', connectionId)
      .where('advertiser_id', 'in', dropped)
      .execute();
  }
  return dropped;
}

/** Stores account facts from `/advertiser/info/`. */
async function updateAdvertiserFacts(
  db: Kysely<Database>,
  connectionId: string,
  facts: readonly AdvertiserFacts[],
  now: Date,
): Promise<void> {
  if (facts.length === 0) return;
  // One statement per batch (a sweep writes every advertiser's facts): the rows exist already.
  await db
    .insertInto('advertisers')
    .values(advertiserRows(connectionId, facts, now))
    .onConflict((oc) =>
      oc.columns(['connection_id', 'advertiser_id']).doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'),
        status: eb.ref('excluded.status'),
        currency: eb.ref('excluded.currency'),
        timezone: eb.ref('excluded.timezone'),
        bc_id: eb.ref('excluded.bc_id'),
        updated_at: now,
      })),
    )
    .execute();
}

async function recordCheck(
  db: Kysely<Database>,
  check: {
    connectionId: string;
    at: Date;
    outcome: string;
    code: number | null;
    kind: string | null;
    detail: Record<string, unknown>;
    apiCalls: number;
  },
): Promise<void> {
  await db
    .insertInto('checks')
    .values({
      connection_id: check.connectionId,
      at: check.at,
      outcome: check.outcome,
      code: check.code,
      kind: check.kind,
      detail: json(check.detail),
      api_calls: check.apiCalls,
    })
    .execute();
}

async function addEvent(
  db: Kysely<Database>,
  connectionId: string,
  type: string,
  detail: Record<string, unknown>,
  at: Date,
): Promise<void> {
  await db
    .insertInto('connection_events')
    .values({ connection_id: connectionId, type, detail: json(detail), at })
    .execute();
}

async function history(db: Kysely<Database>, connectionId: string): Promise<EventRow[]> {
  return db
    .selectFrom('connection_events')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .orderBy('id')
    .execute();
}

export type ConnectionsStore = ReturnType<typeof connectionsStore>;

/** How many connections are in each status (metrics). */
async function countByStatus(db: Kysely<Database>): Promise<Array<{ status: string; n: number }>> {
  const rows = await db
    .selectFrom('connections')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  return rows.map((r) => ({ status: r.status, n: Number(r.n) }));
}
