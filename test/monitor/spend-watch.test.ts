import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmulatorClock } from '../../src/emulator/index.ts';
import { timeOfRequestId } from '../../src/services/monitor/monitor-spend.ts';
import { type Stack, startStack } from '../service/stack.ts';

const HOUR = 3_600_000;

/**
 * The monitor's spend watch over real HTTP: hourly reports read at most once an hour per advertiser,
 * kept, and judged against the same weekday's hours. The service runs on the emulator's clock.
 */
describe('spend watch', () => {
  let stack: Stack;
  let clock: EmulatorClock | null = null;
  let connectionId: string;
  let advertiserId: string;

  beforeAll(async () => {
    // Wednesday 2026-01-14, 07:30 in New York (the seed's first advertiser's zone).
    stack = await startStack('pglite', {
      now: () => (clock ? clock.now() : Date.UTC(2026, 0, 14, 12, 30)),
      emulator: { startTime: Date.UTC(2026, 0, 14, 12, 30) },
    });
    clock = stack.emulator.clock;
    const world = await stack.emulator.control.state();
    const first = world.advertisers.find((a) => a.app_ids.includes(stack.app.app_id))!;
    expect(first.timezone).toBe('America/New_York');
    advertiserId = first.advertiser_id;
    await stack.consent(`${stack.address}/connect/tiktok?app=${stack.app.app_id}`, {
      advertiserIds: [advertiserId],
    });
    connectionId = (await stack.services.connections.list()).at(-1)!.id;
  }, 60_000);
  afterAll(() => stack?.close());

  const spendIncidents = async () =>
    (await stack.services.incidents.list()).filter(
      (i) => i.kind === 'delivery' && /spent nothing|spends again/.test(i.summary),
    );
  const reportCalls = async () =>
    (await stack.emulator.control.requests()).filter((r) => r.path.includes('/report/integrated/get/'))
      .length;
  /** Moves TikTok's (and so adwarden's) clock to `hour`:00 New York time that day, and watches. */
  async function watchAt(hour: number) {
    clock!.advance(Date.UTC(2026, 0, 14, hour + 5) - clock!.now());
    return stack.services.monitor.watch(connectionId);
  }

  it('reads four weeks of hours once, then at most once an hour', async () => {
    const before = await reportCalls();
    await stack.services.monitor.watch(connectionId);
    expect(await reportCalls()).toBe(before + 1);
    await stack.services.monitor.watch(connectionId);
    expect(await reportCalls()).toBe(before + 1);
    expect(await spendIncidents()).toEqual([]);
  });

  it('finds a stop at 10:00 once the window and the reporting delay say so (16:00), not before', async () => {
    await watchAt(10);
    await stack.emulator.control.fault({ type: 'stopDelivery', advertiserId });
    for (const hour of [11, 12, 13, 14, 15]) {
      await watchAt(hour);
      expect(await spendIncidents(), `at ${hour}:00`).toEqual([]);
    }
    await watchAt(16);
    const [stopped] = await spendIncidents();
    expect(stopped!.summary).toMatch(
      /has spent nothing for the last hours, where it usually spends [\d.]+ USD/,
    );
    expect(stopped!.subject).toMatchObject({ type: 'advertiser', id: advertiserId });
  });

  it('ends the incident once spend returns', async () => {
    await stack.emulator.control.fault({ type: 'restoreDelivery', advertiserId });
    await watchAt(20);
    const [stopped] = await spendIncidents();
    const shown = (await stack.services.incidents.show(stopped!.id)) as { recovering_since: string | null };
    expect(shown.recovering_since).not.toBeNull();
  });

  it('reads hours missed while the monitor was down, and judges nothing new from a quiet night', async () => {
    const before = await reportCalls();
    clock!.advance(30 * HOUR); // the next day's early hours, after a day without reads
    await stack.services.monitor.watch(connectionId);
    expect(await reportCalls()).toBe(before + 1);
    const open = (await spendIncidents()).filter((i) => i.state === 'open');
    expect(open).toEqual([]);
  });
});

describe('TikTok’s time, from its request ids', () => {
  it.each([
    ['20260114093000a1b2c3d4e5f60718293a', Date.UTC(2026, 0, 14, 9, 30)],
    ['202601140930001A2B3C4D5E6F70819203', Date.UTC(2026, 0, 14, 9, 30)],
    ['20261399093000a1b2c3d4e5f60718293a', null],
    ['abc', null],
    ['', null],
  ])('%s → %s', (id, expected) => {
    expect(timeOfRequestId(id)).toBe(expected);
  });
});
