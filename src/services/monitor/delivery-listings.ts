import type { DeliveryItem } from '../../monitor/index.ts';
import type { ConnectionsService } from '../connections/index.ts';

export type Family = NonNullable<DeliveryItem['family']>;

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
  /** Listings not read this round (a family the advertiser had none of, checked again later). */
  skipped: string[];
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
  /** Families not to list this round (the advertiser had none of them when last checked). */
  skip: ReadonlySet<Family> = new Set(),
): Promise<Listed> {
  const listed: Listed = { items: [], calls: 0, failures: [], skipped: [] };
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
    if (skip.has(listing.family)) {
      listed.skipped.push(listing.path);
      continue;
    }
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

/** How often a family an advertiser had none of is looked for again. */
const FAMILY_RECHECK_MS = 3_600_000;

/**
 * What campaign watch remembers between rounds (in this process): which advertisers run Smart+ or GMV
 * Max. One without any is asked again once an hour, not every round: most accounts run neither, and
 * the two listings would otherwise be most of the watch's calls. A process that restarts asks at once.
 */
export function familyMemory(now: () => number) {
  const seen = new Map<string, { at: number; present: Set<Family> }>();
  return {
    /** The families to leave out for this advertiser now. */
    skip(advertiserId: string): Set<Family> {
      const last = seen.get(advertiserId);
      if (!last || now() - last.at >= FAMILY_RECHECK_MS || now() < last.at) return new Set();
      return new Set((['smart_plus', 'gmv_max'] as const).filter((f) => !last.present.has(f)));
    },
    /** Records a round: families listed (or refused: asked again every round) and those found. */
    saw(advertiserId: string, listed: Listed) {
      const present = new Set<Family>();
      for (const item of listed.items) if (item.family && item.family !== 'classic') present.add(item.family);
      for (const failure of listed.failures) {
        const family = LISTINGS.find((l) => l.path === failure.path)?.family;
        if (family && family !== 'classic') present.add(family);
      }
      const last = seen.get(advertiserId);
      // A round that skipped a family keeps the hour it was last looked for.
      if (listed.skipped.length > 0 && last)
        seen.set(advertiserId, { at: last.at, present: new Set([...last.present, ...present]) });
      else seen.set(advertiserId, { at: now(), present });
    },
  };
}

export type FamilyMemory = ReturnType<typeof familyMemory>;
