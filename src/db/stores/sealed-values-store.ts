import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

/** One sealed column: where it lives and the purpose it is bound to. */
interface SealedColumn {
  table: 'tiktok_apps' | 'connection_tokens' | 'channels' | 'outbox';
  idColumn: 'app_id' | 'id';
  column: 'secret_sealed' | 'access_sealed' | 'refresh_sealed' | 'config_sealed' | 'reauth_sealed';
  purpose: string;
}

/** Every column that holds a sealed value. Adding a sealed column means adding it here, or rotation misses it. */
export const SEALED_COLUMNS: readonly SealedColumn[] = [
  { table: 'tiktok_apps', idColumn: 'app_id', column: 'secret_sealed', purpose: 'app_secret' },
  { table: 'connection_tokens', idColumn: 'id', column: 'access_sealed', purpose: 'access_token' },
  { table: 'connection_tokens', idColumn: 'id', column: 'refresh_sealed', purpose: 'refresh_token' },
  { table: 'channels', idColumn: 'id', column: 'config_sealed', purpose: 'channel_config' },
  { table: 'outbox', idColumn: 'id', column: 'reauth_sealed', purpose: 'reauth_link' },
];

/** A sealed value found in the database. */
export interface SealedValue {
  table: string;
  rowId: string;
  purpose: string;
  sealed: string;
}

/** Reads and swaps sealed values for key rotation. */
export function sealedValuesStore(db: Kysely<Database>) {
  // biome-ignore lint/suspicious/noExplicitAny: the table and columns vary by SEALED_COLUMNS row.
  const dyn = db as Kysely<any>;
  return {
    /** Up to `limit` sealed values not sealed with `keyId`. */
    async notSealedWith(keyId: string, limit: number): Promise<SealedValue[]> {
      const found: SealedValue[] = [];
      for (const c of SEALED_COLUMNS) {
        if (found.length >= limit) break;
        const rows: Array<{ id: string; sealed: string }> = await dyn
          .selectFrom(c.table)
          .select([`${c.idColumn} as id`, `${c.column} as sealed`])
          .where(c.column, 'is not', null)
          .where(c.column, 'not like', `adw1.${keyId}.%`)
          .orderBy(c.idColumn)
          .limit(limit - found.length)
          .execute();
        found.push(
          ...rows.map((r) => ({ table: c.table, rowId: r.id, purpose: c.purpose, sealed: r.sealed })),
        );
      }
      return found;
    },
    /** How many values each key id seals. */
    async countByKey(): Promise<Record<string, number>> {
      const counts: Record<string, number> = {};
      for (const c of SEALED_COLUMNS) {
        const rows: Array<{ sealed: string }> = await dyn
          .selectFrom(c.table)
          .select(`${c.column} as sealed`)
          .where(c.column, 'is not', null)
          .execute();
        for (const { sealed } of rows) {
          const keyId = sealed.split('.')[1] ?? 'unknown';
          counts[keyId] = (counts[keyId] ?? 0) + 1;
        }
      }
      return counts;
    },
    /** Replaces a sealed value only if it is still the one read (a concurrent writer wins). */
    async swap(value: SealedValue, resealed: string): Promise<boolean> {
      const c = SEALED_COLUMNS.find((s) => s.table === value.table && s.purpose === value.purpose);
      if (!c) throw new RangeError(`unknown sealed column ${value.table}/${value.purpose}`);
      const result = await dyn
        .updateTable(c.table)
        .set({ [c.column]: resealed })
        .where(c.idColumn, '=', value.rowId)
        .where(c.column, '=', value.sealed)
        .executeTakeFirst();
      return BigInt(result.numUpdatedRows) === 1n;
    },
  };
}

export type SealedValuesStore = ReturnType<typeof sealedValuesStore>;
