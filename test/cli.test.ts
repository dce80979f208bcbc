import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/adwarden.js', import.meta.url));

// Runs the real executable, as a user would, with a clean environment.
function adwarden(args: string[], options: { input?: string; env?: Record<string, string> } = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    input: options.input ?? '',
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...options.env },
    timeout: 20_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const json = (args: string[], input?: string) => {
  const run = adwarden([...args, '--json'], { input });
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Record<string, unknown>;
};

describe('adwarden explain', () => {
  it('says 40100 is a rate limit handled by pacing, and names the invalid-token folklore', () => {
    const out = json(['explain', '40100']);
    expect(out).toMatchObject({ code: 40100, kind: 'rate_limited', action: 'pace', retryable: true });
    expect(JSON.stringify(out.alsoDescribedAs)).toMatch(/Invalid Access Token/);
    expect(out.action).not.toMatch(/reauth/);
  });

  it.each([
    ['40105', 'auth_invalid', 'verify_then_reauth'],
    ['40002', 'invalid_request', 'fix_request'],
    ['50002', 'transient', 'backoff'],
    ['40901', 'not_ready', 'poll'],
  ])('explains %s as %s with %s', (code, kind, action) => {
    expect(json(['explain', code])).toMatchObject({ code: Number(code), kind, action });
  });

  it('names the endpoint of a 40001 permission message', () => {
    const out = json(['explain', 'advertiser does not grant you /file/video/ad/search/:GET permission']);
    expect(out).toMatchObject({
      code: 40001,
      kind: 'permission_denied',
      endpoint: '/file/video/ad/search/',
      method: 'GET',
    });
    expect((out.fix as string[]).join(' ')).toContain('/file/video/ad/search/');
  });

  it.each([
    // [what a person pastes, code, kind, what the answer must say]
    ['App 7659707118749564929 reaches the QPS limit 1, current QPS is 2.', 40100, 'rate_limited', null],
    ['Client IP address is in banned Country list.', 41000, 'blocked', null],
    ['Invalid access token', 40105, 'auth_invalid', /40100 is a rate limit/],
    ['Too many requests', 40100, 'rate_limited', /HTTP 200 with code 40100/],
  ] as const)('explains TikTok’s message or a pasted phrase: %s', (text, code, kind, note) => {
    const out = json(['explain', text]);
    expect(out).toMatchObject({ code, kind });
    if (note) expect(out.folkloreNote).toMatch(note);
    if (note) expect(adwarden(['explain', text]).stdout).toContain('About that phrase');
  });

  it('explains that 2200006 is absent from TikTok’s tables and is polled like 40901', () => {
    const out = json(['explain', '2200006']);
    expect(out).toMatchObject({ kind: 'not_ready', action: 'poll', inTikTokTables: false });
    expect(out.meaning).toMatch(/absent from every TikTok source/);
    const text = adwarden(['explain', '2200006']).stdout;
    expect(text).toContain("not in TikTok's published code tables");
    expect(text).toContain('video processing failed');
  });

  it('reads a whole TikTok response from standard input, with the QPS figures in the message', () => {
    const response = JSON.stringify({
      code: 40133,
      message:
        "Advertiser (7000000000000000001)'s QPS (21) reaches QPS limit 20 for current path, request is temporarily restricted.",
      request_id: '202611250000000000000000000001',
      data: {},
    });
    const out = json(['explain', '-'], response);
    expect(out).toMatchObject({
      kind: 'rate_limited',
      advertiserId: '7000000000000000001',
      requestId: '202611250000000000000000000001',
    });
    expect(out.details).toMatchObject({ currentRate: 21, limit: 20, window: 'second' });
  });

  it('reads an HTML gateway page on standard input as a transient failure', () => {
    expect(json(['explain', '-'], '<html><body>502 Bad Gateway</body></html>')).toMatchObject({
      code: 'ADW_BODY_NOT_JSON',
      kind: 'transient',
    });
  });

  it('prints a person-readable explanation with the folklore correction', () => {
    const run = adwarden(['explain', '40100']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('REQUEST_TOO_FREQUENT');
    expect(run.stdout).toContain('contradicts TikTok’s own code table');
    expect(run.stdout).toContain('What adwarden does automatically');
  });

  it.each([
    [['explain', 'not a tiktok thing'], /Could not find a TikTok return code/],
    [['explain', '12345'], /12345 is not a TikTok API for Business return code/],
    [['explain', '-'], /Nothing on standard input/],
  ])('fails clearly on unusable input %j (exit 1, no stack trace)', (args, message) => {
    const run = adwarden(args);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('adwarden (command line)', () => {
  it('answers --help and --version with exit 0', () => {
    expect(adwarden(['--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('explain') });
    expect(adwarden(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('exits 2 on usage errors', () => {
    expect(adwarden(['frobnicate']).code).toBe(2);
    expect(adwarden(['explain']).code).toBe(2);
    expect(adwarden(['explain', '40100', '--nope']).code).toBe(2);
    const bogus = adwarden(['incidents', 'list', '--state', 'bogus']);
    expect(bogus.code).toBe(2);
    expect(bogus.stderr).toMatch(/bogus is not a state; use open, acknowledged, muted, resolved or all/);
    expect(adwarden(['incidents', 'list', '--kind', 'nope']).code).toBe(2);
    expect(adwarden(['incidents', 'list', '--limit', '0']).code).toBe(2);
  });

  it('doctor prints the effective config with secrets redacted', () => {
    const secret = 'very-private-app-secret';
    const run = adwarden(['doctor', '--json'], {
      env: {
        ADWARDEN_TIKTOK_APP_ID: '7100000000000000001',
        ADWARDEN_TIKTOK_APP_SECRET: secret,
        DATABASE_URL: 'postgres://u:pg-pass@127.0.0.1/x',
      },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout + run.stderr).not.toContain(secret);
    expect(run.stdout + run.stderr).not.toContain('pg-pass');
    expect(JSON.parse(run.stdout).config).toMatchObject({
      mode: 'postgres',
      tiktok: { appId: '7100000000000000001', appSecret: '[redacted]' },
    });
  });

  it('reports every invalid setting together, exit 1, no stack trace', () => {
    const run = adwarden(['doctor'], { env: { ADWARDEN_PORT: 'x', ADWARDEN_SWEEP_INTERVAL: 'soon' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/2 problems/);
    expect(run.stderr).toContain('ADWARDEN_PORT');
    expect(run.stderr).toContain('ADWARDEN_SWEEP_INTERVAL');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
