import type { CatalogEntry } from '../entry.ts';
import { NEVER, POLL, row, rows } from './define.ts';

const FILE_PROBLEM = {
  kind: 'invalid_request',
  action: 'fix_request',
  retry: NEVER,
  actor: 'developer',
} as const;

/** File and video codes: the 409xx block. */
export const FILE_CODES: readonly CatalogEntry[] = [
  row({
    ...FILE_PROBLEM,
    code: 40900,
    name: 'SIGNATURE_ERROR',
    title: 'File signature (MD5) mismatch',
    meaning:
      'The MD5 signature sent with the file (video_signature / image_signature) does not match its bytes.',
    causes: ['The signature was computed over other bytes, or the upload was corrupted.'],
    fix: ['Recompute the MD5 of the exact bytes sent and upload again.'],
  }),
  row({
    code: 40901,
    name: 'VIDEO_TRANSCODING',
    kind: 'not_ready',
    title: 'Video transcoding in process',
    meaning: 'The video is still being transcoded; it cannot be used yet.',
    causes: ['An ad was created right after the video upload, before processing finished.'],
    fix: [
      'Nothing to do: adwarden’s client polls /file/video/ad/info/ until the video is displayable, then creates the ad.',
    ],
    action: 'poll',
    retry: POLL,
    actor: 'nobody',
  }),
  ...rows(
    [
      [40902, 'URL_FETCH_TIMEOUT', 'Timed out fetching the URL'],
      [40903, 'URL_UNAVAILABLE', 'URL unavailable'],
      [40913, 'IMAGE_FETCH_TIMEOUT', 'Timed out fetching the image'],
      [40914, 'URL_FETCH_ERROR', 'Error fetching the URL'],
    ],
    {
      kind: 'transient',
      action: 'backoff',
      retry: { mode: 'backoff', initialDelayMs: 2_000, maxDelayMs: 30_000, maxAttempts: 3 },
      actor: 'nobody',
      meaning: 'TikTok could not fetch the file from the given URL; TikTok says a retry may resolve it.',
      causes: ['The source host was slow or briefly down.', 'The URL is not public.'],
      fix: ['Retried a few times; if it keeps failing, check that the URL is publicly reachable.'],
    },
  ),
  ...rows(
    [
      [40904, 'IMAGE_ILLEGAL_CONTENT', 'Illegal image content'],
      [40916, 'VIDEO_ILLEGAL_CONTENT', 'Illegal video content'],
    ],
    {
      kind: 'invalid_request',
      action: 'alert',
      retry: NEVER,
      actor: 'advertiser_owner',
      meaning: 'The creative was rejected for its content.',
      causes: ['The image or video breaks TikTok’s advertising policies.'],
      fix: ['Replace the creative; resubmitting the same file will be rejected again.'],
    },
  ),
  ...rows(
    [
      [40905, 'FILE_NOT_EXIST', 'File missing'],
      [40906, 'FILE_EMPTY', 'File empty'],
      [40907, 'FILE_TOO_LARGE', 'File too large'],
      [40908, 'FILE_TYPE_ERROR', 'Unsupported file type'],
      [40909, 'FILE_CALCULATE_TYPE_ERROR', 'Unsupported calculate_type'],
      [40910, 'FILE_EXPIRED', 'File expired'],
      [40915, 'FILE_UPLOAD_INVALID', 'File does not meet the endpoint’s specifications'],
    ],
    {
      ...FILE_PROBLEM,
      meaning:
        'The uploaded file is missing, empty, too large, of an unsupported type or otherwise out of specification.',
      causes: ['The file was not validated before upload.'],
      fix: ['Validate the file (≤500 MB; mp4, mov, mpeg or avi; 9:16, 16:9 or 1:1) and upload again.'],
    },
  ),
  row({
    ...FILE_PROBLEM,
    code: 40911,
    name: 'DUPLICATED_MATERIAL_NAME',
    title: 'Duplicate material name',
    meaning: 'A file with this name already exists in the account’s library; names are unique per account.',
    causes: ['The same file_name was uploaded twice.'],
    fix: ['Add a timestamp suffix to file_name, or check it first with /file/name/check/.'],
  }),
  row({
    ...FILE_PROBLEM,
    code: 40912,
    name: 'IMAGE_UNAVAILABLE',
    title: 'Image URL unavailable',
    meaning: 'The image’s URL is no longer available.',
    causes: ['An expired preview or image URL.'],
    fix: ['Fetch a fresh URL with /file/image/ad/info/.'],
  }),
];
