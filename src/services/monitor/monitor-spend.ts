import type { Stores } from '../../db/index.ts';
import type { Observation, Subject } from '../../incidents/index.ts';
import {
  DEFAULT_SPEND_POLICY,
  instantOf,
  localDate,
  readSpend,
  type SpendPolicy,
  spendObservation,
} from '../../monitor/index.ts';
import type { ConnectionsService } from '../connections/index.ts';
import type { IncidentsService } from '../incidents/index.ts';

const HOUR = 3_600_000;
const DAY = 86_400_000;
export const SPEND_REPORT = '/report/integrated/get/';

/** What the spend watch uses. */
export interface SpendDeps {
  connections: ConnectionsService;
  incidents: IncidentsService;
  spend: Stores['spend'];
  now: () => number;
  policy?: SpendPolicy;
  /** Least time between two report reads of one advertiser. @default 1 hour */
  everyMs?: number;
}

/** The advertiser as the watch knows it. */
export interface SpendAdvertiser {
  advertiser_id: string;
  timezone: string | null;
  currency: string | null;
}

/** What one spend read did: the calls, the observations to make, or the call that failed. */
export type SpendRead =
  | { state: 'not_due' }
  | { state: 'read'; calls: number; observations: Observation[] }
  | { state: 'failed'; calls: number; error: unknown };

interface ReportPage {
  list?: Array<{ dimensions?: Record<string, unknown>; metrics?: Record<string, unknown> }>;
  page_info?: { page: number; total_page: number };
}

/**
 * Spend watch of one advertiser, at most once an hour: reads its hourly spend (the weeks of history the
 * baseline needs on the first read; yesterday and today after, since TikTok's numbers settle over hours),
 * keeps it, and judges it against the same weekday and local hours of past weeks. A stop stays one
 * incident until spend returns; a spike is one incident per local day, over when the day is.
 */
export async function watchSpend(
  deps: SpendDeps,
  connectionId: string,
  advertiser: SpendAdvertiser,
  subject: Subject,
): Promise<SpendRead> {
  const policy = deps.policy ?? DEFAULT_SPEND_POLICY;
  const now = deps.now();
  const id = advertiser.advertiser_id;
  const last = await deps.spend.lastRead(id);
  const every = deps.everyMs ?? HOUR;
  // Due once about an hour has passed (a watch a few minutes early reads; a later one would be up
  // to a watch interval late). A read "in the future" was made by a clock that has since jumped back.
  const since = last ? now - last.readAt.getTime() : Number.POSITIVE_INFINITY;
  if (since < every - every / 12 && since >= 0) return { state: 'not_due' };
  const zone = advertiser.timezone ?? 'UTC';
  const historyDays = policy.weeks * 7 + 1;
  // After a gap (the monitor was down), the days it missed; never more than the history.
  const days = last ? Math.min(historyDays, Math.ceil((now - last.readAt.getTime()) / DAY) + 1) : historyDays;
  const range = { from: localDate(now, zone, days), to: localDate(now, zone) };
  const calls = { count: 0, tiktokNow: null as number | null };
  let hours: Array<{ hour: number; spend: number }>;
  try {
    hours = await readHours(deps.connections, connectionId, id, range, zone, calls);
  } catch (error) {
    return { state: 'failed', calls: calls.count, error };
  }
  // Judged at TikTok's time when ours runs ahead of it (a wrong or jumped clock): hours TikTok has not
  // lived yet read as no spend, and would look like a stop.
  const judgedAt = calls.tiktokNow !== null && calls.tiktokNow < now ? calls.tiktokNow : now;
  const historyFrom = last?.historyFrom ?? new Date(instantOf(`${range.from} 00:00:00`, zone) ?? now);
  await deps.spend.record(id, hours, new Date(now), historyFrom);
  const series = await deps.spend.since(id, new Date(now - (historyDays + 1) * DAY));
  const reading = readSpend(series, judgedAt, zone, policy);
  const observations: Observation[] = [];
  const observation = spendObservation(subject, reading, now, advertiser.currency ?? '');
  if (observation) observations.push(observation);
  // A spike is about its day: once the day is over, so is the incident.
  const today = reading.state === 'unknown' ? null : `spend_spike:${reading.day}`;
  for (const incident of await deps.incidents.active('delivery', { advertiserId: id }))
    if (incident.detail?.startsWith('spend_spike:') && incident.detail !== today)
      observations.push({
        problem: 'delivery',
        subject: incident.subject,
        detail: incident.detail,
        failing: false,
        at: now,
        source: 'campaign_watch',
        summary: 'The day of the spike is over.',
      });
  return { state: 'read', calls: calls.count, observations };
}

/** The advertiser's hourly spend over the local days `range` (every page), as instants. */
async function readHours(
  connections: ConnectionsService,
  connectionId: string,
  advertiserId: string,
  range: { from: string; to: string },
  zone: string,
  calls: { count: number; tiktokNow: number | null },
): Promise<Array<{ hour: number; spend: number }>> {
  const hours: Array<{ hour: number; spend: number }> = [];
  for (let page = 1; ; page++) {
    calls.count++;
    const data = await connections.call<ReportPage>(
      connectionId,
      'GET',
      SPEND_REPORT,
      {
        query: {
          advertiser_id: advertiserId,
          report_type: 'BASIC',
          data_level: 'AUCTION_ADVERTISER',
          dimensions: JSON.stringify(['advertiser_id', 'stat_time_hour']),
          metrics: JSON.stringify(['spend']),
          start_date: range.from,
          end_date: range.to,
          page_size: 1000,
          page,
        },
        advertiserId,
        deadlineMs: 60_000,
        maxAttempts: 2,
        onRequestId: (requestId) => {
          calls.tiktokNow = timeOfRequestId(requestId) ?? calls.tiktokNow;
        },
      },
      { park: false },
    );
    for (const row of data.list ?? []) {
      const stamp = row.dimensions?.stat_time_hour;
      const hour = typeof stamp === 'string' ? instantOf(stamp, zone) : null;
      // TikTok sends metrics as strings, "-" or null where it has none.
      const spend = Number(row.metrics?.spend);
      if (hour !== null) hours.push({ hour, spend: Number.isFinite(spend) ? spend : 0 });
    }
    if (!data.page_info || page >= data.page_info.total_page) return hours;
  }
}

/** TikTok's time from a request id that begins with it (`20260114093000` + hex, fact sheet §10); else null. */
export function timeOfRequestId(requestId: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})[0-9A-Fa-f]/.exec(requestId);
  if (!m) return null;
  const at = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  return Number.isNaN(at) || +m[2]! > 12 || +m[3]! > 31 ? null : at;
}
