import { describe, expect, it } from 'vitest';
import type { Incident } from '../incidents/index.ts';
import { provenRecoveries, unreachableObservation } from './check-follow-ups.ts';

const incident = (problem: Incident['problem'], advertiserId: string): Incident =>
  ({
    id: `inc_${problem}_${advertiserId}`,
    problem,
    subject: {
      type: 'advertiser',
      id: advertiserId,
      label: advertiserId,
      connectionId: 'con_1',
      advertiserId,
    },
    detail: null,
  }) as Incident;

const findings = {
  granted: [
    { advertiser_id: '7001', name: 'Acme' },
    { advertiser_id: '7002', name: 'Bluebird' },
  ],
  accountStatus: {
    checked: true,
    blocked: [{ advertiser_id: '7002', name: 'Bluebird', status: 'STATUS_LIMIT' }],
    refused: [],
    read: ['7001', '7002'],
    error: null,
  },
};

describe('provenRecoveries', () => {
  it.each([
    ['an advertiser back in the authorization', incident('advertiser_removed', '7001'), 'recovers'],
    ['an advertiser still out of it', incident('advertiser_removed', '7009'), 'stays'],
    ['an account read as enabled', incident('account_status', '7001'), 'recovers'],
    ['an account still limited', incident('account_status', '7002'), 'stays'],
    ['an account not read this time', incident('account_status', '7003'), 'stays'],
  ])('%s → %s', (_, open, expected) => {
    const seen = provenRecoveries(
      findings,
      { accountsRead: findings.accountStatus.read },
      {
        removed: open.problem === 'advertiser_removed' ? [open] : [],
        accountStatus: open.problem === 'account_status' ? [open] : [],
      },
      1000,
    );
    expect(seen.length ? 'recovers' : 'stays').toBe(expected);
    for (const o of seen) expect(o).toMatchObject({ failing: false, subject: open.subject, at: 1000 });
  });
});

describe('unreachableObservation', () => {
  const f = { connectionId: 'con_1', appId: 'app_1', label: 'Acme (con_1)', diagnosis: null };
  it.each([
    ['transient', 3, true],
    ['transient', 2, false],
    ['rate_limited', 5, false],
    ['ok', 0, false],
  ] as const)('%s × %i → %s', (outcome, failures, opens) => {
    expect(unreachableObservation(f, outcome, failures, 1000) !== null).toBe(opens);
  });
});
