import { createHash } from 'node:crypto';
import type { EmulatedImage } from '../ads-model.ts';
import type { ApiRoute, CallContext } from '../api-route.ts';
import { ApiFailure } from '../envelope.ts';
import { jsonObjectParam, pageOf, paging, requiredString } from '../params.ts';
import { authorizedAdvertiser } from './advertiser.ts';
import { checkFileName, isFile, videoState, videoView } from './video.ts';

const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function imageView(image: EmulatedImage, baseUrl: string): Record<string, unknown> {
  return {
    image_id: image.imageId,
    material_id: image.materialId,
    file_name: image.fileName,
    width: image.width,
    height: image.height,
    format: image.format,
    size: image.size,
    signature: image.signature,
    image_url: `${baseUrl}/__media/${image.imageId}/image.${image.format}`,
    is_carousel_usable: image.width === image.height || image.width * 16 === image.height * 9,
    displayable: true,
    create_time: isoSeconds(image.createTime),
    modify_time: isoSeconds(image.createTime),
  };
}

/** An image uploaded by file (its MD5 signature checked) or by URL. */
function uploadImage(context: CallContext): EmulatedImage {
  const { body } = context;
  const advertiserId = requiredString(body, 'advertiser_id');
  authorizedAdvertiser(context, advertiserId, 'POST', '/file/image/ad/upload/');
  const uploadType = typeof body.upload_type === 'string' ? body.upload_type : 'UPLOAD_BY_FILE';
  const namedAs = typeof body.file_name === 'string' ? body.file_name : undefined;
  let signature: string;
  let size: number;
  let fileName: string;
  if (uploadType === 'UPLOAD_BY_FILE') {
    const file = body.image_file;
    if (!isFile(file)) throw new ApiFailure(40905, 'image_file: The file is missing.');
    signature = requiredString(body, 'image_signature').toLowerCase();
    if (signature !== createHash('md5').update(file.data).digest('hex'))
      throw new ApiFailure(40900, 'The image_signature does not match the MD5 of the uploaded file.');
    size = file.data.length;
    fileName = namedAs ?? (file.filename || `${signature}.jpg`);
  } else if (uploadType === 'UPLOAD_BY_URL') {
    const url = requiredString(body, 'image_url');
    if (!/^https?:\/\/[^\s/]+\/\S*/.test(url)) throw new ApiFailure(40002, 'image_url: Not a valid URL.');
    signature = createHash('md5').update(url).digest('hex');
    size = 200_000;
    fileName = namedAs ?? decodeURIComponent(url.split('/').pop() || 'image.jpg').slice(0, 100);
  } else {
    throw new ApiFailure(40002, 'upload_type: Must be one of UPLOAD_BY_FILE, UPLOAD_BY_URL.');
  }
  checkFileName(context, advertiserId, fileName);
  const image: EmulatedImage = {
    imageId: `ad-site-i18n-sg/${signature}`,
    advertiserId,
    materialId: context.ids.next('7'),
    fileName,
    signature,
    size,
    width: 1080,
    height: 1920,
    format: /\.png$/i.test(fileName) ? 'png' : 'jpeg',
    createTime: context.now,
  };
  context.state.images.set(image.imageId, image);
  return image;
}

/** Image upload and the video library search. */
export const CREATIVE_ROUTES: ApiRoute[] = [
  {
    method: 'POST',
    path: '/file/image/ad/upload/',
    auth: 'token',
    handle: (context) => imageView(uploadImage(context), context.baseUrl),
  },
  {
    method: 'GET',
    path: '/file/video/ad/search/',
    auth: 'token',
    handle(context) {
      const advertiserId = requiredString(context.query, 'advertiser_id');
      authorizedAdvertiser(context, advertiserId, 'GET', '/file/video/ad/search/');
      const filtering = jsonObjectParam(context.query, 'filtering') ?? {};
      const ids = Array.isArray(filtering.video_ids) ? filtering.video_ids.map(String) : null;
      const name = typeof filtering.file_name === 'string' ? filtering.file_name : null;
      const videos = [...context.state.videos.values()].filter(
        (v) =>
          v.advertiserId === advertiserId &&
          videoState(v, context.now) === 'ready' &&
          (!ids || ids.includes(v.videoId)) &&
          (!name || v.fileName.includes(name)),
      );
      const { page, pageSize } = paging(context.query, 100);
      const result = pageOf(videos, page, pageSize);
      return { ...result, list: result.list.map((v) => videoView(v, context.baseUrl, context.now)) };
    },
  },
];
