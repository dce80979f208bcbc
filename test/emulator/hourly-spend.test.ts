// Hourly reports with a day's shape, and the spend faults (stopDelivery, spendSpike), read by the
// spend-anomaly detector over real HTTP: what the monitor's spend watch will see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SPEND_POLICY as defaults, instantOf, readSpend } from '../../src/monitor/index.ts';
import { type Json, list, startEmulator } from './helpers.ts';

let t: Awaited<ReturnType<typeof startEmulator>>;
let advertiserId: string;
let zone: string;
const DAY = 86_400_000;
const HOUR = 3_600_000;

beforeAll(async () => {
  // Wednesday 2026-01-14, 16:00 UTC: weeks of delivery behind every seeded ad.
  t = await startEmulator({ startTime: Date.UTC(2026, 0, 14, 16) });
  advertiserId = t.productionToken.advertiser_ids[0]!;
  zone = t.world.advertisers.find((a) => a.advertiser_id === advertiserId)!.timezone;
});
afterAll(() => t.emulator.close());

async function hourly(from: string, to: string) {
  const query = [
    `advertiser_id=${advertiserId}`,
    'report_type=BASIC',
    'data_level=AUCTION_ADVERTISER',
    `dimensions=${list(['advertiser_id', 'stat_time_hour'])}`,
    `metrics=${list(['spend', 'impressions'])}`,
    `start_date=${from}`,
    `end_date=${to}`,
    'page_size=1000',
  ].join('&');
  const { body } = await t.get(`/report/integrated/get/?${query}`, t.productionToken.access_token);
  expect(body.code).toBe(0);
  return (body.data.list as Json[]).map((row) => ({
    // TikTok stamps hours in the account's time zone.
    hour: instantOf(row.dimensions.stat_time_hour, zone)!,
    spend: Number(row.metrics.spend),
  }));
}

describe('hourly reports', () => {
  it('give one row per hour of the account’s local day, shaped like a day (evenings busier than nights), none in the future', async () => {
    const rows = await hourly('2026-01-13', '2026-01-14');
    expect(rows).toHaveLength(48);
    const local = (h: number, day = 13) =>
      instantOf(`2026-01-${day} ${String(h).padStart(2, '0')}:00:00`, zone)!;
    const at = (h: number) => rows.find((r) => r.hour === local(h))!.spend;
    expect(at(19)).toBeGreaterThan(3 * at(3));
    expect(rows.filter((r) => r.hour > Date.UTC(2026, 0, 14, 16)).every((r) => r.spend === 0)).toBe(true);
    expect(rows.filter((r) => r.hour < Date.UTC(2026, 0, 14, 15)).some((r) => r.spend > 0)).toBe(true);
  });

  it('refuse stat_time_day and stat_time_hour together', async () => {
    const { body } = await t.get(
      `/report/integrated/get/?advertiser_id=${advertiserId}&report_type=BASIC&dimensions=${list(['advertiser_id', 'stat_time_day', 'stat_time_hour'])}&start_date=2026-01-13&end_date=2026-01-13`,
      t.productionToken.access_token,
    );
    expect(body.code).toBe(40002);
  });
});

describe('spend faults, as the spend-anomaly detector reads them', () => {
  const fiveWeeks = async () => {
    const rows = [];
    for (let day = Date.UTC(2025, 11, 10); day <= Date.UTC(2026, 0, 14); day += 10 * DAY) {
      const to = Math.min(day + 9 * DAY, Date.UTC(2026, 0, 14));
      rows.push(
        ...(await hourly(new Date(day).toISOString().slice(0, 10), new Date(to).toISOString().slice(0, 10))),
      );
    }
    return rows;
  };

  it('a normal day reads normal', async () => {
    const now = await t.emulator.clock.now();
    expect(readSpend(await fiveWeeks(), now, zone, { ...defaults, floor: 0.01 }).state).toBe('normal');
  });

  it('stopDelivery: the detector finds the stop once the window and the reporting delay have passed', async () => {
    await t.emulator.control.fault({ type: 'stopDelivery', advertiserId });
    await t.emulator.control.advanceClock(3 * HOUR);
    const early = readSpend(await fiveWeeks(), t.emulator.clock.now(), zone, { ...defaults, floor: 0.01 });
    expect(early.state).toBe('normal');
    await t.emulator.control.advanceClock(3 * HOUR);
    const later = readSpend(await fiveWeeks(), t.emulator.clock.now(), zone, { ...defaults, floor: 0.01 });
    expect(later.state).toBe('stopped');
    await t.emulator.control.fault({ type: 'restoreDelivery', advertiserId });
  });

  it('spendSpike: four times the usual spend reads as a spike', async () => {
    await t.emulator.control.advanceClock(14 * HOUR); // the next day
    await t.emulator.control.fault({ type: 'spendSpike', advertiserId, factor: 4 });
    await t.emulator.control.advanceClock(10 * HOUR); // ten hours later, judged up to three hours before
    const rows = await fiveWeeks();
    rows.push(...(await hourly('2026-01-15', '2026-01-15')));
    expect(readSpend(rows, t.emulator.clock.now(), zone, { ...defaults, floor: 0.01 }).state).toBe('spike');
  });
});
