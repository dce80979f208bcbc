import { describe, expect, it } from 'vitest';
import { correlateOutage } from './correlate-outage.ts';
import { describeAction, planRemediation } from './plan-remediation.ts';
import type { Incident, Problem } from './types.ts';

const incident = (problem: Problem, facts: Record<string, unknown> = {}): Incident => ({
  id: 'inc_1',
  fingerprint: 'f',
  problem,
  subject: { type: 'connection', id: 'con_1', label: 'Acme', connectionId: 'con_1' },
  detail: null,
  severity: 'high',
  state: 'open',
  summary: 's',
  fix: [],
  facts,
  openedAt: 0,
  updatedAt: 0,
  resolvedAt: null,
  lastFailingAt: 0,
  recoveringSince: null,
  occurrences: 1,
  mutedUntil: null,
  reopenCount: 0,
});

describe('planRemediation', () => {
  it.each([
    ['auth', {}, ['send_reauth_link']],
    ['permission', { endpoint: '/advertiser/info/', method: 'GET' }, ['send_reauth_link']],
    ['expiry', { refreshable: true }, ['refresh_token']],
    ['expiry', { refreshable: false }, ['send_reauth_link']],
    ['unreachable', {}, ['recheck']],
    ['outage', {}, ['suppress_noise']],
    ['delivery', {}, []],
    ['account_status', {}, []],
    ['app_credentials', {}, []],
    ['environment', {}, []],
    ['advertiser_removed', {}, []],
    ['rate_limit', {}, []],
  ] as const)('plans %s (%o) on opening as %o', (problem, facts, expected) => {
    expect(planRemediation(incident(problem, facts), 'opened').map((a) => a.type)).toEqual(expected);
  });

  it('names the refused endpoint in the re-auth reason', () => {
    const [action] = planRemediation(
      incident('permission', { endpoint: '/advertiser/info/', method: 'GET' }),
      'opened',
    );
    expect(action).toMatchObject({ why: 'the authorization lacks the permission for GET /advertiser/info/' });
  });

  it('re-runs the failed calls after an auth or permission repair, and nothing else', () => {
    expect(planRemediation(incident('auth'), 'resolved')).toEqual([
      { type: 'replay_parked', connectionId: 'con_1' },
    ]);
    expect(planRemediation(incident('delivery'), 'resolved')).toEqual([]);
  });

  it('describes actions as handled automatically', () => {
    expect(describeAction({ type: 'replay_parked', connectionId: 'c' }, '2 re-run')).toBe(
      'Handled automatically: the calls that failed were re-run (2 re-run).',
    );
  });
});

describe('correlateOutage', () => {
  const now = 1_000_000;
  const check = (connectionId: string, appId: string, outcome: 'ok' | 'transient', ago = 1000) => ({
    connectionId,
    appId,
    outcome,
    at: now - ago,
  });

  it('sees an outage when most connections across apps fail transiently', () => {
    const verdict = correlateOutage(
      [
        check('a', 'p', 'transient'),
        check('b', 'p', 'transient'),
        check('c', 's', 'transient'),
        check('d', 'p', 'ok'),
      ],
      now,
    );
    expect(verdict).toEqual({ outage: true, failing: ['a', 'b', 'c'], checked: 4, apps: ['p', 's'] });
  });

  it('does not blame the platform for failures confined to one app while another app works', () => {
    const verdict = correlateOutage(
      [
        check('a', 'p', 'transient'),
        check('b', 'p', 'transient'),
        check('c', 'p', 'transient'),
        check('d', 's', 'ok'),
        check('e', 's', 'ok'),
      ],
      now,
    );
    expect(verdict.outage).toBe(false);
  });

  it('still sees an outage when the other app has too few connections to judge by', () => {
    const verdict = correlateOutage(
      [
        check('a', 'p', 'transient'),
        check('b', 'p', 'transient'),
        check('c', 'p', 'transient'),
        check('d', 's', 'ok'),
      ],
      now,
    );
    expect(verdict.outage).toBe(true);
  });

  it('needs enough connections and a large enough share', () => {
    expect(correlateOutage([check('a', 'p', 'transient'), check('b', 'p', 'transient')], now).outage).toBe(
      false,
    );
    const many = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id, i) =>
      check(id, 'p', i < 3 ? 'transient' : 'ok'),
    );
    expect(correlateOutage(many, now).outage).toBe(false);
  });

  it('reads only the latest check of each connection inside the window', () => {
    const verdict = correlateOutage(
      [
        check('a', 'p', 'transient', 5000),
        check('a', 'p', 'ok', 1000),
        check('b', 'p', 'transient'),
        check('c', 'p', 'transient'),
        check('d', 'p', 'transient', 700_000),
      ],
      now,
    );
    expect(verdict).toMatchObject({ outage: false, failing: ['b', 'c'], checked: 3 });
  });
});
