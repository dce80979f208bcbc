import { type Kysely, sql } from 'kysely';
import { bindDeps } from '../../lib/bind-deps.ts';
import type { ClientRow, Database, InvitationRow } from '../schema.ts';

/** An agency's clients, the connections that belong to them, and their connect invitations. */
export function clientsStore(db: Kysely<Database>) {
  return bindDeps(db, {
    create,
    list,
    get,
    byName,
    assign,
    connectionIdsOf,
    addInvitation,
    invitation,
    invitations,
    revokeInvitation,
    useInvitation,
  });
}

async function create(
  db: Kysely<Database>,
  input: { id: string; name: string },
  now: Date,
): Promise<ClientRow> {
  return db
    .insertInto('clients')
    .values({ id: input.id, name: input.name, created_at: now })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Every client with how many connections it has, by name. */
async function list(db: Kysely<Database>): Promise<Array<ClientRow & { connections: number }>> {
  return db
    .selectFrom('clients as c')
    .selectAll('c')
    .select((eb) =>
      eb
        .selectFrom('connections')
        .select((inner) => inner.fn.countAll<number>().as('n'))
        .whereRef('connections.client_id', '=', 'c.id')
        .as('connections'),
    )
    .orderBy('c.name')
    .execute()
    .then((rows) => rows.map((r) => ({ ...r, connections: Number(r.connections ?? 0) })));
}

async function get(db: Kysely<Database>, id: string): Promise<ClientRow | undefined> {
  return db.selectFrom('clients').selectAll().where('id', '=', id).executeTakeFirst();
}

async function byName(db: Kysely<Database>, name: string): Promise<ClientRow | undefined> {
  return db.selectFrom('clients').selectAll().where('name', '=', name).executeTakeFirst();
}

/** Puts a connection under a client (or none), and sets its `client` routing label to match. */
async function assign(db: Kysely<Database>, connectionId: string, clientId: string | null): Promise<void> {
  const labels = clientId
    ? sql<string>`(labels - 'client') || jsonb_build_object('client', ${clientId}::text)`
    : sql<string>`labels - 'client'`;
  await db
    .updateTable('connections')
    .set({ client_id: clientId, labels: labels as never })
    .where('id', '=', connectionId)
    .execute();
}

/** The connections of these clients. */
async function connectionIdsOf(db: Kysely<Database>, clientIds: readonly string[]): Promise<string[]> {
  if (clientIds.length === 0) return [];
  const rows = await db.selectFrom('connections').select('id').where('client_id', 'in', clientIds).execute();
  return rows.map((r) => r.id);
}

async function addInvitation(
  db: Kysely<Database>,
  input: Omit<InvitationRow, 'revoked_at' | 'uses' | 'last_used_at'>,
): Promise<void> {
  await db.insertInto('invitations').values(input).execute();
}

/** An invitation by the hash of its token, or by id. */
async function invitation(
  db: Kysely<Database>,
  by: { tokenHash: string } | { id: string },
): Promise<InvitationRow | undefined> {
  const query = db.selectFrom('invitations').selectAll();
  return 'id' in by
    ? query.where('id', '=', by.id).executeTakeFirst()
    : query.where('token_hash', '=', by.tokenHash).executeTakeFirst();
}

/** Invitations, newest first (of one client when named). */
async function invitations(db: Kysely<Database>, clientId?: string): Promise<InvitationRow[]> {
  let query = db.selectFrom('invitations').selectAll();
  if (clientId) query = query.where('client_id', '=', clientId);
  return query.orderBy('created_at', 'desc').limit(200).execute();
}

/** Revokes an invitation; false when it was revoked already or does not exist. */
async function revokeInvitation(db: Kysely<Database>, id: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('invitations')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Counts a use (someone opened it and went on to TikTok's consent page). */
async function useInvitation(db: Kysely<Database>, id: string, now: Date): Promise<void> {
  await db
    .updateTable('invitations')
    .set((eb) => ({ uses: eb('uses', '+', 1), last_used_at: now }))
    .where('id', '=', id)
    .execute();
}
