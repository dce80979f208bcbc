/** A watched upload, as the video watch reads it. */
export interface WatchedVideo {
  videoId: string;
  advertiserId: string;
  label: string | null;
  registeredAt: number;
  deadlineAt: number;
  /** Polls made so far (the backoff grows with them). */
  polls: number;
}

/** What `/file/video/ad/info/` listed for a poll: id and `displayable`. */
export interface ListedVideo {
  video_id: string;
  displayable?: boolean;
}

/** How the video watch backs off between polls. */
export interface VideoPollPolicy {
  /** @default 2000 */
  initialDelayMs: number;
  /** @default 60000 */
  maxDelayMs: number;
}

export const DEFAULT_VIDEO_POLL_POLICY: VideoPollPolicy = { initialDelayMs: 2_000, maxDelayMs: 60_000 };

/** What one poll means for each video. */
export interface VideoPollReading {
  ready: string[];
  /** Past the deadline and still not listed as displayable: TikTok will not make them usable. */
  stuck: string[];
  /** Still processing: poll again at `nextPollAt`. */
  waiting: Array<{ videoId: string; nextPollAt: number }>;
}

/**
 * Reads one poll of `/file/video/ad/info/`. TikTok leaves a video out of the answer until it can be
 * used in an ad, and leaves it out for good when transcoding fails, so "missing" means "not yet"
 * until the deadline and "never" after it (fact sheet §6). Pure.
 */
export function readVideoPoll(
  videos: readonly WatchedVideo[],
  listed: readonly ListedVideo[],
  now: number,
  policy: VideoPollPolicy = DEFAULT_VIDEO_POLL_POLICY,
): VideoPollReading {
  const usable = new Set(listed.filter((v) => v.displayable !== false).map((v) => v.video_id));
  const reading: VideoPollReading = { ready: [], stuck: [], waiting: [] };
  for (const video of videos) {
    if (usable.has(video.videoId)) reading.ready.push(video.videoId);
    else if (now >= video.deadlineAt) reading.stuck.push(video.videoId);
    else {
      const delay = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, video.polls - 1));
      reading.waiting.push({ videoId: video.videoId, nextPollAt: Math.min(now + delay, video.deadlineAt) });
    }
  }
  return reading;
}

/** The incident text for an advertiser's stuck uploads. */
export function stuckVideosSummary(
  advertiser: { id: string; name: string },
  stuck: ReadonlyArray<Pick<WatchedVideo, 'videoId' | 'label' | 'registeredAt' | 'deadlineAt'>>,
): { summary: string; fix: string[] } {
  const names = stuck.map((v) => (v.label ? `${v.label} (${v.videoId})` : v.videoId));
  const shown = names.slice(0, 5).join(', ') + (names.length > 5 ? ` and ${names.length - 5} more` : '');
  const waitedMin = Math.round(Math.max(...stuck.map((v) => v.deadlineAt - v.registeredAt)) / 60_000);
  return {
    summary: `${stuck.length === 1 ? '1 upload' : `${stuck.length} uploads`} to ${advertiser.name} (${advertiser.id}) never became usable: ${shown} ${stuck.length === 1 ? 'is' : 'are'} still missing from /file/video/ad/info/ after ${waitedMin} min. TikTok lists a video only once it is transcoded, and never when transcoding failed; ads using ${stuck.length === 1 ? 'it' : 'them'} cannot be created (40901, or 40053 for an id TikTok dropped).`,
    fix: [
      'Upload the file again (a new upload gets a new video_id) and create the ad with the new id once adwarden reports it ready.',
      'Check the file against TikTok’s specs: mp4, mov, mpeg or avi; at most 500 MB; 9:16, 16:9 or 1:1; at least 540×960 for vertical video; 5–60 s for most placements.',
      'If re-uploads of good files get stuck too, transcoding is failing on TikTok’s side (51017): check TikTok’s API status page and open a ticket quoting the video ids.',
    ],
  };
}
