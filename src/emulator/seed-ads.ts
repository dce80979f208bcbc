import { createHash } from 'node:crypto';
import type {
  EmulatedAd,
  EmulatedAdGroup,
  EmulatedCampaign,
  EmulatedVideo,
  OperationStatus,
} from './ads-model.ts';
import { SECONDARY_STATUS } from './ads-model.ts';
import type { createIdFactory } from './ids.ts';
import type { EmulatedAdvertiser, EmulatorState } from './state.ts';

const CAMPAIGNS = [
  ['Always-On Prospecting', 'REACH'],
  ['Spring Sale 2026', 'WEB_CONVERSIONS'],
  ['App Installs Q4', 'APP_PROMOTION'],
  ['Retargeting – Cart Abandoners', 'WEB_CONVERSIONS'],
  ['Brand Awareness', 'REACH'],
  ['Holiday Gift Guide', 'TRAFFIC'],
  ['Video Views – New Collection', 'VIDEO_VIEWS'],
] as const;
const AUDIENCES = [
  'US 18-34 Broad',
  'Lookalike 1%',
  'Interest: Outdoors',
  'Website Visitors 30d',
  'UK 25-44',
];
const CREATIVES = [
  'UGC Unboxing 15s',
  'Founder Story 30s',
  'Product Demo 9:16',
  'Testimonial Cut',
  'Trend Remix',
];
const CTAS = ['SHOP_NOW', 'LEARN_MORE', 'DOWNLOAD', 'SIGN_UP', 'ORDER_NOW'];
const GOALS: Record<string, string> = {
  REACH: 'REACH',
  WEB_CONVERSIONS: 'CONVERT',
  APP_PROMOTION: 'INSTALL',
  TRAFFIC: 'CLICK',
  VIDEO_VIEWS: 'ENGAGED_VIEW',
};

/** A small deterministic number from text, for varied but repeatable seeds. */
export function hashOf(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

/** A ready, displayable video as an upload would leave it once transcoded. */
export function seededVideo(
  videoId: string,
  advertiserId: string,
  fileName: string,
  now: number,
  materialId: string,
): EmulatedVideo {
  const h = hashOf(videoId);
  return {
    videoId,
    advertiserId,
    materialId,
    fileName,
    signature: createHash('md5').update(videoId).digest('hex'),
    size: 2_000_000 + (h % 30_000_000),
    width: 720,
    height: 1280,
    durationSeconds: [9, 15, 21, 30, 60][h % 5]!,
    format: 'mp4',
    createTime: now,
    readyAt: now,
    failed: false,
  };
}

/** A TikTok-looking video id: "v10033g50000" followed by 20 lowercase letters and digits. */
export function videoIdFrom(seed: string): string {
  return `v10033g50000${createHash('sha256').update(seed).digest('hex').slice(0, 20)}`;
}

/**
 * Gives `advertiser` 2–4 campaigns, each with 1–3 ad groups of 1–3 ads and their videos. Mostly
 * delivering; some paused, one ad in review, one campaign finished — what a real account looks like.
 */
export function seedCampaigns(
  state: EmulatorState,
  advertiser: EmulatedAdvertiser,
  ids: ReturnType<typeof createIdFactory>,
  now: number,
): void {
  const h = hashOf(advertiser.advertiserId);
  const count = 2 + (h % 3);
  for (let c = 0; c < count; c++) {
    const [label, objective] = CAMPAIGNS[(h + c * 3) % CAMPAIGNS.length]!;
    const created = now - (60 - c * 11) * 86_400_000;
    const operation: OperationStatus = c === 2 ? 'DISABLE' : 'ENABLE';
    const campaign: EmulatedCampaign = {
      campaignId: ids.next('18'),
      advertiserId: advertiser.advertiserId,
      name: `${advertiser.name} | ${label}`,
      objectiveType: objective,
      budgetMode: c % 2 === 0 ? 'BUDGET_MODE_DAY' : 'BUDGET_MODE_INFINITE',
      budget: c % 2 === 0 ? 50 + ((h >>> c) % 20) * 25 : 0,
      operationStatus: operation,
      secondaryStatus: SECONDARY_STATUS.campaign[operation],
      createTime: created,
      modifyTime: created + 3_600_000,
    };
    state.campaigns.set(campaign.campaignId, campaign);
    const groups = 1 + ((h >>> (c + 2)) % 3);
    for (let g = 0; g < groups; g++) {
      const group: EmulatedAdGroup = {
        adgroupId: ids.next('17'),
        campaignId: campaign.campaignId,
        advertiserId: advertiser.advertiserId,
        name: `${label} – ${AUDIENCES[(h + g) % AUDIENCES.length]}`,
        budgetMode: 'BUDGET_MODE_DAY',
        budget: 20 + g * 15,
        optimizationGoal: GOALS[objective] ?? 'CLICK',
        placements: ['PLACEMENT_TIKTOK'],
        operationStatus: operation,
        secondaryStatus: SECONDARY_STATUS.adgroup[operation],
        createTime: created + 600_000,
        modifyTime: created + 7_200_000,
      };
      state.adGroups.set(group.adgroupId, group);
      const ads = 1 + ((h >>> (c + g + 4)) % 3);
      for (let a = 0; a < ads; a++) {
        const creative = CREATIVES[(h + c + g + a) % CREATIVES.length]!;
        const videoId = videoIdFrom(`${group.adgroupId}:${a}`);
        state.videos.set(
          videoId,
          seededVideo(videoId, advertiser.advertiserId, `${creative}.mp4`, created, ids.next('7')),
        );
        const inReview = c === 1 && g === 0 && a === 1;
        const ad: EmulatedAd = {
          adId: ids.next('17'),
          adgroupId: group.adgroupId,
          campaignId: campaign.campaignId,
          advertiserId: advertiser.advertiserId,
          name: `${creative} – v${a + 1}`,
          videoId,
          adText: `${advertiser.name}: ${label.toLowerCase()}`,
          callToAction: CTAS[(h + a) % CTAS.length]!,
          landingPageUrl: `https://www.example.com/${advertiser.name.toLowerCase().replace(/\W+/g, '-')}`,
          operationStatus: operation,
          secondaryStatus: inReview ? 'AD_STATUS_AUDIT' : SECONDARY_STATUS.ad[operation],
          createTime: created + 1_200_000,
          modifyTime: created + 9_000_000,
        };
        state.ads.set(ad.adId, ad);
      }
    }
  }
}
