import { describe, expect, it } from 'vitest';
import { classify } from './classify.ts';

const NOW = Date.UTC(2026, 10, 25, 13, 45, 30, 250);

describe('classify', () => {
  it('reads 40100 as a rate limit that paces, never re-authenticates', () => {
    const d = classify({ code: 40100, message: 'Too many requests.', request_id: 'r-1', data: {} });
    expect(d).toMatchObject({ kind: 'rate_limited', action: 'pace', retryable: true, requestId: 'r-1' });
    expect(d.alsoDescribedAs.map((f) => f.claim)).toContain('Invalid Access Token: re-run OAuth');
  });

  it.each([
    [40105, 'auth_invalid', 'verify_then_reauth'],
    [40002, 'invalid_request', 'fix_request'],
    [50002, 'transient', 'backoff'],
    [40901, 'not_ready', 'poll'],
    [40201, 'not_ready', 'poll'],
    [2200006, 'not_ready', 'poll'],
    [0, 'ok', 'none'],
  ] as const)('reads code %i as %s with action %s', (code, kind, action) => {
    expect(classify(code)).toMatchObject({ kind, action, code });
  });

  it('names the endpoint and method of a 40001 permission message', () => {
    const d = classify({
      code: 40001,
      message: 'advertiser does not grant you /file/video/ad/search/:GET permission',
    });
    expect(d).toMatchObject({ kind: 'permission_denied', action: 'request_permission' });
    expect(d.details).toMatchObject({
      endpoint: '/file/video/ad/search/',
      method: 'GET',
      reason: 'scope_not_granted',
    });
    expect(d.title).toContain('GET /file/video/ad/search/');
    expect(d.fix.join(' ')).toContain('Creative Management');
  });

  it('reads a 40001 "doesn’t exist or has been deleted" as an unavailable advertiser', () => {
    const d = classify({
      code: 40001,
      message: "The advertiser 7000000000000000001 doesn't exist or has been deleted.",
    });
    expect(d).toMatchObject({
      kind: 'advertiser_unavailable',
      action: 'verify_advertiser',
      advertiserId: '7000000000000000001',
    });
  });

  it.each([40000, 40113])('reads %i "app_id is inconsistent" as a token from another app', (code) => {
    const d = classify({ code, message: "The app_id is inconsistent with the token's app information." });
    expect(d).toMatchObject({
      kind: 'auth_invalid',
      action: 'verify_then_reauth',
      details: { reason: 'app_token_mismatch' },
    });
    expect(d.title).toBe('Token belongs to another app');
  });

  it('keeps a plain 40000 a request problem', () => {
    expect(classify({ code: 40000, message: 'advertiser_id: Missing data for required field.' }).kind).toBe(
      'invalid_request',
    );
  });

  it('reads a stale auth code under 40101 as a new authorization, not an app problem', () => {
    const d = classify({
      code: 40101,
      message: 'Not able to get long-term access_token with an old auth_code',
    });
    expect(d).toMatchObject({ kind: 'auth_code_invalid', action: 'restart_oauth' });
  });

  it('parses the advertiser, current QPS and limit of a 40133 message and waits for the next second', () => {
    const message =
      "Advertiser (7000000000000000001)'s QPS (21) reaches QPS limit 20 for current path, request is temporarily restricted.";
    const d = classify({ code: 40133, message }, { now: NOW });
    expect(d.details).toMatchObject({
      window: 'second',
      currentRate: 21,
      limit: 20,
      advertiserId: '7000000000000000001',
    });
    expect(d.retryAfterMs).toBe(750);
  });

  it('pauses five minutes for a per-minute limit', () => {
    const d = classify(
      { code: 40100, message: "App (7100000000000000001)'s QPM (601) reaches QPM limit 600." },
      { now: NOW },
    );
    expect(d.details).toMatchObject({
      window: 'minute',
      currentRate: 601,
      limit: 600,
      appId: '7100000000000000001',
    });
    expect(d.retryAfterMs).toBe(300_000);
  });

  it('parks a daily limit until 00:00 UTC', () => {
    const d = classify(
      { code: 40100, message: "App (7100000000000000001)'s QPD (864001) reaches QPD limit 864000." },
      { now: NOW },
    );
    expect(d.retryAt).toBe('2026-11-26T00:00:00.000Z');
    expect(d.retryAfterMs).toBe(Date.UTC(2026, 10, 26) - NOW);
  });

  it('falls back by range and says the code is not in TikTok’s table', () => {
    expect(classify(59999)).toMatchObject({ kind: 'transient', basis: 'fallback', inTikTokTables: false });
    expect(classify(51021)).toMatchObject({ kind: 'transient', basis: 'range', name: null });
    expect(classify(48888)).toMatchObject({ kind: 'unknown', basis: 'fallback', retryable: false });
  });

  it('treats a JSON body without `code` as malformed, never as success', () => {
    expect(classify({ message: 'OK', data: { list: [] } })).toMatchObject({
      code: 'ADW_ENVELOPE_MALFORMED',
      kind: 'transient',
    });
    expect(classify({ http: { status: 200, body: '{"data":{}}' } }).code).toBe('ADW_ENVELOPE_MALFORMED');
    expect(classify({ code: null }).kind).not.toBe('ok');
  });

  it.each([
    ['<html><body><h1>502 Bad Gateway</h1></body></html>', 'html'],
    ['{"code":0,"message":"OK","data":{"li', 'truncated_json'],
    ['', 'empty'],
  ])('reads a non-JSON body as transient (%#)', (body, shape) => {
    const d = classify({ http: { status: 200, body } });
    expect(d).toMatchObject({ code: 'ADW_BODY_NOT_JSON', kind: 'transient', details: { body: shape } });
  });

  it('reads HTTP statuses without an envelope', () => {
    expect(classify({ http: { status: 404, body: '404 page not found' } })).toMatchObject({
      code: 'ADW_HTTP_NOT_FOUND',
      kind: 'not_found',
    });
    expect(classify({ http: { status: 502, body: '<html>Bad Gateway</html>' } })).toMatchObject({
      kind: 'transient',
      details: { httpStatus: 502 },
    });
    expect(classify({ http: { status: 405, body: '' } }).kind).toBe('invalid_request');
  });

  it('prefers the envelope to the HTTP status when both are there', () => {
    expect(
      classify({
        http: {
          status: 500,
          body: '{"code":40105,"message":"Access token is incorrect or has been revoked."}',
        },
      }).kind,
    ).toBe('auth_invalid');
  });

  it.each([
    ['ECONNRESET', 'ADW_NETWORK_RESET'],
    ['UND_ERR_SOCKET', 'ADW_NETWORK_RESET'],
    ['UND_ERR_HEADERS_TIMEOUT', 'ADW_NETWORK_TIMEOUT'],
    ['ETIMEDOUT', 'ADW_NETWORK_TIMEOUT'],
    ['ENOTFOUND', 'ADW_DNS_FAILURE'],
    ['ECONNREFUSED', 'ADW_NETWORK_REFUSED'],
    ['EWHATEVER', 'ADW_NETWORK_ERROR'],
  ])('reads the network error %s as %s, transient', (code, expected) => {
    expect(classify({ transport: { code } })).toMatchObject({
      code: expected,
      kind: 'transient',
      retryable: true,
    });
  });

  it.each([
    ['Access token is incorrect or has been revoked.', 40105],
    ['Access token is null, you should set it in http header with key Access-Token.', 40104],
    ["Advertiser (7000000000000000001)'s QPS (21) reaches QPS limit 20 for current path", 40133],
    ['Your query is too large, please reduce the query size', 40067],
    ['pixel_ids: Field must be set to array', 40002],
    ['video transcoding in process', 40901],
    ['request_id:2024abc message:Too many requests code:40100', 40100],
    // TikTok's wordings as recorded in real responses (fact sheet §10).
    ['App 7659707118749564929 reaches the QPS limit 1, current QPS is 2.', 40100],
    ['App reaches the QPS limit 20', 40100],
    [
      "Permission error: The access token lacks the required scope for endpoint '/campaign/get/(method=GET)'.",
      40001,
    ],
    ['advertiser does not grant you /dmp/custom_audience/file/upload/:POST permission', 40001],
    ["The advertiser 7312000000000000001 doesn't exist or has been deleted.", 40001],
    ['Client IP address is in banned Country list.', 41000],
    ['max time span is 30 days when use stat_time_day', 40002],
    ['Duplicated material name.', 40911],
    ['Invalid access token', 40105],
    ['Too many requests', 40100],
  ])('recognises a bare message: %s', (message, code) => {
    expect(classify(message).code).toBe(code);
  });

  describe("TikTok's recorded wordings (fact sheet §10)", () => {
    it.each([
      // [message, window, limit, current rate, app id]
      [
        'App 7659707118749564929 reaches the QPS limit 1, current QPS is 2.',
        'second',
        1,
        2,
        '7659707118749564929',
      ],
      ['App reaches the QPS limit 20', 'second', 20, undefined, undefined],
      [
        'App 7100000000000000001 reaches the QPS limit 5 for /ad/create/, current QPS is 6.',
        'second',
        5,
        6,
        '7100000000000000001',
      ],
      [
        'App 7100000000000000001 reaches the QPM limit 600, current QPM is 601.',
        'minute',
        600,
        601,
        '7100000000000000001',
      ],
      [
        'App 7100000000000000001 reaches the QPD limit 864000, current QPD is 864001.',
        'day',
        864000,
        864001,
        '7100000000000000001',
      ],
    ] as const)('reads "%s" as a %s limit of %i', (message, window, limit, currentRate, appId) => {
      const d = classify({ code: 40100, message }, { now: NOW });
      expect(d.kind).toBe('rate_limited');
      expect(d.details.window).toBe(window);
      expect(d.details.limit).toBe(limit);
      expect(d.details.currentRate).toBe(currentRate);
      expect(d.details.appId).toBe(appId);
    });

    it.each([
      // [code, message, kind, action, actor, reason]
      [
        40001,
        "Permission error: The access token lacks the required scope for endpoint '/campaign/get/(method=GET)'. Please first check if the request method is correct then ask the user to generate a new access token and reauthorize your API App with the necessary API scopes.",
        'permission_denied',
        'request_permission',
        'developer',
        'app_scope_missing',
      ],
      [
        40001,
        'advertiser does not grant you /dmp/custom_audience/file/upload/:POST permission',
        'permission_denied',
        'request_permission',
        'advertiser_owner',
        'scope_not_granted',
      ],
      [
        40001,
        "The advertiser 7312000000000000001 doesn't exist or has been deleted.",
        'advertiser_unavailable',
        'verify_advertiser',
        undefined,
        'advertiser_deleted',
      ],
      [
        -1,
        'Client IP address is in banned Country list.',
        'blocked',
        'stop_and_alert',
        'operator',
        'region_blocked',
      ],
      [
        41000,
        'Client IP address is in banned Country list.',
        'blocked',
        'stop_and_alert',
        'operator',
        'region_blocked',
      ],
      [
        40002,
        'max time span is 30 days when use stat_time_day',
        'invalid_request',
        'split_request',
        undefined,
        'time_span_too_long',
      ],
      [40911, 'Duplicated material name.', undefined, undefined, undefined, 'duplicate_material'],
    ] as const)('%i "%s" → %s', (code, message, kind, action, actor, reason) => {
      const d = classify({ code, message });
      expect(d.code).toBe(code);
      if (kind) expect(d.kind).toBe(kind);
      if (action) expect(d.action).toBe(action);
      if (actor) expect(d.actor).toBe(actor);
      expect(d.details.reason).toBe(reason);
      expect(d.retryable).toBe(kind === 'blocked' || kind === 'permission_denied' ? false : d.retryable);
    });

    it('tells the app’s missing scope apart: the developer acts first, a re-auth link alone cannot fix it', () => {
      const d = classify({
        code: 40001,
        message:
          "Permission error: The access token lacks the required scope for endpoint '/campaign/get/(method=GET)'.",
      });
      expect(d.details).toMatchObject({
        endpoint: '/campaign/get/',
        method: 'GET',
        permissionGroup: 'Ads Management',
      });
      expect(d.title).toBe('App lacks the scope for GET /campaign/get/');
      expect(d.fix[0]).toMatch(/developer portal/);
      expect(d.meaning).toMatch(/re-auth link alone cannot/i);
    });

    it('gives the folklore correction for the phrases people paste', () => {
      expect(classify('Invalid access token').folkloreNote).toMatch(/40100 is a rate limit/);
      expect(classify('Too many requests').folkloreNote).toMatch(/HTTP 200 with code 40100/);
      expect(classify('Access token is incorrect or has been revoked.').folkloreNote).toBeUndefined();
    });
  });

  it('accepts a JSON response given as text', () => {
    expect(classify('{"code":50002,"message":"error","request_id":"x"}')).toMatchObject({
      code: 50002,
      requestId: 'x',
    });
  });

  it('says when it cannot recognise the input', () => {
    expect(classify('hello there')).toMatchObject({ basis: 'unrecognized', kind: 'unknown' });
    expect(classify(12345)).toMatchObject({ basis: 'unrecognized', code: 12345 });
    expect(classify(undefined).basis).toBe('unrecognized');
  });
});
