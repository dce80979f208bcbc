import { describe, expect, it } from 'vitest';
import { type BlindSpotInput, blindSpotObservation } from './blind-spot.ts';
import type { CheckDiagnosis } from './check-observations.ts';

const MIN = 60_000;
const T0 = Date.parse('2026-12-02T10:00:00Z');
const throttled: CheckDiagnosis = {
  kind: 'rate_limited',
  code: 40100,
  title: 'Too many requests',
  fix: [],
  request_id: 'r1',
  endpoint: null,
  method: null,
  permission_group: null,
  window: 'second',
  message: null,
};

const input = (over: Partial<BlindSpotInput>): BlindSpotInput => ({
  outcome: 'rate_limited',
  diagnosis: throttled,
  appId: 'app_1',
  connection: { id: 'con_1', label: 'Acme +2 (con_1)' },
  lastOkAt: T0,
  now: T0 + 11 * MIN,
  sweepIntervalMs: 5 * MIN,
  ...over,
});

describe('blindSpotObservation', () => {
  it.each([
    ['rate limited for 2 intervals', {}, 'failing'],
    ['rate limited for less than 2 intervals', { now: T0 + 9 * MIN }, null],
    ['a check that succeeds', { outcome: 'ok' as const, diagnosis: null }, 'passing'],
    ['a transient failure (outage territory, not a blind spot)', { outcome: 'transient' as const }, null],
    ['a dead token (its own incident)', { outcome: 'dead' as const }, null],
    [
      'a spent daily quota (the rate_limit incident covers it)',
      { diagnosis: { ...throttled, window: 'day' } },
      null,
    ],
  ])('%s → %s', (_, over, expected) => {
    const o = blindSpotObservation(input(over));
    expect(o === null ? null : o.failing ? 'failing' : 'passing').toBe(expected);
  });

  it('names the connection, how long, the code and what a person can do, on the app', () => {
    const o = blindSpotObservation(input({ now: T0 + 16 * MIN }))!;
    expect(o).toMatchObject({
      problem: 'monitoring',
      subject: { type: 'app', id: 'app_1' },
      detail: 'rate_limited',
      facts: { code: 40100, connection_id: 'con_1', intervals: 3 },
    });
    expect(o.summary).toBe(
      'Monitoring degraded: no successful check of Acme +2 (con_1) for 16 minutes (3 sweep intervals) because TikTok answers rate limits (40100) for app app_1. While this lasts adwarden cannot see a revoked token or a suspended account on it.',
    );
    expect(o.fix!.join(' ')).toMatch(/higher rate tier/);
  });

  it('says when the calls are held by adwarden’s pause rather than refused by TikTok', () => {
    const held: CheckDiagnosis = { ...throttled, code: 'ADW_RATE_BUDGET_TIMEOUT', window: null };
    expect(blindSpotObservation(input({ diagnosis: held }))!.summary).toMatch(
      /because app app_1's calls are paused after TikTok's rate limits \(ADW_RATE_BUDGET_TIMEOUT\)\./,
    );
  });

  it('honours a longer threshold', () => {
    expect(blindSpotObservation(input({}), { afterIntervals: 3 })).toBeNull();
  });
});
