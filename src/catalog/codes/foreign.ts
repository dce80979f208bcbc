import type { CatalogEntry } from '../entry.ts';
import { POLL, row } from './define.ts';

/** Codes public pages attribute to the Marketing API that no TikTok source has. */
export const FOREIGN_CODES: readonly CatalogEntry[] = [
  row({
    code: 2200006,
    name: null,
    kind: 'not_ready',
    title: 'Not a TikTok Marketing API code (said to mean "video processing failed")',
    meaning:
      'This code is absent from every TikTok source: the SDK code table, the return-code appendix and the connectors that run against the API. Seven-digit codes of this shape belong to TikTok’s Open SDK / Login Kit. For video processing the Marketing API uses 40901 (transcoding in process), 40053 (invalid video id), the 409xx file errors and 51017 (transcode service error).',
    causes: [
      'A third-party page’s claim; if a response really carries it, most likely a video that is not ready yet.',
    ],
    fix: [
      'adwarden treats it like 40901: it polls /file/video/ad/info/ until the video is displayable, then retries.',
      'Keep the request_id and full message: they would settle what the code means.',
    ],
    action: 'poll',
    retry: POLL,
    actor: 'nobody',
    confidence: 'low',
    sources: [],
    inTikTokTables: false,
    alsoDescribedAs: [
      { claim: 'Video Processing Failed: poll until ready', by: 'adskull.io', verdict: 'unsupported' },
    ],
  }),
];
