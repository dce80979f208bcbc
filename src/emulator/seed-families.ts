import type { EmulatedAd, EmulatedAdGroup, EmulatedCampaign } from './ads-model.ts';
import type { createIdFactory } from './ids.ts';
import { hashOf, seededVideo, videoIdFrom } from './seed-ads.ts';
import type { EmulatedAdvertiser, EmulatorState } from './state.ts';

const DAY = 86_400_000;

/**
 * An upgraded Smart+ campaign (one ad group, two ads) for `advertiser`: what TikTok lists under
 * `/smart_plus/*` and leaves out of `/campaign/get/`.
 */
export function seedSmartPlus(
  state: EmulatorState,
  advertiser: EmulatedAdvertiser,
  ids: ReturnType<typeof createIdFactory>,
  now: number,
): void {
  const created = now - 21 * DAY;
  const campaign: EmulatedCampaign = {
    family: 'smart_plus',
    campaignId: ids.next('18'),
    advertiserId: advertiser.advertiserId,
    name: `${advertiser.name} | Smart+ Sales`,
    objectiveType: 'WEB_CONVERSIONS',
    budgetMode: 'BUDGET_MODE_DAY',
    budget: 100 + (hashOf(advertiser.advertiserId) % 8) * 25,
    operationStatus: 'ENABLE',
    secondaryStatus: 'CAMPAIGN_STATUS_ENABLE',
    createTime: created,
    modifyTime: created + 3_600_000,
  };
  state.campaigns.set(campaign.campaignId, campaign);
  const group: EmulatedAdGroup = {
    family: 'smart_plus',
    adgroupId: ids.next('17'),
    campaignId: campaign.campaignId,
    advertiserId: advertiser.advertiserId,
    name: 'Smart+ ad group',
    budgetMode: 'BUDGET_MODE_DAY',
    budget: campaign.budget,
    optimizationGoal: 'CONVERT',
    placements: ['PLACEMENT_TIKTOK'],
    operationStatus: 'ENABLE',
    secondaryStatus: 'ADGROUP_STATUS_DELIVERY_OK',
    createTime: created + 600_000,
    modifyTime: created + 600_000,
  };
  state.adGroups.set(group.adgroupId, group);
  for (const [index, creative] of ['Smart+ Creative Mix A', 'Smart+ Creative Mix B'].entries()) {
    const videoId = videoIdFrom(`${group.adgroupId}:smart:${index}`);
    state.videos.set(
      videoId,
      seededVideo(videoId, advertiser.advertiserId, `${creative}.mp4`, created, ids.next('7')),
    );
    const ad: EmulatedAd = {
      family: 'smart_plus',
      adId: ids.next('17'),
      adgroupId: group.adgroupId,
      campaignId: campaign.campaignId,
      advertiserId: advertiser.advertiserId,
      name: creative,
      videoId,
      adText: `${advertiser.name}: shop the range`,
      callToAction: 'SHOP_NOW',
      landingPageUrl: `https://www.example.com/${advertiser.name.toLowerCase().replace(/\W+/g, '-')}/smart`,
      operationStatus: 'ENABLE',
      secondaryStatus: 'AD_STATUS_DELIVERY_OK',
      createTime: created + 1_200_000,
      modifyTime: created + 1_200_000,
    };
    state.ads.set(ad.adId, ad);
  }
}

/** A product GMV Max campaign for `advertiser`'s TikTok Shop (listed only by `/gmv_max/campaign/get/`). */
export function seedGmvMax(
  state: EmulatorState,
  advertiser: EmulatedAdvertiser,
  ids: ReturnType<typeof createIdFactory>,
  now: number,
): void {
  const created = now - 35 * DAY;
  const campaign: EmulatedCampaign = {
    family: 'gmv_max',
    campaignId: ids.next('18'),
    advertiserId: advertiser.advertiserId,
    name: `${advertiser.name} | GMV Max – Shop`,
    objectiveType: 'PRODUCT_SALES',
    budgetMode: 'BUDGET_MODE_DAY',
    budget: 200 + (hashOf(advertiser.advertiserId) % 6) * 50,
    operationStatus: 'ENABLE',
    secondaryStatus: 'CAMPAIGN_STATUS_ENABLE',
    createTime: created,
    modifyTime: created + 3_600_000,
    storeId: `75${String(hashOf(`${advertiser.advertiserId}:shop`)).padStart(17, '0')}`,
    promotionType: 'PRODUCT_GMV_MAX',
  };
  state.campaigns.set(campaign.campaignId, campaign);
}

/** Which seeded advertisers run Smart+ and GMV Max campaigns (by their place in the seed). */
export const runsSmartPlus = (index: number) => index % 3 === 1;
export const runsGmvMax = (index: number) => index % 4 === 2;
