import { z } from 'zod';
import { isAuthFailure, isPermissionFailure } from '../../catalog/index.ts';
import type { VideoRow, VideosStore } from '../../db/index.ts';
import type { Observation, Subject } from '../../incidents/index.ts';
import { bindDeps } from '../../lib/bind-deps.ts';
import type { Logger } from '../../log/index.ts';
import {
  advertiserSubject,
  permissionRefused,
  permissionRestored,
  readVideoPoll,
  refusalOf,
  stuckVideosSummary,
  type WatchedVideo,
} from '../../monitor/index.ts';
import { isTikTokError } from '../../tiktok/index.ts';
import type { ConnectionsService } from '../connections/index.ts';
import type { IncidentsService } from '../incidents/index.ts';
import { ServiceError } from '../service-error.ts';

/** TikTok's docs suggest giving up on a video after about 30 minutes (fact sheet §6). */
const DEFAULT_DEADLINE_MS = 30 * 60_000;
/** A poll's claim on its videos: long enough for its calls, short enough that a dead worker's lapses. */
const POLL_LEASE_MS = 60_000;
/** No poll is planned further ahead than this (the longest backoff, or a lease); later ones predate a jump back. */
const POLL_HORIZON_MS = 2 * 60_000;
const BATCH = 60; // ids per /file/video/ad/info/ call
const VIDEO_INFO = '/file/video/ad/info/';

/** The body of `POST /api/v1/videos`: uploads a pipeline wants watched until they are usable. */
export const WatchVideosSchema = z.object({
  connection_id: z.string().min(1),
  advertiser_id: z.string().regex(/^\d{1,32}$/, 'must be a TikTok advertiser id (digits, as a string)'),
  video_ids: z
    .array(
      z.union([
        z.string().min(1).max(128),
        z.object({ video_id: z.string().min(1).max(128), label: z.string().max(200).optional() }),
      ]),
    )
    .min(1)
    .max(1000),
  /** Minutes until a video that is still not usable counts as stuck. @default 30 */
  deadline_minutes: z
    .number()
    .positive()
    .max(24 * 60)
    .optional(),
});

const toWatched = (row: VideoRow): WatchedVideo => ({
  videoId: row.video_id,
  advertiserId: row.advertiser_id,
  label: row.label,
  registeredAt: row.registered_at.getTime(),
  deadlineAt: row.deadline_at.getTime(),
  polls: row.polls,
});

const videoView = (row: VideoRow) => ({
  connection_id: row.connection_id,
  advertiser_id: row.advertiser_id,
  video_id: row.video_id,
  label: row.label,
  state: row.state,
  registered_at: row.registered_at.toISOString(),
  deadline_at: row.deadline_at.toISOString(),
  settled_at: row.settled_at?.toISOString() ?? null,
  polls: row.polls,
});

/** What `videoWatch` uses. */
export interface VideoWatchDeps {
  videos: VideosStore;
  connections: ConnectionsService;
  incidents: IncidentsService;
  now: () => number;
  log: Logger;
  probeSoon: (connectionId: string) => Promise<void>;
}

/**
 * The video watch: uploads registered by a pipeline are polled on `/file/video/ad/info/` (60 ids a
 * call, backing off 2 s … 60 s) until TikTok lists them as displayable. One that is still missing at
 * its deadline is stuck, and the advertiser gets one `video` incident listing them; a later upload
 * that processes normally resolves it.
 */
export function videoWatch(deps: VideoWatchDeps) {
  return {
    ...bindDeps(deps, { watch, list, poll }),
    /** Connections with uploads due for a poll (the tick queues one poll job each). */
    dueConnections: () => deps.videos.dueConnections(new Date(deps.now()), POLL_HORIZON_MS),
    /** Forgets settled uploads older than `before` (retention). */
    prune: (before: Date) => deps.videos.prune(before),
  };
}

async function subjectOf(deps: VideoWatchDeps, connectionId: string, advertiserId: string): Promise<Subject> {
  const connection = await deps.connections.show(connectionId);
  const name = connection.advertiser_list.find((a) => a.advertiser_id === advertiserId)?.name ?? advertiserId;
  return advertiserSubject({ id: advertiserId, name }, { connectionId, appId: connection.app_id });
}

/** Opens (or updates) the advertiser's incident for its stuck uploads, and resolves it on a good one. */
async function observe(
  deps: VideoWatchDeps,
  connectionId: string,
  advertiserId: string,
  ready: WatchedVideo[],
  stuck: string[],
) {
  if (ready.length === 0 && stuck.length === 0) return;
  const at = deps.now();
  const subject = await subjectOf(deps, connectionId, advertiserId);
  const name = subject.label.replace(/ \(\d+\)$/, '');
  if (stuck.length > 0) {
    const all = (await deps.videos.stuck(connectionId, advertiserId)).map(toWatched);
    const text = stuckVideosSummary({ id: advertiserId, name }, all);
    await deps.incidents.observe({
      problem: 'video',
      subject,
      detail: 'processing',
      failing: true,
      at,
      source: 'video_watch',
      summary: text.summary,
      fix: text.fix,
      facts: { advertiser_id: advertiserId, video_ids: all.map((v) => v.videoId), newly_stuck: stuck },
    });
  }
  if (ready.length === 0) return;
  for (const incident of await deps.incidents.active('video', { advertiserId })) {
    if (incident.subject.connectionId !== connectionId) continue;
    // Only an upload made after the incident opened proves TikTok transcodes this account's videos again.
    if (!ready.some((v) => v.registeredAt > incident.openedAt)) continue;
    const recovery: Observation = {
      problem: 'video',
      subject: incident.subject,
      detail: 'processing',
      failing: false,
      at,
      source: 'video_watch',
      summary: `A new upload to ${name} processed normally; the uploads listed in this incident still need uploading again.`,
    };
    await deps.incidents.observe(recovery);
  }
}

/**
 * Starts watching uploads. Videos already watched keep their state.
 * @throws ServiceError ADW_INVALID_INPUT (bad body, or an advertiser the connection was not granted), ADW_NOT_FOUND.
 */
async function watch(deps: VideoWatchDeps, input: unknown) {
  const parsed = WatchVideosSchema.safeParse(input ?? {});
  if (!parsed.success)
    throw new ServiceError(
      'ADW_INVALID_INPUT',
      `invalid videos: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'} ${i.message}`).join('; ')}`,
    );
  const body = parsed.data;
  const connection = await deps.connections.show(body.connection_id);
  if (!connection.advertiser_list.some((a) => a.advertiser_id === body.advertiser_id && a.granted))
    throw new ServiceError(
      'ADW_INVALID_INPUT',
      `advertiser ${body.advertiser_id} is not granted to connection ${body.connection_id}; see adwarden connections show ${body.connection_id}`,
    );
  const now = deps.now();
  const deadlineAt = new Date(now + (body.deadline_minutes ?? DEFAULT_DEADLINE_MS / 60_000) * 60_000);
  const videos = body.video_ids.map((v) => (typeof v === 'string' ? { video_id: v } : v));
  const added = await deps.videos.add(
    videos.map((v) => ({
      connectionId: body.connection_id,
      advertiserId: body.advertiser_id,
      videoId: v.video_id,
      label: 'label' in v ? (v.label ?? null) : null,
      deadlineAt,
    })),
    new Date(now),
  );
  return { watching: videos.length, added, deadline_at: deadlineAt.toISOString() };
}

async function list(deps: VideoWatchDeps, filter: { connectionId?: string; state?: VideoRow['state'] } = {}) {
  return (await deps.videos.list(filter)).map(videoView);
}

/** Polls one connection's due uploads. Returns the calls made. */
async function poll(
  deps: VideoWatchDeps,
  connectionId: string,
): Promise<{ calls: number; ready: number; stuck: number }> {
  const now = deps.now();
  const due = await deps.videos.due(connectionId, new Date(now), POLL_HORIZON_MS);
  const taken = new Set(
    await deps.videos.take(
      connectionId,
      due.map((v) => v.video_id),
      new Date(now),
      new Date(now + POLL_LEASE_MS),
      POLL_HORIZON_MS,
    ),
  );
  const byAdvertiser = new Map<string, WatchedVideo[]>();
  for (const row of due.filter((v) => taken.has(v.video_id))) {
    const list = byAdvertiser.get(row.advertiser_id) ?? [];
    list.push({ ...toWatched(row), polls: row.polls + 1 });
    byAdvertiser.set(row.advertiser_id, list);
  }
  const totals = { calls: 0, ready: 0, stuck: 0 };
  // Refusals of /file/video/ad/info/ seen earlier: looked up once per poll, when a batch answers.
  let refusals: Awaited<ReturnType<IncidentsService['active']>> | undefined;
  for (const [advertiserId, videos] of byAdvertiser) {
    for (let i = 0; i < videos.length; i += BATCH) {
      const batch = videos.slice(i, i + BATCH);
      totals.calls++;
      const answer = await listBatch(deps, connectionId, advertiserId, batch);
      if (answer === 'token_refused') return totals;
      if (answer === 'advertiser_refused') break;
      if (answer === 'failed') continue;
      const listed = answer;
      const at = deps.now();
      refusals ??= await deps.incidents.active('permission', { connectionId });
      for (const incident of refusals)
        if (incident.subject.advertiserId === advertiserId && incident.detail === `GET ${VIDEO_INFO}`)
          await deps.incidents.observe(
            permissionRestored(incident.subject, { method: 'GET', endpoint: VIDEO_INFO }, at, 'video_watch'),
          );
      const reading = readVideoPoll(batch, listed, at);
      await deps.videos.settle(connectionId, reading.ready, 'ready', new Date(at));
      await deps.videos.settle(connectionId, reading.stuck, 'stuck', new Date(at));
      await deps.videos.reschedule(
        connectionId,
        reading.waiting.map((w) => ({ videoId: w.videoId, at: new Date(w.nextPollAt) })),
      );
      totals.ready += reading.ready.length;
      totals.stuck += reading.stuck.length;
      const ready = new Set(reading.ready);
      await observe(
        deps,
        connectionId,
        advertiserId,
        batch.filter((v) => ready.has(v.videoId)),
        reading.stuck,
      );
    }
  }
  return totals;
}

export type VideoWatch = ReturnType<typeof videoWatch>;

/**
 * One call of `/file/video/ad/info/` for a batch of uploads: what TikTok listed, or why not. A refused
 * token asks for a probe; an advertiser refused opens its permission incident (its uploads wait, the
 * connection's others are polled as usual); anything else is retried at the next poll, as the lease set
 * by take() lapses within a minute.
 */
async function listBatch(
  deps: VideoWatchDeps,
  connectionId: string,
  advertiserId: string,
  batch: WatchedVideo[],
): Promise<
  Array<{ video_id: string; displayable?: boolean }> | 'token_refused' | 'advertiser_refused' | 'failed'
> {
  try {
    const data = await deps.connections.call<{ list?: Array<{ video_id: string; displayable?: boolean }> }>(
      connectionId,
      'GET',
      VIDEO_INFO,
      {
        query: { advertiser_id: advertiserId, video_ids: batch.map((v) => v.videoId) },
        advertiserId,
        deadlineMs: 30_000,
        maxAttempts: 2,
      },
      { park: false },
    );
    return data.list ?? [];
  } catch (error) {
    if (isTikTokError(error) && isAuthFailure(error.diagnosis.kind)) {
      await deps.probeSoon(connectionId);
      return 'token_refused';
    }
    if (isTikTokError(error) && isPermissionFailure(error.diagnosis.kind)) {
      const refusal = refusalOf(error.diagnosis, { method: 'GET', endpoint: VIDEO_INFO });
      const subject = await subjectOf(deps, connectionId, advertiserId);
      await deps.incidents.observe(permissionRefused(subject, refusal, deps.now(), 'video_watch'));
      return 'advertiser_refused';
    }
    deps.log.info(
      { connection: connectionId, advertiser: advertiserId, err: error },
      'video poll failed; it is retried',
    );
    return 'failed';
  }
}
