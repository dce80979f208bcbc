import type { Severity } from '../incidents/index.ts';

/** A campaign, ad group or ad as `/…/get/` lists it (only what the rules read). */
export interface DeliveryItem {
  level: 'campaign' | 'adgroup' | 'ad';
  /** Classic, upgraded Smart+ or GMV Max (each listed by its own endpoints). @default 'classic' */
  family?: 'classic' | 'smart_plus' | 'gmv_max';
  id: string;
  name: string;
  secondaryStatus: string;
  campaignId?: string;
  adgroupId?: string;
  /** Why review rejected it, where TikTok says (Smart+ `ad/review_info/`). */
  rejectReason?: string;
}

const FAMILY_NAME = { classic: '', smart_plus: 'Smart+ ', gmv_max: 'GMV Max ' } as const;
const LEVEL_NAME = { campaign: 'Campaign', adgroup: 'Ad group', ad: 'Ad' } as const;

/** "Ad", "Smart+ ad", "GMV Max campaign": how a summary names the object. */
function kindOf(item: DeliveryItem): string {
  const family = FAMILY_NAME[item.family ?? 'classic'];
  return family ? `${family}${LEVEL_NAME[item.level].toLowerCase()}` : LEVEL_NAME[item.level];
}

/** One alert-worthy state, keyed so the same state of the same object is one incident. */
export interface DeliveryFinding {
  subject: { type: 'advertiser' | 'campaign' | 'adgroup' | 'ad'; id: string; name: string };
  /** Part of the fingerprint: the kind of trouble (`rejected`, `budget`, `balance`, …). */
  detail: string;
  severity: Severity;
  status: string;
  summary: string;
  fix: string[];
  /** Ads that stopped because of it. */
  affectedAds: number;
}

interface Rule {
  level: DeliveryItem['level'];
  status: RegExp;
  detail: string;
  severity: Severity;
  summary: (item: DeliveryItem, advertiser: string) => string;
  fix: string[];
}

// The statuses that stop spend or need a person (tiktok-api-facts §7; ad-level statuses that merely
// echo a campaign or ad group state, like AD_STATUS_CAMPAIGN_EXCEED, are counted, not alerted twice).
const RULES: Rule[] = [
  {
    level: 'ad',
    status: /^AD_STATUS_(AUDIT_DENY|PRIVACY_POLICY_REJECTED)$/,
    detail: 'rejected',
    severity: 'high',
    summary: (i, a) =>
      `${kindOf(i)} "${i.name}" (${i.id}) of ${a} was rejected in review (${i.secondaryStatus}${i.rejectReason ? `: ${i.rejectReason}` : ''}).`,
    fix: [
      'Open the ad in TikTok Ads Manager and read the rejection reason.',
      'Edit the creative or landing page to meet the policy and submit it again; the incident resolves when it delivers.',
    ],
  },
  {
    level: 'campaign',
    status: /^CAMPAIGN_STATUS_BUDGET_EXCEED$/,
    detail: 'budget',
    severity: 'medium',
    summary: (i, a) =>
      `${kindOf(i)} "${i.name}" (${i.id}) of ${a} has spent its budget; ${i.family === 'gmv_max' ? 'it stopped delivering' : 'its ads stopped'}.`,
    fix: ['Raise the campaign budget or switch it to an unlimited budget if the spend is intended.'],
  },
  {
    level: 'adgroup',
    status: /^ADGROUP_STATUS_BUDGET_EXCEED$/,
    detail: 'budget',
    severity: 'medium',
    summary: (i, a) => `${kindOf(i)} "${i.name}" (${i.id}) of ${a} has spent its budget; its ads stopped.`,
    fix: ['Raise the ad group budget if the spend is intended.'],
  },
  {
    level: 'adgroup',
    status: /^ADGROUP_STATUS_(TRANSCODING_FAIL|ASSET_AUTHORIZATION_LOST)$/,
    detail: 'creative',
    severity: 'high',
    summary: (i, a) => `${kindOf(i)} "${i.name}" (${i.id}) of ${a} cannot deliver: ${i.secondaryStatus}.`,
    fix: [
      'Replace the video that failed to transcode (upload it again; wait until /file/video/ad/info/ lists it as displayable before creating the ad).',
      'If an asset lost its authorization (a Spark Ads post or music), renew the authorization or swap the asset.',
    ],
  },
  {
    level: 'ad',
    status:
      /^AD_STATUS_(TRANSCODING_FAIL|DELIVERY_AND_TRANSCODING_FAIL|ASSET_AUTHORIZATION_LOST|SHOWCASE_AUTHORIZATION_LOST|MUSIC_AUTHORIZATION_MISSING)$/,
    detail: 'creative',
    severity: 'high',
    summary: (i, a) => `${kindOf(i)} "${i.name}" (${i.id}) of ${a} cannot deliver: ${i.secondaryStatus}.`,
    fix: [
      'Upload the video again (or pick another) and update the ad once the new video is displayable.',
      'For a lost asset or music authorization, renew it with the creator or replace the asset.',
    ],
  },
];

const BALANCE = /^(ADGROUP|AD)_STATUS_BALANCE_EXCEED$/;
const DERIVED = /^AD_STATUS_(CAMPAIGN_EXCEED|BUDGET_EXCEED|BALANCE_EXCEED|ADGROUP_)/;

/**
 * Turns an advertiser's listings into the delivery problems they show: rejected ads, spent budgets,
 * an empty balance (one finding for the whole account), failed transcoding, lost asset authorization.
 */
export function deliveryFindings(
  advertiser: { id: string; name: string },
  items: readonly DeliveryItem[],
): DeliveryFinding[] {
  const label = `${advertiser.name} (${advertiser.id})`;
  const findings: DeliveryFinding[] = [];
  const derived = items.filter((i) => i.level === 'ad' && DERIVED.test(i.secondaryStatus));
  const balance = items.filter((i) => BALANCE.test(i.secondaryStatus));
  if (balance.length > 0)
    findings.push({
      subject: { type: 'advertiser', id: advertiser.id, name: advertiser.name },
      detail: 'balance',
      severity: 'critical',
      status: 'BALANCE_EXCEED',
      summary: `The account balance of ${label} is spent: ${balance.filter((i) => i.level === 'adgroup').length} ad groups and ${balance.filter((i) => i.level === 'ad').length} ads stopped.`,
      fix: ['Top up the account balance (or raise the credit line) in TikTok Ads Manager > Finance.'],
      affectedAds: balance.filter((i) => i.level === 'ad').length,
    });
  for (const item of items) {
    const rule = RULES.find((r) => r.level === item.level && r.status.test(item.secondaryStatus));
    if (!rule) continue;
    const affectedAds =
      item.level === 'ad'
        ? 1
        : derived.filter((ad) => (item.level === 'campaign' ? ad.campaignId : ad.adgroupId) === item.id)
            .length;
    findings.push({
      subject: { type: item.level, id: item.id, name: item.name },
      detail: rule.detail,
      severity: rule.severity,
      status: item.secondaryStatus,
      summary: rule.summary(item, label),
      fix: rule.fix,
      affectedAds,
    });
  }
  return findings;
}
