import { createHash } from 'node:crypto';
import type { EmulatedVideo } from '../ads-model.ts';
import type { ApiRoute, CallContext } from '../api-route.ts';
import { ApiFailure } from '../envelope.ts';
import { jsonArrayParam, requiredString } from '../params.ts';
import { videoIdFrom } from '../seed-ads.ts';
import { authorizedAdvertiser } from './advertiser.ts';
import { tiktokTime } from './delivery.ts';

/** A file part of a multipart body, as the server's multipart parser hands it over. */
export interface UploadedFile {
  filename: string;
  data: Buffer;
}

/** A multipart file part. */
export const isFile = (value: unknown): value is UploadedFile =>
  typeof value === 'object' && value !== null && Buffer.isBuffer((value as UploadedFile).data);

/** A video is usable once transcoded; a failed one is never listed (TikTok leaves it out silently). */
export function videoState(video: EmulatedVideo, now: number): 'processing' | 'ready' | 'failed' {
  if (video.failed) return 'failed';
  return now >= video.readyAt ? 'ready' : 'processing';
}

export function videoView(video: EmulatedVideo, baseUrl: string, now: number): Record<string, unknown> {
  const previewExpires = now + 6 * 3_600_000;
  return {
    video_id: video.videoId,
    material_id: video.materialId,
    file_name: video.fileName,
    displayable: true,
    width: video.width,
    height: video.height,
    duration: video.durationSeconds,
    bit_rate: Math.round((video.size * 8) / video.durationSeconds),
    format: video.format,
    size: video.size,
    signature: video.signature,
    video_cover_url: `${baseUrl}/__media/${video.videoId}/cover.jpg`,
    preview_url: `${baseUrl}/__media/${video.videoId}/preview.mp4`,
    preview_url_expire_time: tiktokTime(previewExpires),
    allowed_placements: ['PLACEMENT_TIKTOK', 'PLACEMENT_PANGLE'],
    allow_download: true,
    create_time: new Date(video.createTime).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    modify_time: new Date(Math.min(now, video.readyAt)).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}

function newVideo(
  context: CallContext,
  advertiserId: string,
  input: { fileName: string; signature: string; size: number },
): EmulatedVideo {
  const { videoProcessing } = context.state;
  const nonce = context.ids.next('9');
  const videoId = videoIdFrom(`${advertiserId}:${nonce}`);
  const video: EmulatedVideo = {
    videoId,
    advertiserId,
    materialId: context.ids.next('7'),
    fileName: input.fileName,
    signature: input.signature,
    size: input.size,
    width: 720,
    height: 1280,
    durationSeconds: 15,
    format: 'mp4',
    createTime: context.now,
    readyAt: context.now + videoProcessing.delayMs,
    failed: videoProcessing.fail,
  };
  context.state.videos.set(videoId, video);
  return video;
}

export function checkFileName(context: CallContext, advertiserId: string, fileName: string): void {
  if (fileName.length < 1 || fileName.length > 100)
    throw new ApiFailure(40002, 'file_name: Length must be between 1 and 100.');
  const library = [...context.state.videos.values(), ...context.state.images.values()];
  if (library.some((m) => m.advertiserId === advertiserId && m.fileName === fileName))
    throw new ApiFailure(40911, 'Duplicated material name.');
}

function upload(context: CallContext): EmulatedVideo {
  const body = context.body;
  const advertiserId = requiredString(body, 'advertiser_id');
  authorizedAdvertiser(context, advertiserId, 'POST', '/file/video/ad/upload/');
  const uploadType = typeof body.upload_type === 'string' ? body.upload_type : 'UPLOAD_BY_FILE';
  const namedAs = typeof body.file_name === 'string' ? body.file_name : undefined;
  switch (uploadType) {
    case 'UPLOAD_BY_FILE': {
      const file = body.video_file;
      if (!isFile(file)) throw new ApiFailure(40905, 'video_file: The file is missing.');
      if (file.data.length === 0) throw new ApiFailure(40906, 'video_file: The file is empty.');
      const signature = requiredString(body, 'video_signature').toLowerCase();
      const actual = createHash('md5').update(file.data).digest('hex');
      if (signature !== actual)
        throw new ApiFailure(40900, 'The video_signature does not match the MD5 of the uploaded file.');
      const fileName = namedAs ?? (file.filename || `${actual}.mp4`);
      checkFileName(context, advertiserId, fileName);
      return newVideo(context, advertiserId, { fileName, signature, size: file.data.length });
    }
    case 'UPLOAD_BY_URL': {
      const url = requiredString(body, 'video_url');
      if (!/^https?:\/\/[^\s/]+\/\S*/.test(url)) throw new ApiFailure(40002, 'video_url: Not a valid URL.');
      const fileName = namedAs ?? decodeURIComponent(url.split('/').pop() || 'video.mp4').slice(0, 100);
      checkFileName(context, advertiserId, fileName);
      const signature = createHash('md5').update(url).digest('hex');
      return newVideo(context, advertiserId, { fileName, signature, size: 3_000_000 });
    }
    case 'UPLOAD_BY_VIDEO_ID': {
      const source = context.state.videos.get(requiredString(body, 'video_id'));
      if (!source || source.advertiserId !== advertiserId || source.failed)
        throw new ApiFailure(40053, 'Invalid video id.');
      const fileName = namedAs ?? `${source.fileName.replace(/\.\w+$/, '')} (copy).${source.format}`;
      checkFileName(context, advertiserId, fileName);
      return newVideo(context, advertiserId, { ...source, fileName });
    }
    default:
      throw new ApiFailure(
        40002,
        `upload_type: Must be one of UPLOAD_BY_FILE, UPLOAD_BY_URL, UPLOAD_BY_VIDEO_ID (the emulator has no file library for UPLOAD_BY_FILE_ID).`,
      );
  }
}

/** Video upload (multipart by file with MD5 check, by URL, by video id) and the info lookup. */
export const VIDEO_ROUTES: ApiRoute[] = [
  {
    method: 'POST',
    path: '/file/video/ad/upload/',
    auth: 'token',
    handle(context) {
      const video = upload(context);
      // An upload by URL is fetched by TikTok later: the answer holds only the new id (read the rest on
      // /file/video/ad/info/ once it is transcoded). A file upload answers the video, not yet displayable.
      if (context.body.upload_type === 'UPLOAD_BY_URL') return [{ video_id: video.videoId }];
      return [{ ...videoView(video, context.baseUrl, context.now), displayable: false }];
    },
  },
  {
    method: 'GET',
    path: '/file/video/ad/info/',
    auth: 'token',
    handle(context) {
      const advertiserId = requiredString(context.query, 'advertiser_id');
      authorizedAdvertiser(context, advertiserId, 'GET', '/file/video/ad/info/');
      const ids = jsonArrayParam(context.query, 'video_ids', { required: true })!;
      if (ids.length > 60) throw new ApiFailure(40011, 'video_ids: Longer than maximum length 60.');
      const list = ids
        .map((id) => context.state.videos.get(id))
        .filter(
          (video): video is EmulatedVideo =>
            !!video && video.advertiserId === advertiserId && videoState(video, context.now) === 'ready',
        )
        .map((video) => videoView(video, context.baseUrl, context.now));
      return { list };
    },
  },
];
