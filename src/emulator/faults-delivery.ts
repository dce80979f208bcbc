import { z } from 'zod';
import {
  type EmulatedAd,
  type EmulatedAdGroup,
  type EmulatedCampaign,
  SECONDARY_STATUS,
} from './ads-model.ts';
import { emitPush } from './push.ts';
import type { EmulatorState } from './state.ts';

/** Which campaign family a fault picks its target from, when it names none. */
const FAMILY = z.enum(['classic', 'smart_plus', 'gmv_max']).default('classic');

/** Faults on campaigns, ads and videos: rejections, budgets, balance, transcoding. */
export const DELIVERY_FAULTS = [
  z.strictObject({
    type: z.literal('rejectAd'),
    /** Absent: the first delivering ad of `advertiserId` (of any advertiser, for Smart+). */
    adId: z.string().optional(),
    advertiserId: z.string().optional(),
    family: FAMILY,
    /** The rejection reason review gives (Smart+ `ad/review_info/` shows it). */
    reason: z.string().min(1).max(500).optional(),
  }),
  z.strictObject({
    type: z.literal('exceedBudget'),
    /** `campaign` or `adgroup` budget used up, or the account's `balance` spent. */
    level: z.enum(['campaign', 'adgroup', 'balance']).default('campaign'),
    /** Campaign or ad group id; absent: the first delivering one of `advertiserId` (any, for Smart+ and GMV Max). */
    id: z.string().optional(),
    advertiserId: z.string().optional(),
    family: FAMILY,
  }),
  z.strictObject({
    type: z.literal('videoProcessing'),
    /** How long new uploads take to transcode (emulator time). */
    delayMs: z.number().int().min(0).optional(),
    /** Whether new uploads fail to transcode. */
    fail: z.boolean().optional(),
  }),
  z.strictObject({ type: z.literal('failVideo'), videoId: z.string() }),
  z.strictObject({
    type: z.literal('restoreDelivery'),
    /** Absent: every advertiser. */
    advertiserId: z.string().optional(),
  }),
  z.strictObject({
    /** The advertiser stops spending from now (statuses unchanged: what a spend watch must see by itself). */
    type: z.literal('stopDelivery'),
    advertiserId: z.string(),
  }),
  z.strictObject({
    /** The advertiser spends `factor` times its usual from now. */
    type: z.literal('spendSpike'),
    advertiserId: z.string(),
    factor: z.number().positive().max(100).default(4),
  }),
] as const;

type DeliveryFault = z.output<(typeof DELIVERY_FAULTS)[number]>;

/** The fault types defined here. */
function delivering<
  T extends { advertiserId: string; operationStatus: string; secondaryStatus: string; family?: string },
>(items: Iterable<T>, advertiserId: string | undefined, family = 'classic'): T | undefined {
  if (!advertiserId && family === 'classic') return undefined;
  for (const item of items) {
    if (
      (!advertiserId || item.advertiserId === advertiserId) &&
      (item.family ?? 'classic') === family &&
      item.operationStatus === 'ENABLE' &&
      /(DELIVERY_OK|ENABLE)$/.test(item.secondaryStatus)
    )
      return item;
  }
  return undefined;
}

function mark(
  ads: Iterable<EmulatedAd>,
  predicate: (ad: EmulatedAd) => boolean,
  status: string,
  now: number,
) {
  let count = 0;
  for (const ad of ads) {
    if (ad.operationStatus === 'DELETE' || !predicate(ad)) continue;
    ad.secondaryStatus = status;
    ad.modifyTime = now;
    ad.reviewEndsAt = undefined;
    count += 1;
  }
  return count;
}

/** Applies a delivery fault; throws a RangeError naming what it could not find. */
export function applyDeliveryFault(
  state: EmulatorState,
  fault: DeliveryFault,
  now: number,
): Record<string, unknown> {
  switch (fault.type) {
    case 'rejectAd': {
      const ad = fault.adId
        ? state.ads.get(fault.adId)
        : delivering(state.ads.values(), fault.advertiserId, fault.family);
      if (!ad)
        throw new RangeError(
          fault.adId
            ? `unknown ad ${fault.adId}`
            : 'rejectAd needs adId or an advertiserId with a delivering ad',
        );
      mark([ad], () => true, 'AD_STATUS_AUDIT_DENY', now);
      ad.rejectReason = fault.reason;
      emitPush(state, {
        entity: 'AD',
        advertiserId: ad.advertiserId,
        at: now,
        content: {
          advertiser_id: ad.advertiserId,
          ad_id: ad.adId,
          ad_name: ad.name,
          review_status: 'REJECTED',
          reject_reason: fault.reason ?? 'Misleading claims in the ad text',
          status_change_time: Math.floor(now / 1000),
        },
      });
      return { adId: ad.adId, advertiserId: ad.advertiserId, secondaryStatus: ad.secondaryStatus };
    }
    case 'exceedBudget':
      return exceedBudget(state, fault, now);
    case 'videoProcessing':
      if (fault.delayMs !== undefined) state.videoProcessing.delayMs = fault.delayMs;
      if (fault.fail !== undefined) state.videoProcessing.fail = fault.fail;
      return { ...state.videoProcessing };
    case 'failVideo':
      return failVideo(state, fault, now);
    case 'restoreDelivery':
      return restoreDelivery(state, fault, now);
    case 'stopDelivery':
    case 'spendSpike': {
      if (!state.advertisers.has(fault.advertiserId))
        throw new RangeError(`unknown advertiser ${fault.advertiserId}`);
      const factor = fault.type === 'stopDelivery' ? 0 : fault.factor;
      state.spendChanges.push({ advertiserId: fault.advertiserId, from: now, factor });
      return { advertiserId: fault.advertiserId, factor, from: new Date(now).toISOString() };
    }
  }
}

/** A campaign's or ad group's budget, or the account's balance, spent: its ads stop. */
function exceedBudget(
  state: EmulatorState,
  fault: Extract<DeliveryFault, { type: 'exceedBudget' }>,
  now: number,
) {
  if (fault.level === 'balance') {
    const advertiser = state.advertisers.get(fault.advertiserId ?? fault.id ?? '');
    if (!advertiser) throw new RangeError('exceedBudget (balance) needs a known advertiserId');
    advertiser.balance = 0;
    for (const group of state.adGroups.values()) {
      if (group.advertiserId === advertiser.advertiserId && group.operationStatus === 'ENABLE')
        Object.assign(group, { secondaryStatus: 'ADGROUP_STATUS_BALANCE_EXCEED', modifyTime: now });
    }
    const ads = mark(
      state.ads.values(),
      (ad) => ad.advertiserId === advertiser.advertiserId,
      'AD_STATUS_BALANCE_EXCEED',
      now,
    );
    return { advertiserId: advertiser.advertiserId, ads };
  }
  const source: Map<string, EmulatedCampaign | EmulatedAdGroup> =
    fault.level === 'campaign' ? state.campaigns : state.adGroups;
  const target = fault.id
    ? source.get(fault.id)
    : delivering(source.values(), fault.advertiserId, fault.family);
  if (!target) throw new RangeError(`exceedBudget found no ${fault.level}${fault.id ? ` ${fault.id}` : ''}`);
  target.secondaryStatus =
    fault.level === 'campaign' ? 'CAMPAIGN_STATUS_BUDGET_EXCEED' : 'ADGROUP_STATUS_BUDGET_EXCEED';
  target.modifyTime = now;
  const id = 'adgroupId' in target ? target.adgroupId : target.campaignId;
  const ads =
    fault.level === 'campaign'
      ? mark(state.ads.values(), (ad) => ad.campaignId === id, 'AD_STATUS_CAMPAIGN_EXCEED', now)
      : mark(state.ads.values(), (ad) => ad.adgroupId === id, 'AD_STATUS_BUDGET_EXCEED', now);
  return { id, advertiserId: target.advertiserId, secondaryStatus: target.secondaryStatus, ads };
}

/** A video TikTok could not transcode: the ads using it, and their ad groups, cannot deliver. */
function failVideo(state: EmulatorState, fault: Extract<DeliveryFault, { type: 'failVideo' }>, now: number) {
  const video = state.videos.get(fault.videoId);
  if (!video) throw new RangeError(`unknown video ${fault.videoId}`);
  video.failed = true;
  const users = [...state.ads.values()].filter((ad) => ad.videoId === video.videoId);
  const groups = new Set(users.map((ad) => ad.adgroupId));
  const ads = mark(users, () => true, 'AD_STATUS_TRANSCODING_FAIL', now);
  for (const id of groups) {
    const group = state.adGroups.get(id);
    if (group) Object.assign(group, { secondaryStatus: 'ADGROUP_STATUS_TRANSCODING_FAIL', modifyTime: now });
  }
  return { videoId: video.videoId, ads };
}

/** Everything (of one advertiser) back to the status its operation status gives it. */
function restoreDelivery(
  state: EmulatorState,
  fault: Extract<DeliveryFault, { type: 'restoreDelivery' }>,
  now: number,
) {
  let restored = 0;
  const levels = [
    [state.campaigns, SECONDARY_STATUS.campaign],
    [state.adGroups, SECONDARY_STATUS.adgroup],
    [state.ads, SECONDARY_STATUS.ad],
  ] as const;
  for (const [items, healthy] of levels) {
    for (const item of items.values()) {
      if (fault.advertiserId && item.advertiserId !== fault.advertiserId) continue;
      const next = healthy[item.operationStatus];
      if (item.secondaryStatus !== next && item.secondaryStatus !== 'AD_STATUS_AUDIT') {
        Object.assign(item, { secondaryStatus: next, modifyTime: now });
        restored += 1;
      }
    }
  }
  // Spend returns to its usual level too.
  const advertisers = fault.advertiserId ? [fault.advertiserId] : [...state.advertisers.keys()];
  for (const advertiserId of advertisers) state.spendChanges.push({ advertiserId, from: now, factor: 1 });
  return { restored };
}
