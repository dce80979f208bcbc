import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import { json, newId } from './ids.ts';

/** API keys, stored as SHA-256 hashes (they are long random strings, so a fast hash is enough). */
export function apiKeysStore(db: Kysely<Database>) {
  return {
    async create(input: { name: string; keyHash: string; scopes: string[] }, now: Date): Promise<string> {
      const id = newId('key');
      await db
        .insertInto('api_keys')
        .values({
          id,
          name: input.name,
          key_hash: input.keyHash,
          scopes: json(input.scopes),
          created_at: now,
        })
        .execute();
      return id;
    },
    /** The live key with this hash, touching its last use. */
    async use(
      keyHash: string,
      now: Date,
    ): Promise<{ id: string; name: string; scopes: string[] } | undefined> {
      return db
        .updateTable('api_keys')
        .set({ last_used_at: now })
        .where('key_hash', '=', keyHash)
        .where('revoked_at', 'is', null)
        .returning(['id', 'name', 'scopes'])
        .executeTakeFirst();
    },
    /** Every key (never a value: only hashes are stored), newest first. */
    async list() {
      return db
        .selectFrom('api_keys')
        .select(['id', 'name', 'scopes', 'created_at', 'last_used_at', 'revoked_at'])
        .orderBy('created_at', 'desc')
        .execute();
    },
    async revoke(id: string, now: Date): Promise<boolean> {
      const result = await db
        .updateTable('api_keys')
        .set({ revoked_at: now })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async findByHash(keyHash: string) {
      return db.selectFrom('api_keys').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
    },
  };
}

export type ApiKeysStore = ReturnType<typeof apiKeysStore>;
