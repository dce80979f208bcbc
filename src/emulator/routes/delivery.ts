import type { CampaignFamily, EmulatedAd, EmulatedAdGroup, EmulatedCampaign } from '../ads-model.ts';
import type { ApiRoute, CallContext } from '../api-route.ts';
import { ApiFailure } from '../envelope.ts';
import { jsonArrayParam, jsonObjectParam, pageOf, paging, requiredString } from '../params.ts';
import { authorizedAdvertiser } from './advertiser.ts';

type Level = 'campaign' | 'adgroup' | 'ad';
export type Item = EmulatedCampaign | EmulatedAdGroup | EmulatedAd;

/** TikTok's time format in these responses: "2026-01-31 09:15:00" (UTC). */
export const tiktokTime = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

/** The coarse status TikTok filters by, derived from operation and secondary status. */
function primaryStatus(item: Item): string {
  if (item.operationStatus === 'DELETE') return 'STATUS_DELETE';
  if (item.operationStatus === 'DISABLE') return 'STATUS_DISABLE';
  if (item.operationStatus === 'FROZEN') return 'STATUS_FROZEN';
  return /_(DELIVERY_OK|ENABLE)$/.test(item.secondaryStatus) ? 'STATUS_DELIVERY_OK' : 'STATUS_NOT_DELIVERY';
}

/** Ads created through the API sit in review for a minute of emulator time, then deliver. */
export const REVIEW_MS = 60_000;

function settle(item: Item, now: number): Item {
  const ad = item as EmulatedAd;
  if (ad.reviewEndsAt !== undefined && now >= ad.reviewEndsAt) {
    if (ad.secondaryStatus === 'AD_STATUS_AUDIT') ad.secondaryStatus = 'AD_STATUS_DELIVERY_OK';
    ad.reviewEndsAt = undefined;
  }
  return item;
}

function view(context: CallContext, level: Level, item: Item): Record<string, unknown> {
  const { campaigns, adGroups } = context.state;
  const campaign = campaigns.get(
    (item as EmulatedAdGroup).campaignId ?? (item as EmulatedCampaign).campaignId,
  );
  const common = {
    advertiser_id: item.advertiserId,
    campaign_id: campaign?.campaignId ?? '',
    campaign_name: campaign?.name ?? '',
    operation_status: item.operationStatus,
    secondary_status: item.secondaryStatus,
    create_time: tiktokTime(item.createTime),
    modify_time: tiktokTime(item.modifyTime),
  };
  if (level === 'campaign') return { ...common, ...campaignFields(item as EmulatedCampaign) };
  if (level === 'adgroup') {
    const g = item as EmulatedAdGroup;
    return { ...common, ...adGroupFields(g, campaign) };
  }
  const a = item as EmulatedAd;
  return { ...common, adgroup_name: adGroups.get(a.adgroupId)?.name ?? '', ...adFields(a) };
}

/** A campaign's own fields (fact sheet §10: objective, type, structure, budget, bidding). */
function campaignFields(c: EmulatedCampaign) {
  return {
    campaign_type: 'REGULAR_CAMPAIGN',
    objective: 'LANDING_PAGE',
    objective_type: c.objectiveType,
    app_promotion_type: 'UNSET',
    is_new_structure: true,
    is_smart_performance_campaign: false,
    is_search_campaign: false,
    budget_mode: c.budgetMode,
    budget: c.budget,
    budget_optimize_on: false,
    roas_bid: 0,
    deep_bid_type: null,
    special_industries: [],
    rta_id: null,
    rta_bid_enabled: false,
    rta_product_selection_enabled: false,
  };
}

/** An ad group's own fields: budget, bidding, optimisation, schedule, placements and targeting. */
function adGroupFields(g: EmulatedAdGroup, campaign: EmulatedCampaign | undefined) {
  return {
    adgroup_id: g.adgroupId,
    adgroup_name: g.name,
    budget_mode: g.budgetMode,
    budget: g.budget,
    scheduled_budget: 0,
    pacing: 'PACING_MODE_SMOOTH',
    billing_event: 'OCPM',
    bid_type: 'BID_TYPE_NO_BID',
    bid_price: 0,
    conversion_bid_price: 0,
    deep_bid_type: null,
    deep_cpa_bid: 0,
    optimization_goal: g.optimizationGoal,
    optimization_event: g.optimizationGoal === 'CONVERT' ? 'SHOPPING' : null,
    pixel_id: g.optimizationGoal === 'CONVERT' ? '7200000000000000001' : null,
    promotion_type: 'WEBSITE',
    placement_type: 'PLACEMENT_TYPE_NORMAL',
    placements: g.placements,
    inventory_filter_enabled: false,
    search_result_enabled: false,
    comment_disabled: false,
    video_download_disabled: false,
    share_disabled: false,
    schedule_type: 'SCHEDULE_FROM_NOW',
    schedule_start_time: tiktokTime(g.createTime),
    schedule_end_time: tiktokTime(g.createTime + 10 * 365 * 86_400_000),
    dayparting: null,
    frequency: null,
    frequency_schedule: null,
    location_ids: ['6252001'],
    languages: [],
    gender: 'GENDER_UNLIMITED',
    age_groups: null,
    operating_systems: [],
    network_types: [],
    device_price_ranges: [],
    audience_ids: [],
    excluded_audience_ids: [],
    interest_category_ids: [],
    interest_keyword_ids: [],
    brand_safety_type: 'STANDARD_INVENTORY',
    is_hfss: false,
    is_new_structure: true,
    creative_material_mode: 'CUSTOM',
    skip_learning_phase: false,
    statistic_type: null,
    app_id: null,
    campaign_type: campaign ? 'REGULAR_CAMPAIGN' : null,
  };
}

/** An ad's own fields: format, creative, identity, texts, destinations and tracking. */
function adFields(a: EmulatedAd) {
  return {
    adgroup_id: a.adgroupId,
    ad_id: a.adId,
    ad_name: a.name,
    ad_format: 'SINGLE_VIDEO',
    creative_type: null,
    video_id: a.videoId,
    image_ids: [],
    ad_text: a.adText,
    ad_texts: null,
    call_to_action: a.callToAction,
    call_to_action_id: null,
    landing_page_url: a.landingPageUrl,
    landing_page_urls: null,
    display_name: a.name.split(' ')[0] ?? a.name,
    identity_type: 'CUSTOMIZED_USER',
    identity_id: null,
    identity_authorized_bc_id: null,
    avatar_icon_web_uri: null,
    profile_image_url: null,
    is_aco: false,
    is_new_structure: true,
    creative_authorized: false,
    music_id: null,
    card_id: null,
    page_id: null,
    deeplink: '',
    deeplink_type: 'NORMAL',
    fallback_type: 'UNSET',
    tracking_pixel_id: 0,
    impression_tracking_url: null,
    click_tracking_url: null,
    vast_moat_enabled: false,
    viewability_postbid_partner: 'UNSET',
    brand_safety_postbid_partner: 'UNSET',
    optimization_event: null,
    utm_params: null,
    dark_post_status: 'OFF',
    branded_content_disabled: null,
    app_name: '',
    playable_url: '',
    carousel_image_index: 0,
  };
}

const ID_KEY: Record<Level, string> = { campaign: 'campaign_id', adgroup: 'adgroup_id', ad: 'ad_id' };
const NAME_KEY: Record<Level, string> = { campaign: 'campaign_name', adgroup: 'adgroup_name', ad: 'ad_name' };

/** A level's objects of one campaign family (the classic listings leave Smart+ and GMV Max out). */
function listOf(context: CallContext, level: Level, family: CampaignFamily): Item[] {
  const { campaigns, adGroups, ads } = context.state;
  const source = level === 'campaign' ? campaigns : level === 'adgroup' ? adGroups : ads;
  return [...source.values()].filter((item) => (item.family ?? 'classic') === family);
}

function strings(filtering: Record<string, unknown>, key: string): string[] | undefined {
  const value = filtering[key];
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new ApiFailure(40002, `filtering.${key}: Field must be set to array`);
  return value.map(String);
}

function matches(level: Level, item: Item, filtering: Record<string, unknown>): boolean {
  const record = item as unknown as Record<string, unknown>;
  const idFilters: Array<[string, string]> = [
    ['campaign_ids', 'campaignId'],
    ['adgroup_ids', 'adgroupId'],
    ['ad_ids', 'adId'],
  ];
  for (const [key, property] of idFilters) {
    const wanted = strings(filtering, key);
    if (wanted && !wanted.includes(String(record[property]))) return false;
  }
  const name = filtering[NAME_KEY[level]];
  if (typeof name === 'string' && !item.name.toLowerCase().includes(name.toLowerCase())) return false;
  const objective = filtering.objective_type;
  if (typeof objective === 'string' && (item as EmulatedCampaign).objectiveType !== objective) return false;
  const modifiedAfter = filtering.modified_after;
  if (typeof modifiedAfter === 'string' && tiktokTime(item.modifyTime) <= modifiedAfter) return false;

  const primary =
    typeof filtering.primary_status === 'string' ? filtering.primary_status : 'STATUS_NOT_DELETE';
  const secondary = typeof filtering.secondary_status === 'string' ? filtering.secondary_status : undefined;
  const includesDeleted =
    primary === 'STATUS_ALL' || primary === 'STATUS_DELETE' || secondary?.endsWith('_STATUS_ALL');
  if (item.operationStatus === 'DELETE' && !includesDeleted) return false;
  if (secondary && !secondary.endsWith('_STATUS_ALL') && item.secondaryStatus !== secondary) return false;
  if (primary === 'STATUS_NOT_DELETE' || primary === 'STATUS_ALL') return true;
  return primaryStatus(item) === primary;
}

/**
 * A listing of one level of one campaign family: `/campaign/get/` for classic campaigns,
 * `/smart_plus/ad/get/` for Smart+ ads, and so on; `shape` turns the classic view into the family's.
 */
export function getRoute(
  level: Level,
  family: CampaignFamily = 'classic',
  shape: (row: Record<string, unknown>, item: Item) => Record<string, unknown> = (row) => row,
): ApiRoute {
  const path = family === 'classic' ? `/${level}/get/` : `/${family}/${level}/get/`;
  return {
    method: 'GET',
    path,
    auth: 'token',
    handle(context) {
      const advertiserId = requiredString(context.query, 'advertiser_id');
      authorizedAdvertiser(context, advertiserId, 'GET', path);
      const { page, pageSize } = paging(context.query, 1000);
      const fields = jsonArrayParam(context.query, 'fields');
      const filtering = jsonObjectParam(context.query, 'filtering') ?? {};
      // Everything the emulator seeds is AUCTION; other buying types are empty, as in TikTok.
      const buyingTypes = strings(filtering, 'buying_types');
      if (buyingTypes && !buyingTypes.includes('AUCTION')) return pageOf([], page, pageSize);
      const items = listOf(context, level, family)
        .filter((item) => item.advertiserId === advertiserId)
        .map((item) => settle(item, context.now))
        .filter((item) => matches(level, item, filtering));
      const result = pageOf(items, page, pageSize);
      return {
        ...result,
        list: result.list.map((item) => {
          const full = shape(view(context, level, item), item);
          if (!fields) return full;
          return Object.fromEntries(
            Object.entries(full).filter(
              ([key]) =>
                key === ID_KEY[level] || key === `smart_plus_${ID_KEY[level]}` || fields.includes(key),
            ),
          );
        }),
      };
    },
  };
}

/** Campaign, ad group and ad listings: fields, filtering, paging up to 1000. */
export const DELIVERY_ROUTES: ApiRoute[] = [getRoute('campaign'), getRoute('adgroup'), getRoute('ad')];
