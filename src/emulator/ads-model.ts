/** Campaigns, ad groups, ads, videos and Business Centers as the emulator keeps them. */

/** `operation_status` as TikTok returns it. */
export type OperationStatus = 'ENABLE' | 'DISABLE' | 'DELETE' | 'FROZEN';

/**
 * Campaign families TikTok lists apart: classic campaigns (`/campaign/get/`), upgraded Smart+
 * (`/smart_plus/*`) and GMV Max (`/gmv_max/campaign/get/`); the classic listings omit the others.
 */
export type CampaignFamily = 'classic' | 'smart_plus' | 'gmv_max';

interface Delivery {
  advertiserId: string;
  /** Absent: classic. */
  family?: CampaignFamily;
  name: string;
  operationStatus: OperationStatus;
  /** Set by faults (rejection, budget); otherwise derived from the operation status. */
  secondaryStatus: string;
  createTime: number;
  modifyTime: number;
}

export interface EmulatedCampaign extends Delivery {
  campaignId: string;
  objectiveType: string;
  budgetMode: 'BUDGET_MODE_DAY' | 'BUDGET_MODE_TOTAL' | 'BUDGET_MODE_INFINITE';
  budget: number;
  /** GMV Max only: the TikTok Shop it promotes and how (`PRODUCT_GMV_MAX`, `LIVE_GMV_MAX`). */
  storeId?: string;
  promotionType?: 'PRODUCT_GMV_MAX' | 'LIVE_GMV_MAX';
}

export interface EmulatedAdGroup extends Delivery {
  adgroupId: string;
  campaignId: string;
  budgetMode: 'BUDGET_MODE_DAY' | 'BUDGET_MODE_TOTAL';
  budget: number;
  optimizationGoal: string;
  placements: string[];
}

export interface EmulatedAd extends Delivery {
  adId: string;
  adgroupId: string;
  campaignId: string;
  videoId: string | null;
  adText: string;
  callToAction: string;
  landingPageUrl: string;
  /** Ads created through the API stay in review (`AD_STATUS_AUDIT`) until this emulator time. */
  reviewEndsAt?: number;
  /** Why review rejected it (Smart+ `ad/review_info/` tells), set with a rejection. */
  rejectReason?: string;
}

export interface EmulatedVideo {
  videoId: string;
  advertiserId: string;
  materialId: string;
  fileName: string;
  signature: string;
  size: number;
  width: number;
  height: number;
  durationSeconds: number;
  format: string;
  createTime: number;
  /** Emulator time at which transcoding finishes. */
  readyAt: number;
  /** Transcoding failed: the video never appears in /file/video/ad/info/. */
  failed: boolean;
}

/** An image in an advertiser's creative library (`/file/image/ad/upload/`). */
export interface EmulatedImage {
  imageId: string;
  advertiserId: string;
  materialId: string;
  fileName: string;
  signature: string;
  size: number;
  width: number;
  height: number;
  format: string;
  createTime: number;
}

export interface EmulatedBusinessCenter {
  bcId: string;
  name: string;
  company: string;
  currency: string;
  timezone: string;
  createTime: number;
}

/** How long uploaded videos take to transcode, and whether they fail; changed by faults. */
export interface VideoProcessing {
  delayMs: number;
  fail: boolean;
}

/** The alert-worthy secondary statuses a fault can put an object in, and the healthy ones. */
export const SECONDARY_STATUS = {
  campaign: {
    ENABLE: 'CAMPAIGN_STATUS_ENABLE',
    DISABLE: 'CAMPAIGN_STATUS_DISABLE',
    DELETE: 'CAMPAIGN_STATUS_DELETE',
    FROZEN: 'CAMPAIGN_STATUS_DISABLE',
  },
  adgroup: {
    ENABLE: 'ADGROUP_STATUS_DELIVERY_OK',
    DISABLE: 'ADGROUP_STATUS_DISABLE',
    DELETE: 'ADGROUP_STATUS_DELETE',
    FROZEN: 'ADGROUP_STATUS_FROZEN',
  },
  ad: {
    ENABLE: 'AD_STATUS_DELIVERY_OK',
    DISABLE: 'AD_STATUS_DISABLE',
    DELETE: 'AD_STATUS_DELETE',
    FROZEN: 'AD_STATUS_FROZEN',
  },
} as const;
