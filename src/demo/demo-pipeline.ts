import type { Emulator } from '../emulator/index.ts';
import type { Logger } from '../log/index.ts';
import type { Services } from '../services/index.ts';

/**
 * The demo's creative pipeline: an agency tool that uploads a video every `everyMs` of emulator time
 * to one advertiser and asks adwarden to watch it until TikTok has transcoded it (`POST
 * /api/v1/videos` does the same from outside). It plays the scenarios that break video processing.
 */
export function startCreativePipeline(deps: {
  services: Services;
  emulator: Emulator;
  connectionId: string;
  advertiserId: string;
  log: Logger;
  /** @default 45000 (emulator time) */
  everyMs?: number;
  /** The demo's compressed deadline. @default 2 */
  deadlineMinutes?: number;
}) {
  const everyMs = deps.everyMs ?? 45_000;
  let next = deps.emulator.clock.now();
  let uploads = 0;
  let busy = false;
  const upload = async () => {
    const n = ++uploads;
    const name = `spring-sale-${String(n).padStart(2, '0')}.mp4`;
    const videos = await deps.services.connections.call<Array<{ video_id: string }>>(
      deps.connectionId,
      'POST',
      '/file/video/ad/upload/',
      {
        body: {
          advertiser_id: deps.advertiserId,
          upload_type: 'UPLOAD_BY_URL',
          video_url: `https://assets.example.com/creatives/${name}`,
          file_name: name,
        },
        advertiserId: deps.advertiserId,
      },
      { park: false },
    );
    // TikTok answers with a list of video objects (fact sheet §6); take the new one's id.
    const videoId = Array.isArray(videos) ? videos[0]?.video_id : (videos as { video_id?: string }).video_id;
    if (!videoId) throw new Error('the upload answer named no video_id');
    await deps.services.monitor.videos.watch({
      connection_id: deps.connectionId,
      advertiser_id: deps.advertiserId,
      video_ids: [{ video_id: videoId, label: name }],
      deadline_minutes: deps.deadlineMinutes ?? 2,
    });
  };
  const timer = setInterval(() => {
    if (busy || deps.emulator.clock.now() < next) return;
    busy = true;
    next += everyMs;
    upload()
      .catch((error) => deps.log.warn({ err: error }, 'the demo pipeline could not upload a video'))
      .finally(() => {
        busy = false;
      });
  }, 50);
  timer.unref();
  return {
    /** Uploads made so far (each one TikTok call). */
    uploads: () => uploads,
    stop: () => clearInterval(timer),
  };
}
