import type { Kysely } from 'kysely';
import { bindDeps } from '../../lib/bind-deps.ts';
import type { Database, UserRow } from '../schema.ts';
import { newId } from './ids.ts';

/** Dashboard users, their sessions and one-time sign-in links. Only hashes of secrets are stored. */

export function usersStore(db: Kysely<Database>) {
  return {
    ...bindDeps(db, {
      count,
      create,
      byEmail,
      byId,
      list,
      setPassword,
      touchLogin,
      addSession,
      useSession,
      dropSession,
      dropSessionsOf,
      addLoginLink,
      useLoginLink,
    }),
  };
}

async function count(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function create(
  db: Kysely<Database>,
  input: { email: string; passwordHash: string | null; clientIds?: readonly string[] | null },
  now: Date,
): Promise<UserRow> {
  return db
    .insertInto('users')
    .values({
      id: newId('usr'),
      email: input.email,
      password_hash: input.passwordHash,
      role: 'admin',
      client_ids: input.clientIds ? JSON.stringify(input.clientIds) : null,
      created_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

async function byEmail(db: Kysely<Database>, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

async function byId(db: Kysely<Database>, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

async function list(db: Kysely<Database>): Promise<UserRow[]> {
  return db.selectFrom('users').selectAll().orderBy('created_at').execute();
}

async function setPassword(db: Kysely<Database>, id: string, passwordHash: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', id).execute();
}

async function touchLogin(db: Kysely<Database>, id: string, now: Date): Promise<void> {
  await db.updateTable('users').set({ last_login_at: now }).where('id', '=', id).execute();
}

async function addSession(
  db: Kysely<Database>,
  s: { idHash: string; userId: string; csrf: string; now: Date; expiresAt: Date },
) {
  await db
    .insertInto('sessions')
    .values({
      id_hash: s.idHash,
      user_id: s.userId,
      csrf_token: s.csrf,
      created_at: s.now,
      last_seen_at: s.now,
      expires_at: s.expiresAt,
    })
    .execute();
}

/** A live session (used within `idleMs`, before its absolute expiry) and its user; marks it seen. */
async function useSession(db: Kysely<Database>, idHash: string, now: Date, idleMs: number) {
  const session = await db
    .updateTable('sessions')
    .set({ last_seen_at: now })
    .where('id_hash', '=', idHash)
    .where('expires_at', '>', now)
    .where('last_seen_at', '>', new Date(now.getTime() - idleMs))
    .returningAll()
    .executeTakeFirst();
  if (!session) return undefined;
  const user = await db.selectFrom('users').selectAll().where('id', '=', session.user_id).executeTakeFirst();
  return user ? { session, user } : undefined;
}

async function dropSession(db: Kysely<Database>, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

async function dropSessionsOf(db: Kysely<Database>, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

async function addLoginLink(
  db: Kysely<Database>,
  tokenHash: string,
  userId: string,
  now: Date,
  expiresAt: Date,
): Promise<void> {
  await db
    .insertInto('login_links')
    .values({ token_hash: tokenHash, user_id: userId, created_at: now, expires_at: expiresAt })
    .execute();
}

/** Uses a sign-in link once: its user, or undefined when unknown, used or expired. */
async function useLoginLink(db: Kysely<Database>, tokenHash: string, now: Date): Promise<string | undefined> {
  const row = await db
    .updateTable('login_links')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('user_id')
    .executeTakeFirst();
  return row?.user_id;
}

export type UsersStore = ReturnType<typeof usersStore>;
