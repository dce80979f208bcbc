import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from './open-database.ts';

describe('PGliteDialect', () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openDatabase({ memory: true });
    await sql`create table t (v text)`.execute(handle.db);
  });
  afterAll(() => handle.close());

  it('keeps a write made outside a transaction that rolls back meanwhile', async () => {
    // biome-ignore lint/suspicious/noExplicitAny: a scratch table outside the schema
    const db = handle.db as any;
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const transaction = db
      .transaction()
      .execute(async (trx: typeof db) => {
        await trx.insertInto('t').values({ v: 'inside' }).execute();
        await held;
        throw new Error('roll back');
      })
      .catch(() => 'rolled back');
    const outside = db.insertInto('t').values({ v: 'outside' }).execute();
    release();
    expect(await transaction).toBe('rolled back');
    await outside;
    const rows = await db.selectFrom('t').select('v').execute();
    expect(rows.map((r: { v: string }) => r.v)).toEqual(['outside']);
  });

  it('reports affected rows for updates', async () => {
    // biome-ignore lint/suspicious/noExplicitAny: a scratch table outside the schema
    const result = await (handle.db as any).updateTable('t').set({ v: 'x' }).executeTakeFirst();
    expect(result.numUpdatedRows).toBe(1n);
  });
});
