import { describe, expect, it } from 'vitest';
import { type HourlySpend, instantOf, localDate, readSpend, spendObservation } from './spend-anomaly.ts';

const HOUR = 3_600_000;
const NY = 'America/New_York';

/** Local hour of an instant in `timeZone`. */
const localHour = (at: number, timeZone: string) =>
  Number(new Intl.DateTimeFormat('en-US', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(at));

/** The instant of `day` at `hour`:00 local time in New York (EST −5 / EDT −4 around the given days). */
const nyTime = (day: string, hour: number, offset: number) =>
  Date.parse(`${day}T${String(hour).padStart(2, '0')}:00:00Z`) + offset * HOUR;

/**
 * Five weeks of hourly spend up to `now`: `perHour(localHour, weeksAgo, at)` an hour. The usual account
 * spends 10 an hour from 08:00 to 21:59 local time and nothing at night.
 */
function series(now: number, perHour: (hour: number, weeksAgo: number, at: number) => number): HourlySpend[] {
  const points: HourlySpend[] = [];
  for (let at = Math.floor(now / HOUR) * HOUR - 35 * 24 * HOUR; at < now; at += HOUR) {
    const weeksAgo = Math.floor((now - at) / (7 * 24 * HOUR));
    points.push({ hour: at, spend: perHour(localHour(at, NY), weeksAgo, at) });
  }
  return points;
}
const usual = (hour: number) => (hour >= 8 && hour < 22 ? 10 : 0);

describe('readSpend', () => {
  // A Wednesday in winter (EST, UTC−5).
  const day = '2026-01-14';
  const at = (hour: number) => nyTime(day, hour, 5);
  const stoppedAtTen = (hour: number, weeksAgo: number, when: number) =>
    weeksAgo === 0 && when >= at(10) ? 0 : usual(hour);

  it.each([
    // [local time now, what happens today, expected state]
    [15, usual, 'normal'],
    [13, stoppedAtTen, 'normal'], // judged hours 07–09 still spent
    [15, stoppedAtTen, 'normal'], // 09:00 still spent: not three empty hours yet
    [16, stoppedAtTen, 'stopped'], // 10–12 empty, after the 3-hour reporting delay: now
    [6, usual, 'unknown'], // a quiet night: the same hours never spend, nothing to compare
    [15, (h: number, w: number) => (w === 0 ? 4 * usual(h) : usual(h)), 'spike'],
    [15, (h: number, w: number) => (w === 0 ? 1.3 * usual(h) : usual(h)), 'normal'], // 30 % more: no alert
  ] as const)('at %i:00 local → %#: %s', (hour, perHour, state) => {
    expect(readSpend(series(at(hour), perHour), at(hour), NY).state).toBe(state);
  });

  it('says nothing about a new account (less than two weeks of history)', () => {
    const now = at(16);
    const young = series(now, stoppedAtTen).filter((p) => p.hour > now - 9 * 24 * HOUR);
    expect(readSpend(young, now, NY)).toEqual({ state: 'unknown', reason: 'no_history' });
  });

  it('is not fooled by one odd week (a holiday with no spend)', () => {
    const holiday = (h: number, w: number, when: number) => (w === 2 ? 0 : stoppedAtTen(h, w, when));
    expect(readSpend(series(at(16), holiday), at(16), NY).state).toBe('stopped');
    const quietHoliday = (h: number, w: number) => (w === 2 ? 0 : usual(h));
    expect(readSpend(series(at(16), quietHoliday), at(16), NY).state).toBe('normal');
  });

  it('compares local hours across a DST change (New York springs forward on 2026-03-08)', () => {
    // Sunday 2026-03-08 is in EDT (UTC−4) from 03:00; the Sundays before were EST (UTC−5).
    const sunday = (hour: number) => nyTime('2026-03-08', hour, 4);
    expect(readSpend(series(sunday(16), usual), sunday(16), NY).state).toBe('normal');
    const stopped = (h: number, w: number, when: number) => (w === 0 && when >= sunday(10) ? 0 : usual(h));
    expect(readSpend(series(sunday(16), stopped), sunday(16), NY).state).toBe('stopped');
    expect(readSpend(series(sunday(15), stopped), sunday(15), NY).state).toBe('normal');
  });

  it('reports its baseline: median and MAD of the same hours over the past weeks', () => {
    const reading = readSpend(series(at(16), stoppedAtTen), at(16), NY);
    expect(reading).toMatchObject({
      state: 'stopped',
      observed: 0,
      baseline: { median: 30, mad: 0, weeks: 4 },
      day,
    });
  });
});

describe('spendObservation', () => {
  const subject = {
    type: 'advertiser' as const,
    id: '7001',
    label: 'Northwind (7001)',
    connectionId: 'c',
    appId: 'a',
    advertiserId: '7001',
  };
  const baseline = { median: 30, mad: 1, weeks: 4 };

  it.each([
    // [reading, failing, detail]
    [{ state: 'stopped' as const, observed: 0, baseline, z: -20, day: '2026-01-14' }, true, 'spend_stopped'],
    [{ state: 'normal' as const, observed: 30, baseline, z: 0, day: '2026-01-14' }, false, 'spend_stopped'],
    [
      { state: 'spike' as const, observed: 400, baseline, z: 9, day: '2026-01-14' },
      true,
      'spend_spike:2026-01-14',
    ],
  ])('%#: failing %s, detail %s', (reading, failing, detail) => {
    expect(spendObservation(subject, reading, 0, 'USD')).toMatchObject({
      problem: 'delivery',
      failing,
      detail,
    });
  });

  it('makes nothing of an unknown reading', () => {
    expect(spendObservation(subject, { state: 'unknown', reason: 'no_history' }, 0, 'USD')).toBeNull();
  });
});

describe('instantOf: report stamps in the account’s time zone', () => {
  const iso = (stamp: string, zone: string) => {
    const at = instantOf(stamp, zone);
    return at === null ? null : new Date(at).toISOString();
  };
  it.each([
    ['2026-01-14 09:00:00', 'America/New_York', '2026-01-14T14:00:00.000Z'],
    ['2026-01-14 09:00:00', 'Asia/Kolkata', '2026-01-14T03:30:00.000Z'],
    ['2026-01-14 09:00:00', 'UTC', '2026-01-14T09:00:00.000Z'],
    // The hour spring-forward skips reads as the hour after; the repeated one as its first occurrence.
    ['2026-03-08 02:00:00', 'America/New_York', '2026-03-08T07:00:00.000Z'],
    ['2026-11-01 01:00:00', 'America/New_York', '2026-11-01T05:00:00.000Z'],
    ['2026-11-01 02:00:00', 'America/New_York', '2026-11-01T07:00:00.000Z'],
    ['2026-01-14', 'UTC', null],
    ['2026-13-40 99:00:00', 'UTC', null],
  ])('%s in %s is %s', (stamp, zone, expected) => {
    expect(iso(stamp, zone)).toBe(expected);
  });
  it('localDate gives the account’s date, and days before it', () => {
    expect(localDate(Date.UTC(2026, 0, 14, 3), 'America/New_York')).toBe('2026-01-13');
    expect(localDate(Date.UTC(2026, 0, 14, 3), 'America/New_York', 28)).toBe('2025-12-16');
  });
});
