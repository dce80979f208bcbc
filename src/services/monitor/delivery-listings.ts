import type { DeliveryItem } from '../../monitor/index.ts';
import type { ConnectionsService } from '../connections/index.ts';

type Family = NonNullable<DeliveryItem['family']>;

/** One listing campaign watch reads: an endpoint, the level and family it lists, and how to read a row. */
interface Listing {
  family: Family;
  level: DeliveryItem['level'];
  path: string;
  /** Row keys of the id, first present wins (Smart+ ads carry `smart_plus_ad_id`). */
  id: readonly string[];
  name: string;
  query?: Record<string, string>;
  /** Read only when the family has campaigns (no Smart+ ad groups to list without a Smart+ campaign). */
  needsCampaigns?: boolean;
}

/**
 * Every campaign family TikTok lists apart (fact sheet §10): classic campaigns, upgraded Smart+ and
 * GMV Max. The classic listings leave the other two out, so watching only them leaves delivering
 * campaigns unseen.
 */
export const LISTINGS: readonly Listing[] = [
  {
    family: 'classic',
    level: 'campaign',
    path: '/campaign/get/',
    id: ['campaign_id'],
    name: 'campaign_name',
  },
  { family: 'classic', level: 'adgroup', path: '/adgroup/get/', id: ['adgroup_id'], name: 'adgroup_name' },
  { family: 'classic', level: 'ad', path: '/ad/get/', id: ['ad_id'], name: 'ad_name' },
  {
    family: 'smart_plus',
    level: 'campaign',
    path: '/smart_plus/campaign/get/',
    id: ['campaign_id'],
    name: 'campaign_name',
  },
  {
    family: 'smart_plus',
    level: 'adgroup',
    path: '/smart_plus/adgroup/get/',
    id: ['adgroup_id'],
    name: 'adgroup_name',
    needsCampaigns: true,
  },
  {
    family: 'smart_plus',
    level: 'ad',
    path: '/smart_plus/ad/get/',
    id: ['smart_plus_ad_id', 'ad_id'],
    name: 'ad_name',
    needsCampaigns: true,
  },
  {
    family: 'gmv_max',
    level: 'campaign',
    path: '/gmv_max/campaign/get/',
    id: ['campaign_id'],
    name: 'campaign_name',
    query: { filtering: JSON.stringify({ gmv_max_promotion_types: ['PRODUCT_GMV_MAX', 'LIVE_GMV_MAX'] }) },
  },
];

/** `GET <path>` of every listing: a refusal of one of them is a campaign-watch permission incident. */
export const WATCHED_CALLS = new Set([
  ...LISTINGS.map((l) => `GET ${l.path}`),
  'GET /smart_plus/ad/review_info/',
]);

interface Page {
  list: Array<Record<string, unknown>>;
  page_info?: { page: number; total_page: number };
}

type Call = <T>(path: string, query: Record<string, unknown>) => Promise<T>;

/** What listing one advertiser gave: its objects, the calls, and the listings that failed. */
export interface Listed {
  items: DeliveryItem[];
  calls: number;
  /** Listings that failed (the first classic failure ends the listing: nothing else is read). */
  failures: Array<{ path: string; error: unknown }>;
}

/**
 * Lists one advertiser's campaigns, ad groups and ads of every family, every page. A failing classic
 * listing stops there (what follows would be judged on half a picture); a failing Smart+ or GMV Max
 * listing is noted and the others go on. Rejected Smart+ ads get their reasons from `ad/review_info/`.
 */
export async function listDelivery(
  connections: ConnectionsService,
  connectionId: string,
  advertiserId: string,
): Promise<Listed> {
  const listed: Listed = { items: [], calls: 0, failures: [] };
  const call: Call = (path, query) => {
    listed.calls++;
    return connections.call(
      connectionId,
      'GET',
      path,
      // The next round retries; a long retry chain here would only hold up the sweep's probes.
      { query: { advertiser_id: advertiserId, ...query }, advertiserId, deadlineMs: 60_000, maxAttempts: 2 },
      { park: false },
    );
  };
  for (const listing of LISTINGS) {
    if (listing.needsCampaigns && !listed.items.some((i) => i.family === listing.family)) continue;
    try {
      listed.items.push(...(await listAll(call, listing)));
    } catch (error) {
      listed.failures.push({ path: listing.path, error });
      if (listing.family === 'classic') return listed;
    }
  }
  try {
    await addReviewReasons(call, listed.items);
  } catch (error) {
    listed.failures.push({ path: '/smart_plus/ad/review_info/', error });
  }
  return listed;
}

async function listAll(call: Call, listing: Listing): Promise<DeliveryItem[]> {
  const items: DeliveryItem[] = [];
  for (let page = 1; ; page++) {
    const data = await call<Page>(listing.path, { page_size: 1000, page, ...listing.query });
    for (const row of data.list ?? []) {
      const id = String(listing.id.map((key) => row[key]).find((v) => v !== undefined && v !== null));
      items.push({
        level: listing.level,
        family: listing.family,
        id,
        name: String(row[listing.name] ?? id),
        secondaryStatus: String(row.secondary_status ?? ''),
        campaignId: row.campaign_id === undefined ? undefined : String(row.campaign_id),
        adgroupId: row.adgroup_id === undefined ? undefined : String(row.adgroup_id),
      });
    }
    if (!data.page_info || page >= data.page_info.total_page) return items;
  }
}

/** Reads why TikTok rejected Smart+ ads (100 per call); only rejected ones cost a call. */
async function addReviewReasons(call: Call, items: DeliveryItem[]): Promise<void> {
  const rejected = items.filter(
    (i) => i.family === 'smart_plus' && i.level === 'ad' && /AUDIT_DENY|REJECTED/.test(i.secondaryStatus),
  );
  for (let start = 0; start < rejected.length; start += 100) {
    const batch = rejected.slice(start, start + 100);
    const data = await call<{ list?: Array<Record<string, unknown>> }>('/smart_plus/ad/review_info/', {
      smart_plus_ad_ids: JSON.stringify(batch.map((i) => i.id)),
    });
    for (const row of data.list ?? []) {
      const item = batch.find((i) => i.id === String(row.smart_plus_ad_id));
      const reasons = Array.isArray(row.rejection_info) ? row.rejection_info : [];
      const reason = reasons
        .map((r) => (typeof r === 'object' && r && 'reason' in r ? String(r.reason) : ''))
        .filter(Boolean)
        .join('; ');
      if (item && reason) item.rejectReason = reason.slice(0, 300);
    }
  }
}
