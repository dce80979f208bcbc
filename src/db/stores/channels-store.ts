import type { Kysely } from 'kysely';
import type { ChannelKind, ChannelRow, ChannelsTable, Database } from '../schema.ts';
import { json, newId } from './ids.ts';

/** A channel to add; `config_sealed` is already sealed for this id. */
export interface NewChannel {
  id?: string;
  name: string;
  kind: ChannelKind;
  sealConfig: (id: string) => string;
  minSeverity?: ChannelsTable['min_severity'];
  labels?: Record<string, string>;
  maxPerHour?: number | null;
  /** Send what the hourly cap held back once a day. @default false */
  digest?: boolean;
}

/** Notification channels. */
export function channelsStore(db: Kysely<Database>) {
  return {
    /** Adds a channel, or replaces the one with the same name (keeping its id). */
    async upsert(channel: NewChannel, now: Date): Promise<{ id: string; created: boolean }> {
      const existing = await db
        .selectFrom('channels')
        .select('id')
        .where('name', '=', channel.name)
        .executeTakeFirst();
      const id = existing?.id ?? channel.id ?? newId('chn');
      const values = {
        kind: channel.kind,
        config_sealed: channel.sealConfig(id),
        min_severity: channel.minSeverity ?? 'low',
        labels: json(channel.labels ?? {}),
        max_per_hour: channel.maxPerHour ?? null,
        digest: channel.digest ?? false,
        enabled: true,
        updated_at: now,
      };
      if (existing) await db.updateTable('channels').set(values).where('id', '=', id).execute();
      else
        await db
          .insertInto('channels')
          .values({ id, name: channel.name, created_at: now, ...values })
          .execute();
      return { id, created: !existing };
    },
    async list(): Promise<ChannelRow[]> {
      return db.selectFrom('channels').selectAll().orderBy('created_at').orderBy('id').execute();
    },
    async get(id: string): Promise<ChannelRow | undefined> {
      return db.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirst();
    },
    async remove(id: string): Promise<boolean> {
      const result = await db.deleteFrom('channels').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },
  };
}

export type ChannelsStore = ReturnType<typeof channelsStore>;
