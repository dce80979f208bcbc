import type { Kysely } from 'kysely';
import type { Database, OAuthStatesTable, ReauthLinksTable } from '../schema.ts';

/** Why a state did not verify. */
export type StateRejection = 'unknown' | 'used' | 'expired';

/** OAuth `state` values and re-auth links, both stored only as hashes. */
export function oauthStore(db: Kysely<Database>) {
  return {
    async saveState(state: OAuthStatesTable): Promise<void> {
      await db.insertInto('oauth_states').values(state).execute();
    },
    /**
     * Marks a state used, atomically: of two callbacks racing with the same state only one wins.
     * Returns the state, or why it was refused.
     */
    async consumeState(
      nonceHash: string,
      now: Date,
    ): Promise<{ ok: true; state: OAuthStatesTable } | { ok: false; reason: StateRejection }> {
      const taken = await db
        .updateTable('oauth_states')
        .set({ used_at: now })
        .where('nonce_hash', '=', nonceHash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .returningAll()
        .executeTakeFirst();
      if (taken) return { ok: true, state: taken };
      const row = await db
        .selectFrom('oauth_states')
        .select(['used_at', 'expires_at'])
        .where('nonce_hash', '=', nonceHash)
        .executeTakeFirst();
      if (!row) return { ok: false, reason: 'unknown' };
      return { ok: false, reason: row.used_at ? 'used' : 'expired' };
    },
    /** Deletes states that expired before `before` (they can only be refused). */
    async pruneStates(before: Date): Promise<number> {
      const result = await db.deleteFrom('oauth_states').where('expires_at', '<', before).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async saveReauthLink(link: ReauthLinksTable): Promise<void> {
      await db.insertInto('reauth_links').values(link).execute();
    },
    async findReauthLink(tokenHash: string): Promise<ReauthLinksTable | undefined> {
      return db.selectFrom('reauth_links').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    },
    /** Closes every open re-auth link of a connection (it was repaired). */
    async closeReauthLinks(connectionId: string, now: Date): Promise<void> {
      await db
        .updateTable('reauth_links')
        .set({ used_at: now })
        .where('connection_id', '=', connectionId)
        .where('used_at', 'is', null)
        .execute();
    },
  };
}

export type OAuthStore = ReturnType<typeof oauthStore>;
