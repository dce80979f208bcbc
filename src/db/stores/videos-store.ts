import { type ExpressionBuilder, type Kysely, sql } from 'kysely';
import { bindDeps } from '../../lib/bind-deps.ts';
import type { Database, VideoRow } from '../schema.ts';

/** A poll is due at its time, or when it lies beyond `horizonMs`: set before the clock jumped back. */
const duePoll = (now: Date, horizonMs: number) => (eb: ExpressionBuilder<Database, 'videos'>) =>
  eb.or([eb('next_poll_at', '<=', now), eb('next_poll_at', '>', new Date(now.getTime() + horizonMs))]);

/** An upload to watch. */
export interface NewVideo {
  connectionId: string;
  advertiserId: string;
  videoId: string;
  label?: string | null;
  deadlineAt: Date;
}

/** Uploads a pipeline asked adwarden to watch until TikTok has transcoded them. */

export function videosStore(db: Kysely<Database>) {
  return {
    ...bindDeps(db, { add, dueConnections, due, take, reschedule, settle, stuck, list, prune }),
  };
}

/** Starts watching; a video already watched keeps its state and deadline. Returns how many were new. */
async function add(db: Kysely<Database>, videos: NewVideo[], now: Date): Promise<number> {
  if (videos.length === 0) return 0;
  const rows = await db
    .insertInto('videos')
    .values(
      videos.map((v) => ({
        connection_id: v.connectionId,
        advertiser_id: v.advertiserId,
        video_id: v.videoId,
        label: v.label ?? null,
        state: 'processing' as const,
        registered_at: now,
        deadline_at: v.deadlineAt,
        next_poll_at: now,
      })),
    )
    .onConflict((c) => c.columns(['connection_id', 'video_id']).doNothing())
    .returning('video_id')
    .execute();
  return rows.length;
}

/** Connections with videos due for a poll. */
async function dueConnections(db: Kysely<Database>, now: Date, horizonMs: number): Promise<string[]> {
  const rows = await db
    .selectFrom('videos')
    .select('connection_id')
    .distinct()
    .where('state', '=', 'processing')
    .where(duePoll(now, horizonMs))
    .execute();
  return rows.map((r) => r.connection_id);
}

/** A connection's videos due for a poll, oldest first. */
async function due(
  db: Kysely<Database>,
  connectionId: string,
  now: Date,
  horizonMs: number,
): Promise<VideoRow[]> {
  return db
    .selectFrom('videos')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .where('state', '=', 'processing')
    .where(duePoll(now, horizonMs))
    .orderBy('registered_at')
    .execute();
}

/**
 * Moves the next poll of `videoIds` off to `at`, so a second worker planning at once leaves them
 * alone. True when this caller took them (none was taken by another first).
 */
async function take(
  db: Kysely<Database>,
  connectionId: string,
  videoIds: string[],
  now: Date,
  at: Date,
  horizonMs: number,
): Promise<string[]> {
  if (videoIds.length === 0) return [];
  const rows = await db
    .updateTable('videos')
    .set({ next_poll_at: at, polls: sql<number>`polls + 1` as never })
    .where('connection_id', '=', connectionId)
    .where('video_id', 'in', videoIds)
    .where('state', '=', 'processing')
    .where(duePoll(now, horizonMs))
    .returning('video_id')
    .execute();
  return rows.map((r) => r.video_id);
}

/** Sets each video's next poll, in one statement. */
async function reschedule(
  db: Kysely<Database>,
  connectionId: string,
  next: Array<{ videoId: string; at: Date }>,
): Promise<void> {
  if (next.length === 0) return;
  const rows = sql.join(next.map((n) => sql`(${n.videoId}::text, ${n.at}::timestamptz)`));
  await sql`
      update videos set next_poll_at = v.at
      from (values ${rows}) as v (video_id, at)
      where videos.connection_id = ${connectionId} and videos.video_id = v.video_id
        and videos.state = 'processing'`.execute(db);
}

async function settle(
  db: Kysely<Database>,
  connectionId: string,
  videoIds: string[],
  state: 'ready' | 'stuck',
  now: Date,
) {
  if (videoIds.length === 0) return;
  await db
    .updateTable('videos')
    .set({ state, settled_at: now })
    .where('connection_id', '=', connectionId)
    .where('video_id', 'in', videoIds)
    .where('state', '=', 'processing')
    .execute();
}

/** Stuck videos of an advertiser (the incident lists them). */
async function stuck(db: Kysely<Database>, connectionId: string, advertiserId: string): Promise<VideoRow[]> {
  return db
    .selectFrom('videos')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .where('advertiser_id', '=', advertiserId)
    .where('state', '=', 'stuck')
    .orderBy('registered_at')
    .execute();
}

async function list(
  db: Kysely<Database>,
  filter: { connectionId?: string; state?: VideoRow['state'] } = {},
): Promise<VideoRow[]> {
  let query = db.selectFrom('videos').selectAll();
  if (filter.connectionId) query = query.where('connection_id', '=', filter.connectionId);
  if (filter.state) query = query.where('state', '=', filter.state);
  return query.orderBy('registered_at').orderBy('video_id').limit(1000).execute();
}

/** Forgets settled videos older than `before` (retention). */
async function prune(db: Kysely<Database>, before: Date): Promise<number> {
  const result = await db
    .deleteFrom('videos')
    .where('state', '<>', 'processing')
    .where('settled_at', '<', before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export type VideosStore = ReturnType<typeof videosStore>;
