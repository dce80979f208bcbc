import { describe, expect, it } from 'vitest';
import { CATALOG, lookupCode } from './catalog.ts';
import { AUTOMATIC_ACTIONS, FAILURE_KINDS } from './failure-kind.ts';

// The expected kind and action of every catalogued code, written out by hand from the fact sheet
// (shared/reference/tiktok-api-facts.md §2 and §8). A row added to the catalog without a line here fails.
const EXPECTED: Record<string, readonly [kind: string, action: string]> = {
  '0': ['ok', 'none'],
  '20001': ['partial_failure', 'inspect_items'],
  '40000': ['invalid_request', 'fix_request'],
  '40001': ['permission_denied', 'request_permission'],
  '40002': ['invalid_request', 'fix_request'],
  '40003': ['permission_denied', 'request_permission'],
  '40006': ['invalid_request', 'fix_request'],
  '40007': ['not_found', 'forget_object'],
  '40008': ['invalid_request', 'fix_request'],
  '40009': ['invalid_request', 'fix_request'],
  '40010': ['invalid_request', 'fix_request'],
  '40011': ['invalid_request', 'split_request'],
  '40012': ['invalid_request', 'none'],
  '40013': ['invalid_request', 'fix_request'],
  '40014': ['invalid_request', 'fix_request'],
  '40016': ['rate_limited', 'pace'],
  '40050': ['invalid_request', 'reread_state'],
  '40051': ['invalid_request', 'fix_request'],
  '40052': ['invalid_request', 'fix_request'],
  '40053': ['invalid_request', 'fix_request'],
  '40061': ['invalid_request', 'fix_request'],
  '40062': ['invalid_request', 'fix_request'],
  '40063': ['invalid_request', 'fix_request'],
  '40065': ['invalid_request', 'fix_request'],
  '40067': ['invalid_request', 'split_request'],
  '40100': ['rate_limited', 'pace'],
  '40101': ['app_credentials', 'check_app_credentials'],
  '40102': ['auth_expired', 'refresh'],
  '40103': ['auth_expired', 'restart_oauth'],
  '40104': ['invalid_request', 'fix_request'],
  '40105': ['auth_invalid', 'verify_then_reauth'],
  '40106': ['auth_invalid', 'verify_then_reauth'],
  '40107': ['auth_invalid', 'restart_oauth'],
  '40108': ['invalid_request', 'fix_request'],
  '40109': ['invalid_request', 'fix_request'],
  '40110': ['auth_code_invalid', 'restart_oauth'],
  '40111': ['auth_invalid', 'verify_then_reauth'],
  '40112': ['auth_invalid', 'alert'],
  '40113': ['app_credentials', 'check_app_credentials'],
  '40114': ['auth_invalid', 'verify_then_reauth'],
  '40115': ['auth_code_invalid', 'restart_oauth'],
  '40116': ['invalid_request', 'fix_request'],
  '40117': ['permission_denied', 'alert'],
  '40118': ['permission_denied', 'alert'],
  '40119': ['permission_denied', 'alert'],
  '40120': ['auth_invalid', 'restart_oauth'],
  '40121': ['permission_denied', 'alert'],
  '40122': ['permission_denied', 'alert'],
  '40124': ['permission_denied', 'alert'],
  '40125': ['permission_denied', 'alert'],
  '40126': ['permission_denied', 'alert'],
  '40127': ['permission_denied', 'alert'],
  '40128': ['permission_denied', 'alert'],
  '40129': ['permission_denied', 'alert'],
  '40130': ['permission_denied', 'request_permission'],
  '40131': ['auth_code_invalid', 'restart_oauth'],
  '40132': ['rate_limited', 'pace'],
  '40133': ['rate_limited', 'pace'],
  '40200': ['transient', 'backoff'],
  '40201': ['not_ready', 'poll'],
  '40202': ['transient', 'backoff'],
  '40300': ['advertiser_unavailable', 'verify_advertiser'],
  '40301': ['advertiser_unavailable', 'verify_advertiser'],
  '40302': ['advertiser_unavailable', 'verify_advertiser'],
  '40309': ['auth_invalid', 'verify_then_reauth'],
  '40400': ['not_found', 'fix_request'],
  '40500': ['unknown', 'alert'],
  '40502': ['quota_exceeded', 'stop_and_alert'],
  '40700': ['transient', 'backoff'],
  '40900': ['invalid_request', 'fix_request'],
  '40901': ['not_ready', 'poll'],
  '40902': ['transient', 'backoff'],
  '40903': ['transient', 'backoff'],
  '40904': ['invalid_request', 'alert'],
  '40905': ['invalid_request', 'fix_request'],
  '40906': ['invalid_request', 'fix_request'],
  '40907': ['invalid_request', 'fix_request'],
  '40908': ['invalid_request', 'fix_request'],
  '40909': ['invalid_request', 'fix_request'],
  '40910': ['invalid_request', 'fix_request'],
  '40911': ['invalid_request', 'fix_request'],
  '40912': ['invalid_request', 'fix_request'],
  '40913': ['transient', 'backoff'],
  '40914': ['transient', 'backoff'],
  '40915': ['invalid_request', 'fix_request'],
  '40916': ['invalid_request', 'alert'],
  '41000': ['blocked', 'stop_and_alert'],
  '41001': ['invalid_request', 'fix_request'],
  '41002': ['invalid_request', 'fix_request'],
  '41013': ['transient', 'backoff'],
  '42900': ['unknown', 'alert'],
  '50000': ['transient', 'backoff'],
  '50001': ['transient', 'backoff'],
  '50002': ['transient', 'backoff'],
  '51000-51999': ['transient', 'backoff'],
  '52000-53999': ['transient', 'backoff'],
  '60001': ['transient', 'backoff'],
  '61000': ['rate_limited', 'pace'],
  '70001': ['invalid_request', 'fix_request'],
  '2200006': ['not_ready', 'poll'],
};

const label = (code: number, rangeEnd?: number) =>
  rangeEnd === undefined ? String(code) : `${code}-${rangeEnd}`;
const isTikTokSideCode = (code: number) => code >= 50000 && code <= 53999;

describe('CATALOG', () => {
  const rows = CATALOG.filter(
    (entry) => entry.rangeEnd !== undefined || !isTikTokSideCode(entry.code) || EXPECTED[entry.code],
  );

  it.each(rows.map((entry) => [label(entry.code, entry.rangeEnd), entry] as const))(
    'gives %s its expected kind and action',
    (key, entry) => {
      expect(EXPECTED[key], `no expectation written for ${key}`).toBeDefined();
      expect([entry.kind, entry.action]).toEqual(EXPECTED[key]);
    },
  );

  it('has a row for every expected code', () => {
    const present = new Set(CATALOG.map((entry) => label(entry.code, entry.rangeEnd)));
    expect(Object.keys(EXPECTED).filter((key) => !present.has(key))).toEqual([]);
  });

  it('classifies every named 51xxx–53xxx service error as transient backoff', () => {
    const named = CATALOG.filter(
      (entry) => entry.rangeEnd === undefined && isTikTokSideCode(entry.code) && entry.code > 50002,
    );
    expect(named.length).toBeGreaterThan(60);
    for (const entry of named)
      expect([entry.code, entry.kind, entry.action]).toEqual([entry.code, 'transient', 'backoff']);
  });

  it('has no named row for 51021 or 51022, which TikTok’s SDK table skips', () => {
    expect(lookupCode(51021)?.match).toBe('range');
    expect(lookupCode(51022)?.match).toBe('range');
    expect(lookupCode(51020)?.entry.name).toBe('ORDER_CENTER_SERVICE_ERROR');
  });

  it('lists each exact code once', () => {
    const exact = CATALOG.filter((entry) => entry.rangeEnd === undefined).map((entry) => entry.code);
    expect(new Set(exact).size).toBe(exact.length);
  });

  it('uses only the closed vocabularies and gives every failure a fix', () => {
    for (const entry of CATALOG) {
      expect(['ok', ...FAILURE_KINDS]).toContain(entry.kind);
      expect(AUTOMATIC_ACTIONS).toContain(entry.action);
      if (entry.kind !== 'ok') expect(entry.fix.length, `fix for ${entry.code}`).toBeGreaterThan(0);
      expect(entry.title.length).toBeGreaterThan(0);
    }
  });

  it('never answers a rate limit with re-authentication', () => {
    for (const entry of CATALOG.filter((e) => e.kind === 'rate_limited')) {
      expect(entry.action).toBe('pace');
      expect(entry.retry.mode).toBe('rate_limit');
    }
  });

  it('never retries auth, permission or request errors', () => {
    const never = [
      'auth_invalid',
      'auth_expired',
      'auth_code_invalid',
      'app_credentials',
      'permission_denied',
      'invalid_request',
    ];
    for (const entry of CATALOG.filter((e) => never.includes(e.kind)))
      expect(entry.retry.mode, String(entry.code)).toBe('never');
  });

  it('records the folklore the fact sheet names', () => {
    const claims = (code: number) =>
      lookupCode(code)!
        .entry.alsoDescribedAs.map((f) => f.claim.toLowerCase())
        .join(' | ');
    expect(claims(40100)).toContain('invalid access token');
    expect(claims(40002)).toContain('insufficient permission');
    expect(claims(2200006)).toContain('video processing failed');
    expect(claims(40101)).toContain('too frequently');
    expect(claims(40102)).toContain('rate limited');
  });

  it('marks codes that no TikTok source has', () => {
    const absent = CATALOG.filter((entry) => !entry.inTikTokTables).map((entry) => entry.code);
    expect(absent.sort()).toEqual([2200006, 40111, 40500, 42900].sort());
  });

  it('uses TikTok’s SDK constant names', () => {
    expect(lookupCode(40100)?.entry.name).toBe('REQUEST_TOO_FREQUENT');
    expect(lookupCode(40002)?.entry.name).toBe('PARAM_ERROR');
    expect(lookupCode(40105)?.entry.name).toBe('INVALID_ACCESS_TOKEN');
    expect(lookupCode(50002)?.entry.name).toBe('SYS_TIMEOUT');
    expect(lookupCode(61000)?.entry.name).toBe('TOO_MANY_REQUESTS_BL');
  });
});

describe('lookupCode', () => {
  it('falls back by range for codes TikTok has not published', () => {
    expect(lookupCode(59999)).toMatchObject({ match: 'fallback', entry: { kind: 'transient' } });
    expect(lookupCode(62000)).toMatchObject({ match: 'fallback', entry: { kind: 'transient' } });
    expect(lookupCode(48888)).toMatchObject({
      match: 'fallback',
      entry: { kind: 'unknown', action: 'alert' },
    });
    expect(lookupCode(12345)).toBeUndefined();
  });
});

describe('fix texts', () => {
  it('never repeat a step, never open with what adwarden does by itself, and speak to library users too', () => {
    const auto = new Set(['backoff', 'pace', 'poll', 'refresh']);
    for (const entry of CATALOG) {
      const steps = entry.fix.map((f) => f.toLowerCase());
      expect(new Set(steps).size, `${entry.code} repeats a step`).toBe(steps.length);
      // What the client retries, paces or polls by itself is not a person's first step.
      if (auto.has(entry.action))
        expect(entry.fix[0] ?? '', `${entry.code} asks a person to retry`).not.toMatch(
          /^(retry|try again|wait and retry)/i,
        );
      // The catalog is the library's too: the service's own deeds are said as the service's.
      for (const step of entry.fix)
        expect(step, `${entry.code}`).not.toMatch(
          /\badwarden (sends|probes|pauses|exchanges|refreshes|checks|polls)\b/,
        );
    }
  });
});
