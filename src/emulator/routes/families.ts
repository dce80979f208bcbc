import type { EmulatedAd, EmulatedCampaign } from '../ads-model.ts';
import type { ApiRoute } from '../api-route.ts';
import { ApiFailure } from '../envelope.ts';
import { jsonArrayParam, jsonObjectParam, requiredString } from '../params.ts';
import { authorizedAdvertiser } from './advertiser.ts';
import { getRoute } from './delivery.ts';

/** What `/smart_plus/ad/review_info/` says of an ad, from its secondary status. */
function reviewOf(ad: EmulatedAd) {
  if (ad.secondaryStatus === 'AD_STATUS_AUDIT')
    return { review_status: 'IN_REVIEW', rejection_info: [] as unknown[] };
  if (/AUDIT_DENY|REJECTED/.test(ad.secondaryStatus))
    return {
      review_status: 'REJECTED',
      rejection_info: [
        {
          reason: ad.rejectReason ?? 'Misleading claims in the ad text',
          suggestion: 'Edit the creative so it meets TikTok Advertising Policies, then submit it again.',
        },
      ],
    };
  return { review_status: 'APPROVED', rejection_info: [] as unknown[] };
}

const reviewInfo: ApiRoute = {
  method: 'GET',
  path: '/smart_plus/ad/review_info/',
  auth: 'token',
  handle(context) {
    const advertiserId = requiredString(context.query, 'advertiser_id');
    authorizedAdvertiser(context, advertiserId, 'GET', '/smart_plus/ad/review_info/');
    const ids = jsonArrayParam(context.query, 'smart_plus_ad_ids');
    if (!ids || ids.length === 0)
      throw new ApiFailure(40002, 'smart_plus_ad_ids: Missing data for required field.');
    if (ids.length > 100) throw new ApiFailure(40002, 'smart_plus_ad_ids: Length must be between 1 and 100.');
    const list = ids.map(String).flatMap((id) => {
      const ad = context.state.ads.get(id);
      if (!ad || ad.advertiserId !== advertiserId || ad.family !== 'smart_plus') return [];
      return [{ smart_plus_ad_id: ad.adId, ad_name: ad.name, ...reviewOf(ad) }];
    });
    return { list };
  },
};

/** GMV Max lists only with the promotion types asked for, as TikTok requires them. */
function gmvMaxShape(row: Record<string, unknown>, item: EmulatedCampaign) {
  return {
    advertiser_id: row.advertiser_id,
    campaign_id: row.campaign_id,
    campaign_name: row.campaign_name,
    operation_status: row.operation_status,
    secondary_status: row.secondary_status,
    create_time: row.create_time,
    modify_time: row.modify_time,
    store_id: item.storeId ?? null,
    gmv_max_promotion_type: item.promotionType ?? 'PRODUCT_GMV_MAX',
    shopping_ads_type: item.promotionType === 'LIVE_GMV_MAX' ? 'LIVE' : 'PRODUCT',
    budget: item.budget,
    roas_bid: 4.5,
    schedule_type: 'SCHEDULE_FROM_NOW',
  };
}

const gmvMaxCampaigns = getRoute('campaign', 'gmv_max', (row, item) =>
  gmvMaxShape(row, item as EmulatedCampaign),
);

/**
 * Upgraded Smart+ (`/smart_plus/campaign|adgroup|ad/get/`, `/smart_plus/ad/review_info/`) and GMV Max
 * (`/gmv_max/campaign/get/`): campaign families the classic listings leave out (fact sheet §10).
 */
export const FAMILY_ROUTES: ApiRoute[] = [
  getRoute('campaign', 'smart_plus', (row) => ({ ...row, is_smart_performance_campaign: true })),
  getRoute('adgroup', 'smart_plus'),
  getRoute('ad', 'smart_plus', (row) => ({ smart_plus_ad_id: row.ad_id, ...row })),
  reviewInfo,
  {
    ...gmvMaxCampaigns,
    handle(context) {
      const types = jsonObjectParam(context.query, 'filtering');
      if (!Array.isArray(types?.gmv_max_promotion_types))
        throw new ApiFailure(40002, 'filtering.gmv_max_promotion_types: Missing data for required field.');
      const page = gmvMaxCampaigns.handle(context) as { list: Array<Record<string, unknown>> };
      const wanted = types.gmv_max_promotion_types.map(String);
      return { ...page, list: page.list.filter((c) => wanted.includes(String(c.gmv_max_promotion_type))) };
    },
  },
];
