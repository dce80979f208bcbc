import type { EmulatedAd } from '../ads-model.ts';
import type { ApiRoute } from '../api-route.ts';
import { ApiFailure } from '../envelope.ts';
import { requiredString } from '../params.ts';
import { authorizedAdvertiser } from './advertiser.ts';
import { REVIEW_MS } from './delivery.ts';
import { videoState } from './video.ts';

interface CreativeInput {
  ad_name?: unknown;
  ad_text?: unknown;
  video_id?: unknown;
  call_to_action?: unknown;
  landing_page_url?: unknown;
}

/** `POST /ad/create/`: 40901 while a referenced video transcodes, 40053 for an unusable one. */
export const AD_CREATE_ROUTES: ApiRoute[] = [
  {
    method: 'POST',
    path: '/ad/create/',
    auth: 'token',
    handle(context) {
      const { state, body, now } = context;
      const advertiserId = requiredString(body, 'advertiser_id');
      authorizedAdvertiser(context, advertiserId, 'POST', '/ad/create/');
      const adgroupId = requiredString(body, 'adgroup_id');
      const group = state.adGroups.get(adgroupId);
      if (!group || group.advertiserId !== advertiserId || group.operationStatus === 'DELETE')
        throw new ApiFailure(40002, `adgroup_id: Ad group ${adgroupId} does not exist.`);
      const creatives = body.creatives;
      if (!Array.isArray(creatives) || creatives.length === 0)
        throw new ApiFailure(40002, 'creatives: Missing data for required field.');
      if (creatives.length > 20) throw new ApiFailure(40002, 'creatives: Longer than maximum length 20.');

      // Validate every creative before creating anything: TikTok's create is all or nothing.
      const checked = (creatives as CreativeInput[]).map((creative, index) => {
        const name = creative.ad_name;
        if (typeof name !== 'string' || name.length === 0 || name.length > 512)
          throw new ApiFailure(40002, `creatives[${index}].ad_name: Length must be between 1 and 512.`);
        const videoId = creative.video_id;
        if (typeof videoId !== 'string' || videoId === '')
          throw new ApiFailure(40002, `creatives[${index}].video_id: Missing data for required field.`);
        const video = state.videos.get(videoId);
        if (!video || video.advertiserId !== advertiserId) throw new ApiFailure(40053, 'Invalid video id.');
        const status = videoState(video, now);
        if (status === 'failed') throw new ApiFailure(40053, 'Invalid video id.');
        if (status === 'processing')
          throw new ApiFailure(40901, 'Video transcoding in process, please try again later.');
        return { creative, name, videoId };
      });

      const created = checked.map(({ creative, name, videoId }) => {
        const ad: EmulatedAd = {
          adId: context.ids.next('17'),
          adgroupId,
          campaignId: group.campaignId,
          advertiserId,
          name,
          videoId,
          adText: typeof creative.ad_text === 'string' ? creative.ad_text : '',
          callToAction: typeof creative.call_to_action === 'string' ? creative.call_to_action : 'LEARN_MORE',
          landingPageUrl: typeof creative.landing_page_url === 'string' ? creative.landing_page_url : '',
          operationStatus: 'ENABLE',
          secondaryStatus: 'AD_STATUS_AUDIT',
          createTime: now,
          modifyTime: now,
          reviewEndsAt: now + REVIEW_MS,
        };
        state.ads.set(ad.adId, ad);
        return ad;
      });
      return {
        ad_ids: created.map((ad) => ad.adId),
        creatives: created.map((ad) => ({ ad_id: ad.adId, ad_name: ad.name, video_id: ad.videoId })),
      };
    },
  },
];
