import { describe, expect, it } from 'vitest';
import { connectionHealth, type HealthInput } from './connection-health.ts';

const input = (over: Partial<HealthInput>): HealthInput => ({
  status: 'valid',
  needsReauth: false,
  summary: 'The token is valid.',
  blocked: [],
  refused: [],
  ...over,
});
const disabled = { advertiser_id: '7001', name: 'Acme', status: 'STATUS_DISABLE' };
const refusal = {
  label: 'Bluebird (7002)',
  message: 'advertiser does not grant you /advertiser/info/:GET permission',
};

describe('connectionHealth', () => {
  it.each([
    ['a valid token', {}, 'status healthy ok'],
    ['a valid token, an account disabled', { blocked: [disabled] }, 'status degraded ok'],
    ['a valid token, an advertiser refusing account info', { refused: [refusal] }, 'status degraded ok'],
    [
      'advertisers removed from the authorization',
      { status: 'advertiser_removed', summary: 'dropped' },
      'status degraded ok',
    ],
    ['a revoked token', { status: 'revoked', needsReauth: true }, 'needs_reauth'],
    ['every advertiser removed', { status: 'advertiser_removed', needsReauth: true }, 'needs_reauth'],
    ['a rotated app secret', { status: 'app_secret_rotated' }, 'status degraded not-ok'],
    ['a token of the other environment (kept)', { status: 'wrong_environment' }, 'status degraded not-ok'],
    ['a transient failure', { status: 'inconclusive' }, 'none'],
  ])('%s → %s', (_, over, expected) => {
    const v = connectionHealth(input(over));
    expect(v.change === 'status' ? `status ${v.status} ${v.ok ? 'ok' : 'not-ok'}` : v.change).toBe(expected);
  });

  it('gives the first cause as the reason: removed, then blocked, then refused', () => {
    expect(connectionHealth(input({ blocked: [disabled], refused: [refusal] }))).toMatchObject({
      reason: 'Accounts that cannot deliver: Acme (7001, STATUS_DISABLE).',
    });
    expect(connectionHealth(input({ refused: [refusal] }))).toMatchObject({
      reason:
        'GET /advertiser/info/ is refused for Bluebird (7002): advertiser does not grant you /advertiser/info/:GET permission.',
    });
  });
});
