import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { FormData } from 'undici';
import type { ParamValue } from '../call.ts';
import type { ClientCore } from '../client.ts';
import { listIn } from '../errors.ts';
import type {
  Ad,
  AdGroup,
  AdvertiserInfo,
  BusinessCenter,
  Campaign,
  DeliveryObject,
  Page,
  ReportRow,
  VideoInfo,
} from './types.ts';

const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** Listing options shared by campaigns, ad groups and ads. */
export interface ListOptions {
  fields?: string[];
  filtering?: Record<string, unknown>;
  /** @default 1000 (TikTok's maximum) */
  pageSize?: number;
  signal?: AbortSignal;
}

/** Report parameters, as TikTok names them. */
export interface ReportQuery {
  advertiser_id: string;
  report_type?: string;
  data_level?: string;
  dimensions: string[];
  metrics: string[];
  start_date?: string;
  end_date?: string;
  query_lifetime?: boolean;
  filtering?: Record<string, unknown>;
  [parameter: string]: ParamValue;
}

/** Data methods: advertisers, listings, reports, videos, ads, Business Centers, user info. */
export function dataMethods(core: ClientCore) {
  return { ...accountMethods(core), ...deliveryMethods(core), ...videoMethods(core) };
}

/** Every page of a listing, one row at a time. */
async function* pages<T>(
  core: ClientCore,
  path: string,
  query: Record<string, ParamValue>,
  advertiserId?: string,
  signal?: AbortSignal,
) {
  for (let page = 1; ; page++) {
    const data = await core.call<Page<T>>('GET', path, { query: { ...query, page }, advertiserId, signal });
    yield* listIn<T>(data, 'list', { method: 'GET', endpoint: path, advertiserId });
    if (!data.page_info || page >= data.page_info.total_page) return;
  }
}

/** Advertisers, Business Centers and the authorizing user. */
function accountMethods(core: ClientCore) {
  return {
    /** Account details for any number of advertisers, in concurrent batches of 100. */
    async getAdvertiserInfo(advertiserIds: readonly string[], options: { fields?: string[] } = {}) {
      const batches = await Promise.all(
        chunks(advertiserIds, 100).map((ids) =>
          core.call<{ list: AdvertiserInfo[] }>('GET', '/advertiser/info/', {
            query: { advertiser_ids: ids, fields: options.fields },
          }),
        ),
      );
      return batches.flatMap((b) =>
        listIn<AdvertiserInfo>(b, 'list', { method: 'GET', endpoint: '/advertiser/info/' }).map((a) => ({
          ...a,
          advertiser_id: String(a.advertiser_id),
        })),
      );
    },
    /** Business Centers the token can see. */
    businessCenters(options: { signal?: AbortSignal } = {}) {
      return pages<BusinessCenter>(core, '/bc/get/', { page_size: 50 }, undefined, options.signal);
    },
    /** The person who authorized the token. */
    getUserInfo() {
      return core.call<{ core_user_id: string; display_name: string; email?: string }>('GET', '/user/info/');
    },
  };
}

/** Campaigns, ad groups and ads (every page), reports, and ad creation. */
function deliveryMethods(core: ClientCore) {
  const listing =
    <T extends DeliveryObject>(level: 'campaign' | 'adgroup' | 'ad') =>
    (advertiserId: string, options: ListOptions = {}): AsyncGenerator<T> =>
      pages<T>(
        core,
        `/${level}/get/`,
        {
          advertiser_id: advertiserId,
          page_size: options.pageSize ?? 1000,
          fields: options.fields,
          filtering: options.filtering,
        },
        advertiserId,
        options.signal,
      );

  return {
    /** Every campaign of the advertiser (`filtering`: TikTok's, e.g. `{ secondary_status: '…' }`). */
    campaigns: listing<Campaign>('campaign'),
    /** Every ad group of the advertiser. */
    adGroups: listing<AdGroup>('adgroup'),
    /** Every ad of the advertiser. */
    ads: listing<Ad>('ad'),
    /** Synchronous report rows over every page (`report_type` BASIC by default). */
    report(
      query: ReportQuery,
      options: { pageSize?: number; signal?: AbortSignal } = {},
    ): AsyncGenerator<ReportRow> {
      return pages<ReportRow>(
        core,
        '/report/integrated/get/',
        { report_type: 'BASIC', page_size: options.pageSize ?? 1000, ...query },
        query.advertiser_id,
        options.signal,
      );
    },
    /** Creates ads. 40901 (video still transcoding) is polled by the retry step; pass replaySafe only if your creative names are unique. */
    async createAd(
      input: {
        advertiser_id: string;
        adgroup_id: string;
        creatives: Array<Record<string, unknown>>;
        [key: string]: unknown;
      },
      options: { replaySafe?: boolean } = {},
    ) {
      return core.call<{ ad_ids: string[] }>('POST', '/ad/create/', {
        body: input,
        advertiserId: input.advertiser_id,
        replaySafe: options.replaySafe,
      });
    },
  };
}

/** Video uploads, and waiting until TikTok has transcoded them. */
function videoMethods(core: ClientCore) {
  async function getVideoInfo(advertiserId: string, videoIds: readonly string[]): Promise<VideoInfo[]> {
    const batches = await Promise.all(
      chunks(videoIds, 60).map((ids) =>
        core.call<{ list: VideoInfo[] }>('GET', '/file/video/ad/info/', {
          query: { advertiser_id: advertiserId, video_ids: ids },
          advertiserId,
        }),
      ),
    );
    return batches.flatMap((b) => b.list ?? []);
  }

  return {
    /** Uploads a video by bytes (MD5 signature computed here) or by URL; returns the new video. */
    async uploadVideo(
      input: { advertiserId: string; fileName?: string } & ({ file: Uint8Array } | { url: string }),
    ): Promise<VideoInfo> {
      const body = uploadBody(input);
      // Each upload creates a new video, so it is not replayed after an ambiguous failure.
      const data = await core.call<VideoInfo[] | VideoInfo>('POST', '/file/video/ad/upload/', {
        body,
        advertiserId: input.advertiserId,
      });
      // TikTok documents a list; some clients see an object. Accept both.
      const video = Array.isArray(data) ? data[0] : data;
      if (!video?.video_id) throw new TypeError('the upload answer holds no video_id');
      return video;
    },
    getVideoInfo,
    /**
     * Polls until every video is listed and displayable (an id is absent while TikTok transcodes it),
     * backing off 2 s, 4 s, … up to 60 s. Rejects with the ids still missing at the deadline.
     */
    async waitForVideos(
      advertiserId: string,
      videoIds: readonly string[],
      options: {
        deadline: number;
        signal?: AbortSignal;
        initialDelayMs?: number;
        maxDelayMs?: number;
        now?: () => number;
      },
    ): Promise<VideoInfo[]> {
      const now = options.now ?? Date.now;
      const ready = new Map<string, VideoInfo>();
      let delay = options.initialDelayMs ?? 2_000;
      for (;;) {
        const pending = videoIds.filter((id) => !ready.has(id));
        for (const video of await getVideoInfo(advertiserId, pending))
          if (video.displayable !== false) ready.set(video.video_id, video);
        if (ready.size === new Set(videoIds).size) return videoIds.map((id) => ready.get(id)!);
        if (now() + delay > options.deadline) {
          const missing = videoIds.filter((id) => !ready.has(id));
          throw Object.assign(new Error(`videos not ready by the deadline: ${missing.join(', ')}`), {
            missing,
          });
        }
        await sleep(delay, undefined, { signal: options.signal });
        delay = Math.min(options.maxDelayMs ?? 60_000, delay * 2);
      }
    },
  };
}

/** An upload's body: the file as multipart with its MD5 signature (computed here), or the URL to fetch. */
function uploadBody(
  input: { advertiserId: string; fileName?: string } & ({ file: Uint8Array } | { url: string }),
): Record<string, unknown> | FormData {
  if (!('file' in input))
    return {
      advertiser_id: input.advertiserId,
      upload_type: 'UPLOAD_BY_URL',
      video_url: input.url,
      ...(input.fileName ? { file_name: input.fileName } : {}),
    };
  const form = new FormData();
  form.set('advertiser_id', input.advertiserId);
  form.set('upload_type', 'UPLOAD_BY_FILE');
  form.set('video_signature', createHash('md5').update(input.file).digest('hex'));
  if (input.fileName) form.set('file_name', input.fileName);
  form.set('video_file', new Blob([input.file as Uint8Array<ArrayBuffer>]), input.fileName ?? 'video.mp4');
  return form;
}
