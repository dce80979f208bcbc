import type { EmulatedAd } from '../ads-model.ts';
import type { ApiRoute } from '../api-route.ts';
import { ApiFailure } from '../envelope.ts';
import { jsonArrayParam, pageOf, paging, requiredString } from '../params.ts';
import { hashOf } from '../seed-ads.ts';
import type { EmulatorState } from '../state.ts';
import { authorizedAdvertiser } from './advertiser.ts';

const DAY_MS = 86_400_000;
const LEVELS = {
  AUCTION_ADVERTISER: 'advertiser_id',
  AUCTION_CAMPAIGN: 'campaign_id',
  AUCTION_ADGROUP: 'adgroup_id',
  AUCTION_AD: 'ad_id',
} as const;
type Level = keyof typeof LEVELS;
const ID_DIMENSIONS = ['advertiser_id', 'campaign_id', 'adgroup_id', 'ad_id'];
const TIME_DIMENSIONS = ['stat_time_day', 'stat_time_hour'];
const HOUR_MS = 3_600_000;

/**
 * A day's shape: the share of a day's delivery in each local hour of the account — quiet at night, busiest in the
 * evening — so hourly reports look like an account's real day.
 */
const HOUR_SHAPE = [
  1, 0.6, 0.4, 0.3, 0.3, 0.5, 1, 1.6, 2.2, 2.8, 3.2, 3.4, 3.6, 3.6, 3.5, 3.6, 3.8, 4.2, 4.8, 5.2, 5, 4.2, 3,
  1.8,
];
const SHAPE_SUM = HOUR_SHAPE.reduce((a, b) => a + b, 0);

interface Counts {
  spend: number;
  impressions: number;
  clicks: number;
  reach: number;
  conversion: number;
  video_play_actions: number;
}

const ratio = (n: number, d: number, scale = 1) => (d === 0 ? '-' : ((n / d) * scale).toFixed(2));
/** Every metric, as strings the way TikTok sends them; "-" where it has no value. */
const METRICS: Record<string, (c: Counts) => string> = {
  spend: (c) => c.spend.toFixed(2),
  impressions: (c) => String(c.impressions),
  clicks: (c) => String(c.clicks),
  reach: (c) => String(c.reach),
  conversion: (c) => String(c.conversion),
  video_play_actions: (c) => String(c.video_play_actions),
  ctr: (c) => ratio(c.clicks, c.impressions, 100),
  cpc: (c) => ratio(c.spend, c.clicks),
  cpm: (c) => ratio(c.spend, c.impressions, 1000),
  cost_per_conversion: (c) => ratio(c.spend, c.conversion),
  conversion_rate: (c) => ratio(c.conversion, c.clicks, 100),
};

/**
 * Attribute metrics TikTok accepts next to the numbers: names and texts of the row's objects, at the
 * levels that have them (an ad's name needs ad rows). Values are strings.
 */
const ATTRIBUTES: Record<
  string,
  { levels: readonly Level[]; read: (ad: EmulatedAd, state: EmulatorState) => string }
> = {
  campaign_name: {
    levels: ['AUCTION_CAMPAIGN', 'AUCTION_ADGROUP', 'AUCTION_AD'],
    read: (ad, state) => state.campaigns.get(ad.campaignId)?.name ?? '-',
  },
  adgroup_name: {
    levels: ['AUCTION_ADGROUP', 'AUCTION_AD'],
    read: (ad, state) => state.adGroups.get(ad.adgroupId)?.name ?? '-',
  },
  ad_name: { levels: ['AUCTION_AD'], read: (ad) => ad.name },
  ad_text: { levels: ['AUCTION_AD'], read: (ad) => ad.adText },
};

/** One ad's numbers for one (local) day: deterministic, so repeated reports agree. */
function adDay(ad: EmulatedAd, day: number, today: number): Counts {
  const delivering = ad.operationStatus === 'ENABLE' && /DELIVERY_OK$/.test(ad.secondaryStatus);
  if (!delivering || day > today || day + DAY_MS <= ad.createTime) return zero();
  // Each ad has its own level; days vary around it by up to ±15 %, as steady delivery does.
  const h = hashOf(`${ad.adId}:${day}`);
  const level = 2_000 + (hashOf(ad.adId) % 48_000);
  const impressions = Math.round(level * (0.85 + (h % 3_001) / 10_000));
  const clicks = Math.round(impressions * (0.004 + ((h >>> 8) % 20) / 1000));
  return {
    impressions,
    clicks,
    reach: Math.round(impressions * 0.78),
    video_play_actions: Math.round(impressions * 0.62),
    conversion: Math.round(clicks * (0.02 + ((h >>> 16) % 8) / 100)),
    spend: Math.round(impressions * (0.004 + ((h >>> 4) % 8) / 1000) * 100) / 100,
  };
}

/** The spend factor of an advertiser at `at` (stopDelivery 0, spendSpike n, restoreDelivery 1). */
function factorAt(state: EmulatorState, advertiserId: string, at: number): number {
  let factor = 1;
  for (const change of state.spendChanges)
    if (change.advertiserId === advertiserId && change.from <= at) factor = change.factor;
  return factor;
}

/** One ad's numbers for one (local) hour: its day's, spread by the day's shape, times any spend change. */
function adHour(ad: EmulatedAd, hour: number, now: number, state: EmulatorState): Counts {
  if (hour > now) return zero();
  const day = Math.floor(hour / DAY_MS) * DAY_MS;
  const share =
    (HOUR_SHAPE[(hour - day) / HOUR_MS]! / SHAPE_SUM) * factorAt(state, ad.advertiserId, hour + HOUR_MS / 2);
  const whole = adDay(ad, day, Math.floor(now / DAY_MS) * DAY_MS);
  const scaled = zero();
  for (const key of Object.keys(scaled) as Array<keyof Counts>)
    scaled[key] =
      key === 'spend' ? Math.round(whole.spend * share * 100) / 100 : Math.round(whole[key] * share);
  return scaled;
}

/** One ad's day: as seeded, or, on a day a spend change touches, the sum of its hours. */
function adDayAt(ad: EmulatedAd, day: number, now: number, state: EmulatorState): Counts {
  const changed = state.spendChanges.some((c) => c.advertiserId === ad.advertiserId && c.from < day + DAY_MS);
  if (!changed) return adDay(ad, day, Math.floor(now / DAY_MS) * DAY_MS);
  const sum = zero();
  for (let hour = day; hour < day + DAY_MS; hour += HOUR_MS) add(sum, adHour(ad, hour, now, state));
  return sum;
}

function sumOfDays(ad: EmulatedAd, days: number[], now: number, state: EmulatorState): Counts {
  const sum = zero();
  for (const day of days) add(sum, adDayAt(ad, day, now, state));
  return sum;
}

function add(into: Counts, from: Counts): void {
  for (const key of Object.keys(into) as Array<keyof Counts>) into[key] += from[key];
  into.spend = Math.round(into.spend * 100) / 100;
}

function parseDate(value: unknown, name: string): number {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value))
    throw new ApiFailure(40002, `${name}: Not a valid date, expected YYYY-MM-DD.`);
  const ms = Date.parse(`${value}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new ApiFailure(40002, `${name}: Not a valid date, expected YYYY-MM-DD.`);
  return ms;
}

/** `timeZone`'s offset from UTC at `at`, in ms (New York in winter: −5 h). */
export function zoneOffset(timeZone: string, at: number): number {
  try {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    }).formatToParts(new Date(at));
    const n = (type: string) => Number(parts.find((p) => p.type === type)!.value);
    const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'));
    return wall - Math.floor(at / 60_000) * 60_000;
  } catch {
    return 0; // an unknown zone reads as UTC
  }
}

/** Synchronous BASIC reports over the seeded ads: consistent across levels, metrics as strings. */
export const REPORT_ROUTES: ApiRoute[] = [
  {
    method: 'GET',
    path: '/report/integrated/get/',
    auth: 'token',
    handle(context) {
      const { query } = context;
      const request = reportQuery(context);
      const { advertiserId, dimensions, metrics, daily, hourly, lifetime } = request;
      // TikTok reports in the account's time zone: days and hours are its local ones, on a time axis
      // shifted by its UTC offset now (a DST change inside the range is not modelled).
      const offset = zoneOffset(context.state.advertisers.get(advertiserId)?.timezone ?? 'UTC', context.now);
      const now = context.now + offset;
      const state = {
        ...context.state,
        spendChanges: context.state.spendChanges.map((c) => ({ ...c, from: c.from + offset })),
      };
      let { start, end } = request;
      const today = Math.floor(now / DAY_MS) * DAY_MS;
      const ads = [...state.ads.values()].filter((ad) => ad.advertiserId === advertiserId);
      if (lifetime) {
        start = Math.min(today, ...ads.map((ad) => Math.floor(ad.createTime / DAY_MS) * DAY_MS));
        end = today;
      }
      const days: number[] = [];
      for (let day = start; day <= end; day += DAY_MS) days.push(day);
      const hours = hourly ? days.flatMap((day) => HOUR_SHAPE.map((_, h) => day + h * HOUR_MS)) : [];
      const rows = ads.length * (hourly ? hours.length : days.length);
      if (rows * metrics.length > 2_000_000)
        throw new ApiFailure(
          40067,
          'Your query is too large, please reduce the query size (e.g. fewer metrics or time range) and retry after a while.',
        );

      const periods = hourly ? hours : daily ? days : null;
      const countsOf = (ad: EmulatedAd, period: number | null) =>
        period === null
          ? sumOfDays(ad, days, now, state)
          : hourly
            ? adHour(ad, period, now, state)
            : adDayAt(ad, period, now, state);
      const { groups, total } = aggregate(ads, { advertiserId, dimensions, periods, countsOf });
      const rendered = [...groups.values()].map(({ dims, counts, ad }) => ({
        dimensions: dims,
        metrics: Object.fromEntries(
          metrics.map((m) => [m, ATTRIBUTES[m] ? ATTRIBUTES[m].read(ad, state) : METRICS[m]!(counts)]),
        ),
      }));
      const { page, pageSize } = paging(query, 1000);
      return {
        ...pageOf(rendered, page, pageSize),
        ...(query.enable_total_metrics === 'true'
          ? {
              total_metrics: Object.fromEntries(
                metrics.filter((m) => m in METRICS).map((m) => [m, METRICS[m]!(total)]),
              ),
            }
          : {}),
      };
    },
  },
];

function zero(): Counts {
  return { spend: 0, impressions: 0, clicks: 0, reach: 0, conversion: 0, video_play_actions: 0 };
}

/** A report request, checked as TikTok checks it (40002 naming the parameter). */
function reportQuery(context: Parameters<ApiRoute['handle']>[0]) {
  const { query } = context;
  const reportType = requiredString(query, 'report_type');
  if (reportType !== 'BASIC')
    throw new ApiFailure(40002, `report_type: The emulator serves BASIC reports only, not ${reportType}.`);
  const advertiserId = requiredString(query, 'advertiser_id');
  authorizedAdvertiser(context, advertiserId, 'GET', '/report/integrated/get/');
  const level = (typeof query.data_level === 'string' ? query.data_level : 'AUCTION_ADVERTISER') as Level;
  if (!(level in LEVELS))
    throw new ApiFailure(40002, `data_level: Must be one of ${Object.keys(LEVELS).join(', ')}.`);
  const dimensions = jsonArrayParam(query, 'dimensions', { required: true })!;
  const unknown = dimensions.filter((d) => !ID_DIMENSIONS.includes(d) && !TIME_DIMENSIONS.includes(d));
  if (unknown.length > 0) throw new ApiFailure(40002, `dimensions: Unsupported dimension ${unknown[0]}.`);
  const idDimension = LEVELS[level];
  if (!dimensions.includes(idDimension))
    throw new ApiFailure(40002, `dimensions: ${level} reports need the ${idDimension} dimension.`);
  const metrics = jsonArrayParam(query, 'metrics') ?? ['spend', 'impressions'];
  const badMetric = metrics.find((m) => !(m in METRICS) && !(m in ATTRIBUTES));
  if (badMetric) throw new ApiFailure(40002, `metrics: Unsupported metric ${badMetric}.`);
  const misplaced = metrics.find((m) => m in ATTRIBUTES && !ATTRIBUTES[m]!.levels.includes(level));
  if (misplaced)
    throw new ApiFailure(40002, `metrics: ${misplaced} is not supported at data_level ${level}.`);
  const daily = dimensions.includes('stat_time_day');
  const hourly = dimensions.includes('stat_time_hour');
  if (daily && hourly)
    throw new ApiFailure(40002, 'dimensions: Use stat_time_day or stat_time_hour, not both.');
  const lifetime = query.query_lifetime === 'true' || query.query_lifetime === true;
  let start = 0;
  let end = 0;
  if (!lifetime) {
    start = parseDate(query.start_date, 'start_date');
    end = parseDate(query.end_date, 'end_date');
    if (end < start) throw new ApiFailure(40002, 'end_date: Must not be earlier than start_date.');
    if (daily && (end - start) / DAY_MS + 1 > 30)
      throw new ApiFailure(40002, 'max time span is 30 days when use stat_time_day');
  } else if (daily || hourly) {
    throw new ApiFailure(40002, 'query_lifetime cannot be used with a time dimension.');
  }
  return { advertiserId, level, dimensions, metrics, daily, hourly, lifetime, start, end };
}

/** Rows per dimension values (per day or hour when a time dimension is asked for), and the total. */
function aggregate(
  ads: EmulatedAd[],
  at: {
    advertiserId: string;
    dimensions: string[];
    /** Day or hour starts when the report has a time dimension; null for one row over the range. */
    periods: number[] | null;
    countsOf: (ad: EmulatedAd, period: number | null) => Counts;
  },
) {
  const { advertiserId, dimensions, periods, countsOf } = at;
  const groups = new Map<string, { dims: Record<string, string>; counts: Counts; ad: EmulatedAd }>();
  const total = zero();
  const stamp = (period: number) => new Date(period).toISOString().slice(0, 19).replace('T', ' ');
  for (const ad of ads) {
    const ids: Record<string, string> = {
      advertiser_id: advertiserId,
      campaign_id: ad.campaignId,
      adgroup_id: ad.adgroupId,
      ad_id: ad.adId,
    };
    for (const period of periods ?? [null]) {
      const dims: Record<string, string> = {};
      for (const d of dimensions) dims[d] = TIME_DIMENSIONS.includes(d) ? stamp(period!) : ids[d]!;
      const key = JSON.stringify(dims);
      const counts = countsOf(ad, period);
      const group = groups.get(key) ?? { dims, counts: zero(), ad };
      add(group.counts, counts);
      add(total, counts);
      groups.set(key, group);
    }
  }
  return { groups, total };
}
