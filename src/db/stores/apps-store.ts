import type { Kysely } from 'kysely';
import type { AppRow, Database, TikTokAppsTable } from '../schema.ts';

/** What registering an app stores (the secret already sealed). */
export type NewApp = Omit<TikTokAppsTable, 'created_at' | 'updated_at'>;

/** Registered TikTok developer apps. */
export function appsStore(db: Kysely<Database>) {
  return {
    /** Adds an app, or updates it when the app id is known. Returns whether it was new. */
    async upsert(app: NewApp, now: Date): Promise<{ created: boolean; app: AppRow }> {
      const existing = await this.get(app.app_id);
      const row = await db
        .insertInto('tiktok_apps')
        .values({ ...app, created_at: now, updated_at: now })
        .onConflict((oc) => oc.column('app_id').doUpdateSet({ ...app, updated_at: now }))
        .returningAll()
        .executeTakeFirstOrThrow();
      return { created: !existing, app: row };
    },
    async get(appId: string): Promise<AppRow | undefined> {
      return db.selectFrom('tiktok_apps').selectAll().where('app_id', '=', appId).executeTakeFirst();
    },
    async list(): Promise<AppRow[]> {
      return db.selectFrom('tiktok_apps').selectAll().orderBy('created_at').orderBy('app_id').execute();
    },
  };
}

export type AppsStore = ReturnType<typeof appsStore>;
