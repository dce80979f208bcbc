import { describe, expect, it } from 'vitest';
import { deliveryFindings } from './delivery-findings.ts';
import { expiryFindings } from './expiry-findings.ts';
import { DEFAULT_SWEEP_POLICY, dueConnections, minimumSweepCalls, nextCheckAt } from './plan-sweep.ts';

const DAY = 86_400_000;

describe('sweep planning', () => {
  it('checks due connections, oldest first, and never ones pending, waiting for re-auth or revoked', () => {
    const due = dueConnections(
      [
        { id: 'later', status: 'healthy', nextCheckAt: 2000 },
        { id: 'new', status: 'healthy', nextCheckAt: null },
        { id: 'connecting', status: 'pending', nextCheckAt: null },
        { id: 'due', status: 'degraded', nextCheckAt: 500 },
        { id: 'dead', status: 'needs_reauth', nextCheckAt: 0 },
        { id: 'gone', status: 'revoked', nextCheckAt: 0 },
      ],
      1000,
    );
    expect(due).toEqual(['new', 'due']);
  });

  it('checks a connection planned beyond the longest interval: the clock went back since', () => {
    const policy = { ...DEFAULT_SWEEP_POLICY, intervalMs: 300_000, jitter: 0.1 };
    const due = dueConnections(
      [
        { id: 'planned', status: 'healthy', nextCheckAt: 1000 + 330_000 },
        { id: 'before-the-jump', status: 'healthy', nextCheckAt: 1000 + 330_001 },
        { id: 'day-ahead', status: 'degraded', nextCheckAt: 1000 + 86_400_000 },
      ],
      1000,
      policy,
    );
    expect(due).toEqual(['before-the-jump', 'day-ahead']);
  });

  it.each([
    ['ok', 0, 0.5, 300_000],
    ['ok', 0, 0, 270_000],
    ['ok', 0, 1, 330_000],
    ['transient', 1, 0.5, 30_000],
    ['transient', 3, 0.5, 120_000],
    ['transient', 10, 0.5, 300_000],
  ] as const)(
    'schedules the next check after %s with %i failures (random %d) in %i ms',
    (outcome, failures, r, wait) => {
      expect(nextCheckAt(outcome, failures, 1000, DEFAULT_SWEEP_POLICY, () => r)).toBe(1000 + wait);
    },
  );

  it('stops checking a dead token', () => {
    expect(nextCheckAt('dead', 0, 1000, DEFAULT_SWEEP_POLICY, () => 0.5)).toBeNull();
  });

  it('counts the minimum calls: one token check plus advertiser info per hundred', () => {
    expect(
      minimumSweepCalls([
        { advertisers: 50, accountInfo: true },
        { advertisers: 100, accountInfo: true },
        { advertisers: 101, accountInfo: true },
        { advertisers: 7, accountInfo: false },
      ]),
    ).toBe(2 + 2 + 3 + 1);
  });
});

describe('deliveryFindings', () => {
  const advertiser = { id: '7001', name: 'Bluebird Coffee' };
  it('reports a rejected ad, a spent campaign budget with its stopped ads, and ignores healthy items', () => {
    const findings = deliveryFindings(advertiser, [
      { level: 'ad', id: 'a1', name: 'Spring', secondaryStatus: 'AD_STATUS_AUDIT_DENY' },
      { level: 'ad', id: 'a2', name: 'Fine', secondaryStatus: 'AD_STATUS_DELIVERY_OK' },
      { level: 'campaign', id: 'c1', name: 'Q4', secondaryStatus: 'CAMPAIGN_STATUS_BUDGET_EXCEED' },
      { level: 'ad', id: 'a3', name: 'x', secondaryStatus: 'AD_STATUS_CAMPAIGN_EXCEED', campaignId: 'c1' },
      { level: 'ad', id: 'a4', name: 'y', secondaryStatus: 'AD_STATUS_CAMPAIGN_EXCEED', campaignId: 'c1' },
    ]);
    expect(findings.map((f) => [f.subject.type, f.subject.id, f.detail, f.affectedAds])).toEqual([
      ['ad', 'a1', 'rejected', 1],
      ['campaign', 'c1', 'budget', 2],
    ]);
    expect(findings[0]!.summary).toContain('rejected in review');
  });

  it('reports a spent balance once for the whole account', () => {
    const findings = deliveryFindings(advertiser, [
      { level: 'adgroup', id: 'g1', name: 'g', secondaryStatus: 'ADGROUP_STATUS_BALANCE_EXCEED' },
      { level: 'adgroup', id: 'g2', name: 'g', secondaryStatus: 'ADGROUP_STATUS_BALANCE_EXCEED' },
      { level: 'ad', id: 'a1', name: 'a', secondaryStatus: 'AD_STATUS_BALANCE_EXCEED' },
    ]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      subject: { type: 'advertiser', id: '7001' },
      detail: 'balance',
      severity: 'critical',
    });
  });

  it('reports failed transcoding and lost asset authorization', () => {
    const findings = deliveryFindings(advertiser, [
      { level: 'ad', id: 'a1', name: 'v', secondaryStatus: 'AD_STATUS_TRANSCODING_FAIL' },
      { level: 'adgroup', id: 'g1', name: 'g', secondaryStatus: 'ADGROUP_STATUS_ASSET_AUTHORIZATION_LOST' },
    ]);
    expect(findings.map((f) => f.detail)).toEqual(['creative', 'creative']);
  });
});

describe('expiryFindings', () => {
  const now = 1000 * DAY;
  const policy = { reminderLeadMs: 7 * DAY, refreshLeadMs: 2 * 3_600_000, maxTokenAgeMs: null };
  const ttUser = {
    connectionId: 'c',
    label: 'c',
    regime: 'tt_user' as const,
    status: 'healthy',
    issuedAt: now - 300 * DAY,
    accessExpiresAt: now + 3_600_000,
    refreshExpiresAt: now + 65 * DAY,
  };

  it('refreshes a tt_user access token ahead of its end and has nothing to remind yet', () => {
    expect(expiryFindings([ttUser], now, policy)).toEqual([
      { connectionId: 'c', type: 'clear', endsAt: now + 65 * DAY },
      { connectionId: 'c', type: 'refresh', endsAt: now + 3_600_000 },
    ]);
  });

  it('reminds 7 days before the refresh token ends', () => {
    const [finding] = expiryFindings([{ ...ttUser, refreshExpiresAt: now + 6 * DAY }], now, policy);
    expect(finding).toMatchObject({ type: 'remind', what: 'the refresh token', endsAt: now + 6 * DAY });
  });

  it('reminds about the operator maximum token age for advertiser tokens, and clears dead connections', () => {
    const advertiser = {
      ...ttUser,
      regime: 'advertiser' as const,
      accessExpiresAt: null,
      refreshExpiresAt: null,
    };
    const findings = expiryFindings(
      [advertiser, { ...advertiser, connectionId: 'dead', status: 'needs_reauth' }],
      now,
      { ...policy, maxTokenAgeMs: 305 * DAY },
    );
    expect(findings).toEqual([
      {
        connectionId: 'c',
        type: 'remind',
        what: 'the maximum token age set by the operator',
        endsAt: now + 5 * DAY,
        label: 'c',
      },
      { connectionId: 'dead', type: 'clear', endsAt: null },
    ]);
  });
});
