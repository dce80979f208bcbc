import type { EmulatedAd, EmulatedAdGroup, EmulatedCampaign } from '../ads-model.ts';
import type { ApiRoute, CallContext } from '../api-route.ts';
import { ApiFailure } from '../envelope.ts';
import { jsonArrayParam, jsonObjectParam, pageOf, paging, requiredString } from '../params.ts';
import { authorizedAdvertiser } from './advertiser.ts';

type Level = 'campaign' | 'adgroup' | 'ad';
type Item = EmulatedCampaign | EmulatedAdGroup | EmulatedAd;

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
  if (level === 'campaign') {
    const c = item as EmulatedCampaign;
    return {
      ...common,
      objective_type: c.objectiveType,
      budget_mode: c.budgetMode,
      budget: c.budget,
      buying_type: 'AUCTION',
      is_smart_performance_campaign: false,
    };
  }
  if (level === 'adgroup') {
    const g = item as EmulatedAdGroup;
    return {
      ...common,
      adgroup_id: g.adgroupId,
      adgroup_name: g.name,
      budget_mode: g.budgetMode,
      budget: g.budget,
      optimization_goal: g.optimizationGoal,
      placement_type: 'PLACEMENT_TYPE_NORMAL',
      placements: g.placements,
    };
  }
  const a = item as EmulatedAd;
  return {
    ...common,
    adgroup_id: a.adgroupId,
    adgroup_name: adGroups.get(a.adgroupId)?.name ?? '',
    ad_id: a.adId,
    ad_name: a.name,
    ad_format: 'SINGLE_VIDEO',
    video_id: a.videoId,
    ad_text: a.adText,
    call_to_action: a.callToAction,
    landing_page_url: a.landingPageUrl,
  };
}

const ID_KEY: Record<Level, string> = { campaign: 'campaign_id', adgroup: 'adgroup_id', ad: 'ad_id' };
const NAME_KEY: Record<Level, string> = { campaign: 'campaign_name', adgroup: 'adgroup_name', ad: 'ad_name' };

function listOf(context: CallContext, level: Level): Item[] {
  const { campaigns, adGroups, ads } = context.state;
  const source = level === 'campaign' ? campaigns : level === 'adgroup' ? adGroups : ads;
  return [...source.values()];
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

function getRoute(level: Level): ApiRoute {
  const path = `/${level}/get/`;
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
      const items = listOf(context, level)
        .filter((item) => item.advertiserId === advertiserId)
        .map((item) => settle(item, context.now))
        .filter((item) => matches(level, item, filtering));
      const result = pageOf(items, page, pageSize);
      return {
        ...result,
        list: result.list.map((item) => {
          const full = view(context, level, item);
          if (!fields) return full;
          return Object.fromEntries(
            Object.entries(full).filter(([key]) => key === ID_KEY[level] || fields.includes(key)),
          );
        }),
      };
    },
  };
}

/** Campaign, ad group and ad listings: fields, filtering, paging up to 1000. */
export const DELIVERY_ROUTES: ApiRoute[] = [getRoute('campaign'), getRoute('adgroup'), getRoute('ad')];
