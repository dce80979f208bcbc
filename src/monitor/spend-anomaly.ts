import type { Observation, Subject } from '../incidents/index.ts';

/** Spend in one hour of a subject (an advertiser or a campaign), as hourly reports give it. */
export interface HourlySpend {
  /** Start of the hour, epoch ms (UTC). */
  hour: number;
  spend: number;
}

/** How spend is judged (defaults from the practice of Google Ads' anomaly detector and Optmyzr). */
export interface SpendPolicy {
  /** Past weeks compared (the same weekday and local hours). @default 4 */
  weeks: number;
  /** Fewest past weeks with data before anything is judged (a new account is not). @default 2 */
  minWeeks: number;
  /** Hours TikTok's reports may still change: the newest hours are not judged. @default 3 */
  reportingDelayHours: number;
  /** Hours without spend, after the delay, that "stopped" looks at. @default 3 */
  stopWindowHours: number;
  /** Robust z-score (median, MAD) at which a deviation is an anomaly. @default 3 */
  z: number;
  /** Least baseline spend (per stop window, or per day so far) worth an alert, in the account's currency. @default 5 */
  floor: number;
  /** A spike must also be at least this multiple of the baseline. @default 2 */
  spikeRatio: number;
}

export const DEFAULT_SPEND_POLICY: SpendPolicy = {
  weeks: 4,
  minWeeks: 2,
  reportingDelayHours: 3,
  stopWindowHours: 3,
  z: 3,
  floor: 5,
  spikeRatio: 2,
};

/** What the spend of one subject looks like now, against its own past. */
export type SpendReading =
  | { state: 'unknown'; reason: 'no_history' | 'below_floor' }
  | {
      state: 'normal' | 'stopped' | 'spike';
      /** What the reading compared: the stop window's spend, or the day's spend so far. */
      observed: number;
      baseline: { median: number; mad: number; weeks: number };
      z: number;
      /** The account's local date the reading is about (YYYY-MM-DD). */
      day: string;
    };

const HOUR = 3_600_000;

const formats = new Map<string, Intl.DateTimeFormat>();

/** An hour's local date and hour in `timeZone`: "2026-03-08", 14. */
function localHour(hour: number, timeZone: string): { day: string; hour: number } {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(timeZone, format);
  }
  const parts = format.formatToParts(new Date(hour));
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return { day: `${get('year')}-${get('month')}-${get('day')}`, hour: Number(get('hour')) };
}

/** `timeZone`'s offset from UTC at `at`, in ms (whole minutes). */
function offsetAt(timeZone: string, at: number): number {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  });
  const parts = format.formatToParts(new Date(at));
  const n = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return (
    Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute')) - Math.floor(at / 60_000) * 60_000
  );
}

/**
 * The instant a report's local time stamp names ("2026-03-08 14:00:00" in the account's `timeZone`, as
 * TikTok reports it). A stamp DST skips reads as the hour after; a repeated one as its first occurrence.
 * Null for anything else.
 */
export function instantOf(stamp: string, timeZone: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(stamp);
  if (!m) return null;
  const wall = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  // Date.UTC rolls "13-40 99:00" over into another date: such a stamp is not one.
  if (new Date(wall).toISOString().slice(0, 19).replace('T', ' ') !== stamp) return null;
  const first = wall - offsetAt(timeZone, wall);
  const second = wall - offsetAt(timeZone, first);
  const real = [first, second].filter((at) => at + offsetAt(timeZone, at) === wall);
  return real.length > 0 ? Math.min(...real) : Math.max(first, second);
}

/** The account's local date at `at` ("2026-03-08"), and `days` before it. */
export function localDate(at: number, timeZone: string, days = 0): string {
  return daysBefore(localHour(at, timeZone).day, days);
}

/** The local date `days` before `day` (calendar arithmetic: DST does not shift it). */
function daysBefore(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d! - days)).toISOString().slice(0, 10);
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * Judges a subject's spend (pure): has it **stopped** — nothing in the last `stopWindowHours` final hours
 * while the same local hours of the same weekday spent in past weeks — or **spiked** — the day so far far
 * above the same weekday's spend by the same local hour? Baselines are medians over the past weeks, spread
 * measured by the MAD (robust to one odd week, such as a holiday or a DST day); hours are the account's
 * local hours (`timeZone`, IANA); the newest `reportingDelayHours` are not judged.
 */
export function readSpend(
  series: readonly HourlySpend[],
  now: number,
  timeZone: string,
  policy: SpendPolicy = DEFAULT_SPEND_POLICY,
): SpendReading {
  const spend = new Map<string, number>(); // "YYYY-MM-DD HH" (local) → spend
  for (const point of series) {
    const local = localHour(point.hour, timeZone);
    const key = `${local.day} ${local.hour}`;
    spend.set(key, (spend.get(key) ?? 0) + point.spend);
  }
  const lastFinal = Math.floor(now / HOUR) * HOUR - policy.reportingDelayHours * HOUR;
  const window = Array.from({ length: policy.stopWindowHours }, (_, i) =>
    localHour(lastFinal - (policy.stopWindowHours - i) * HOUR, timeZone),
  );
  const today = localHour(lastFinal - HOUR, timeZone);
  const sumOver = (hours: Array<{ day: string; hour: number }>, weeksAgo: number) =>
    hours.reduce((sum, h) => sum + (spend.get(`${daysBefore(h.day, 7 * weeksAgo)} ${h.hour}`) ?? 0), 0);
  const hadData = (weeksAgo: number) =>
    [...spend.keys()].some((key) => key.startsWith(daysBefore(today.day, 7 * weeksAgo)));
  const past = Array.from({ length: policy.weeks }, (_, i) => i + 1).filter(hadData);
  if (past.length < policy.minWeeks) return { state: 'unknown', reason: 'no_history' };

  // Stopped: the window's own hours, week over week.
  const stopBaseline = past.map((weeks) => sumOver(window, weeks));
  const observedWindow = sumOver(window, 0);
  const stop = scored(observedWindow, stopBaseline);
  if (observedWindow === 0 && stop.median >= policy.floor && -stop.z >= policy.z)
    return { state: 'stopped', observed: 0, ...stop.reading, day: today.day };

  // Spiked: the day so far, by the same local hour.
  const soFar = Array.from({ length: today.hour + 1 }, (_, hour) => ({ day: today.day, hour }));
  const dayBaseline = past.map((weeks) => sumOver(soFar, weeks));
  const observedDay = sumOver(soFar, 0);
  const day = scored(observedDay, dayBaseline);
  if (
    day.z >= policy.z &&
    observedDay >= Math.max(policy.floor, policy.spikeRatio * day.median) &&
    observedDay >= policy.floor
  )
    return { state: 'spike', observed: observedDay, ...day.reading, day: today.day };
  if (stop.median < policy.floor && day.median < policy.floor)
    return { state: 'unknown', reason: 'below_floor' };
  return { state: 'normal', observed: observedWindow, ...stop.reading, day: today.day };
}

/** A robust z-score of `observed` against `baseline`: (x − median) / (1.4826 · MAD), MAD floored at 10 % of the median. */
function scored(observed: number, baseline: number[]) {
  const m = median(baseline);
  const mad = median(baseline.map((v) => Math.abs(v - m)));
  const spread = 1.4826 * Math.max(mad, 0.1 * m, 0.01);
  const z = (observed - m) / spread;
  return { median: m, z, reading: { baseline: { median: m, mad, weeks: baseline.length }, z } };
}

/**
 * The observation a spend reading makes for `subject`: a stop (one incident until delivery returns), a
 * spike (one incident per subject per local day), or the recovery of a stop. Nothing for an unknown reading.
 */
export function spendObservation(
  subject: Subject,
  reading: SpendReading,
  at: number,
  currency: string,
): Observation | null {
  if (reading.state === 'unknown') return null;
  const money = (n: number) => `${n.toFixed(2)} ${currency}`;
  const base = reading.baseline;
  if (reading.state === 'spike')
    return {
      problem: 'delivery',
      subject,
      detail: `spend_spike:${reading.day}`,
      failing: true,
      at,
      source: 'campaign_watch',
      severity: 'high',
      summary: `${subject.label} has spent ${money(reading.observed)} today so far, against a usual ${money(base.median)} by this hour on this weekday (median of ${base.weeks} weeks).`,
      fix: [
        'Check the budgets and bids changed today, and any campaign launched or duplicated by mistake.',
        'If the spend is not intended, pause the campaigns or lower their budgets in TikTok Ads Manager.',
      ],
      facts: {
        observed: reading.observed,
        baseline_median: base.median,
        baseline_mad: base.mad,
        z: round(reading.z),
      },
    };
  return {
    problem: 'delivery',
    subject,
    detail: 'spend_stopped',
    failing: reading.state === 'stopped',
    at,
    source: 'campaign_watch',
    severity: 'high',
    summary:
      reading.state === 'stopped'
        ? `${subject.label} has spent nothing for the last hours, where it usually spends ${money(base.median)} (median of the same hours over ${base.weeks} weeks).`
        : `${subject.label} spends again.`,
    fix: [
      'Look for what stopped delivery: a rejected ad, a spent budget or balance, a payment problem, an ended schedule (adwarden opens incidents for the ones TikTok reports).',
      'In TikTok Ads Manager, check the account and campaign status and the payment method.',
    ],
    facts: {
      observed: reading.observed,
      baseline_median: base.median,
      baseline_mad: base.mad,
      z: round(reading.z),
    },
  };
}

const round = (n: number) => Math.round(n * 100) / 100;
