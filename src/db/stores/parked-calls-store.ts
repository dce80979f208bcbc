import type { Kysely } from 'kysely';
import type { Database, ParkedCallRow, ParkedStatus } from '../schema.ts';
import { json, newId } from './ids.ts';

/** Calls that failed for an auth reason, kept to replay once the connection is repaired. */
export function parkedCallsStore(db: Kysely<Database>) {
  return {
    async park(call: {
      connectionId: string;
      advertiserId: string | null;
      method: 'GET' | 'POST';
      path: string;
      query: Record<string, unknown> | null;
      body: Record<string, unknown> | null;
      replaySafe: boolean;
      errorCode: number | null;
      now: Date;
    }): Promise<string> {
      const id = newId('pkc');
      await db
        .insertInto('parked_calls')
        .values({
          id,
          connection_id: call.connectionId,
          advertiser_id: call.advertiserId,
          method: call.method,
          path: call.path,
          query: json(call.query),
          body: json(call.body),
          replay_safe: call.replaySafe,
          error_code: call.errorCode,
          parked_at: call.now,
          status: 'pending',
          finished_at: null,
          result: null,
        })
        .execute();
      return id;
    },
    async pending(connectionId: string): Promise<ParkedCallRow[]> {
      return db
        .selectFrom('parked_calls')
        .selectAll()
        .where('connection_id', '=', connectionId)
        .where('status', '=', 'pending')
        .orderBy('parked_at')
        .orderBy('id')
        .execute();
    },
    async list(connectionId: string): Promise<ParkedCallRow[]> {
      return db
        .selectFrom('parked_calls')
        .selectAll()
        .where('connection_id', '=', connectionId)
        .orderBy('parked_at')
        .orderBy('id')
        .execute();
    },
    /** Records a replay's outcome; only a pending call can finish (two replayers never both run it). */
    async finish(
      id: string,
      status: Exclude<ParkedStatus, 'pending'>,
      result: string,
      now: Date,
    ): Promise<boolean> {
      const done = await db
        .updateTable('parked_calls')
        .set({ status, result, finished_at: now })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      return done.numUpdatedRows === 1n;
    },
  };
}

export type ParkedCallsStore = ReturnType<typeof parkedCallsStore>;
