import { describe, expect, it } from 'vitest';
import { type CheckDiagnosis, type CheckFindings, readCheck } from './check-observations.ts';

const diagnosis = (over: Partial<CheckDiagnosis>): CheckDiagnosis => ({
  kind: 'transient',
  code: 50002,
  title: 't',
  fix: [],
  request_id: 'r',
  endpoint: null,
  method: null,
  permission_group: null,
  window: null,
  message: null,
  ...over,
});

const findings = (over: Partial<CheckFindings> = {}): CheckFindings => ({
  connectionId: 'con_1',
  appId: 'app_1',
  label: 'Acme +2 (con_1)',
  live: true,
  status: 'valid',
  needsReauth: false,
  summary: 'The token is valid.',
  tokenEnvironment: null,
  removed: [],
  granted: [{ advertiser_id: '7001', name: 'Acme' }],
  diagnosis: null,
  accountStatus: { checked: true, blocked: [], refused: [], read: ['7001'], error: null },
  ...over,
});

const seen = (f: CheckFindings) =>
  readCheck(f, 1000).observations.map(
    (o) => `${o.problem}:${o.subject.type}:${o.failing ? 'failing' : 'ok'}`,
  );

describe('readCheck', () => {
  it('clears auth, environment, app credentials, reachability and account-info permission on a valid check', () => {
    expect(seen(findings())).toEqual([
      'auth:connection:ok',
      'environment:connection:ok',
      'app_credentials:app:ok',
      'unreachable:connection:ok',
      'permission:advertiser:ok',
      'permission:connection:ok',
    ]);
  });

  it('does not vouch for the app secret when the probe did not use it (tt_user, sandbox)', () => {
    expect(
      seen(
        findings({
          granted: [],
          accountStatus: { checked: false, blocked: [], refused: [], read: [], error: null },
        }),
      ),
    ).toEqual(['auth:connection:ok', 'environment:connection:ok', 'unreachable:connection:ok']);
  });

  it.each([
    [{ status: 'revoked', needsReauth: true }, ['auth:connection:failing'], 'dead'],
    [
      // Not dead: the token works in the other environment, so the sweep keeps checking it.
      { status: 'wrong_environment', needsReauth: false, tokenEnvironment: 'sandbox' },
      ['environment:connection:failing'],
      'ok',
    ],
    [{ status: 'app_secret_rotated' }, ['app_credentials:app:failing'], 'ok'],
    [{ status: 'inconclusive', diagnosis: diagnosis({ kind: 'transient' }) }, [], 'transient'],
    [
      { status: 'inconclusive', diagnosis: diagnosis({ kind: 'rate_limited', code: 40100 }) },
      [],
      'rate_limited',
    ],
    [
      { status: 'inconclusive', diagnosis: diagnosis({ kind: 'rate_limited', code: 40100, window: 'day' }) },
      ['rate_limit:app:failing'],
      'rate_limited',
    ],
    [{ live: false }, [], 'dead'],
  ] as const)('reads %o as %o (%s)', (over, expected, outcome) => {
    const reading = readCheck(findings(over as Partial<CheckFindings>), 1000);
    expect(
      reading.observations.map((o) => `${o.problem}:${o.subject.type}:${o.failing ? 'failing' : 'ok'}`),
    ).toEqual(expected);
    expect(reading.outcome).toBe(outcome);
  });

  it('names the refusing advertiser, the endpoint, method and permission group in a permission problem', () => {
    const reading = readCheck(
      findings({
        granted: [
          { advertiser_id: '7001', name: 'Acme' },
          { advertiser_id: '7002', name: 'Bluebird' },
        ],
        accountStatus: {
          checked: true,
          blocked: [],
          refused: [
            {
              advertiser_id: '7002',
              name: 'Bluebird',
              error: diagnosis({
                kind: 'permission_denied',
                code: 40001,
                endpoint: '/advertiser/info/',
                method: 'GET',
                permission_group: 'Ad Account Management',
                message: 'advertiser does not grant you /advertiser/info/:GET permission',
              }),
            },
          ],
          read: ['7001'],
          error: null,
        },
      }),
      1000,
    );
    const permission = reading.observations.find((o) => o.problem === 'permission' && o.failing)!;
    expect(permission).toMatchObject({
      failing: true,
      detail: 'GET /advertiser/info/',
      subject: { type: 'advertiser', id: '7002', label: 'Bluebird (7002)', connectionId: 'con_1' },
    });
    expect(permission.summary).toContain('Bluebird (7002)');
    // The sibling that answered clears its own refusal, if it had one; the connection-wide one stays.
    expect(
      reading.observations
        .filter((o) => o.problem === 'permission' && !o.failing)
        .map((o) => `${o.subject.type}:${o.subject.id}`),
    ).toEqual(['advertiser:7001']);
    expect(reading.accountsRead).toEqual(['7001']);
    expect(permission.fix!.join(' ')).toContain('permission group: Ad Account Management');
    expect(permission.fix!.join(' ')).toMatch(/Business Center/);
  });

  it('reports each limited or disabled account, and the removed advertisers by name', () => {
    const reading = readCheck(
      findings({
        status: 'advertiser_removed',
        removed: [{ advertiserId: '7002', name: 'Bluebird' }],
        accountStatus: {
          checked: true,
          blocked: [{ advertiser_id: '7001', name: 'Acme', status: 'STATUS_DISABLE' }],
          refused: [],
          read: ['7001'],
          error: null,
        },
      }),
      1000,
    );
    const failing = reading.observations.filter((o) => o.failing);
    expect(failing.map((o) => [o.problem, o.subject.id, o.severity ?? null])).toEqual([
      ['advertiser_removed', '7002', null],
      ['account_status', '7001', 'critical'],
    ]);
    expect(reading.accountsRead).toEqual(['7001']);
  });
});
