import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MonitorRun, startMonitor } from '../../src/app/index.ts';
import { type Stack, startStack } from '../service/stack.ts';
import { trial } from '../support/trials.ts';
import { eventually, startWebhookSink } from '../support/webhook-sink.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SWEEP_MS = 4_000;

/**
 * The monitor's clock jumps forward and back (an NTP step, a VM resumed from a snapshot), with every
 * connection's token nearing the operator's maximum age. After each jump every connection is checked
 * again within a sweep, and each reminder is sent once, however often the daily job runs again.
 */
describe('clock jumps', () => {
  let stack: Stack;
  let sink: Awaited<ReturnType<typeof startWebhookSink>>;
  let run: MonitorRun;
  let offset = 0;
  const now = () => Date.now() + offset;

  beforeAll(async () => {
    stack = await startStack('pglite', {
      now,
      env: { ADWARDEN_SWEEP_INTERVAL: `${SWEEP_MS / 1000}s`, ADWARDEN_MAX_TOKEN_AGE: '30d' },
    });
    sink = await startWebhookSink();
    await stack.services.notifications.addChannel({ name: 'ops', kind: 'webhook', url: `${sink.url}/hook` });
    await stack.connectEach(3);
    run = await startMonitor(stack.services, { tickMs: 100, jobsSchema: 'pgboss_clock' });
  }, 60_000);

  afterAll(async () => {
    await run?.stop();
    await sink?.close();
    await stack?.close();
  });

  it('checks every connection after each jump and sends each reminder once', async () => {
    const jumps = [
      HOUR,
      -HOUR,
      DAY,
      -2 * DAY,
      25 * DAY,
      -3 * DAY,
      3 * DAY,
      30 * 60_000,
      -30 * 60_000,
      -DAY,
      DAY,
    ];
    const t = trial('faults', {
      area: 'Clock',
      tried: `the monitor’s clock jumped ${jumps.length} times, forward and back by 30 minutes to 25 days, with three tokens nearing a 30-day maximum age`,
      expected:
        'every connection checked again within two sweep intervals after each jump; each reminder incident opened and sent once, never resolved and reopened by a jump back',
      times: jumps.length,
    });
    const connections = await stack.services.connections.list();
    expect(connections).toHaveLength(3);
    const lastChecks = async () =>
      new Map(
        (await stack.services.connections.list()).map((c) => [
          c.id,
          c.last_check_at === null ? null : Date.parse(c.last_check_at),
        ]),
      );
    // A check made after the jump: a new time on the new clock (after a jump back, earlier than the last one).
    const checkedAfter = async (before: Map<string, number | null>, jumpedAt: number) =>
      [...(await lastChecks()).entries()].every(
        ([id, at]) => at !== null && at !== before.get(id) && at >= jumpedAt,
      );
    await eventually(
      async () => [...(await lastChecks()).values()].every(Boolean),
      'the first sweep',
      20_000,
    );
    const lags: number[] = [];
    for (const jump of jumps) {
      const before = await lastChecks();
      offset += jump;
      const jumpedAt = now();
      const started = Date.now();
      await eventually(
        () => checkedAfter(before, jumpedAt),
        `every connection checked after a jump of ${jump / HOUR} h`,
        2 * SWEEP_MS + 5_000,
      );
      lags.push(Date.now() - started);
    }

    // Each connection's token passed 23 days of its 30 (the 7-day lead) once, and never fell back out.
    const expiry = await eventually(async () => {
      const list = (await stack.services.incidents.list()).filter((i) => i.kind === 'expiry');
      return list.length === 3 ? list : null;
    }, 'three reminder incidents');
    expect(expiry.every((i) => i.state === 'open')).toBe(true);
    await eventually(
      async () => (await stack.services.notifications.notifications()).every((n) => n.status === 'delivered'),
      'every notification delivered',
    );
    const events = sink.received.map((r) => `${r.json.data.incident.id}:${r.json.data.event}`);
    const reminders = events.filter((e) => expiry.some((i) => e.startsWith(`${i.id}:`)));
    expect(reminders.sort()).toEqual(expiry.map((i) => `${i.id}:opened`).sort());
    expect(new Set(events).size).toBe(events.length);
    // Nothing else went wrong on the way: no other incident opened.
    expect((await stack.services.incidents.list()).filter((i) => i.kind !== 'expiry')).toEqual([]);
    t.figures({
      sweep_interval_ms: SWEEP_MS,
      max_real_ms_to_recheck_all: Math.max(...lags),
      reminder_incidents: expiry.length,
      reminder_notifications: reminders.length,
      notifications: events.length,
    });
  }, 240_000);
});
