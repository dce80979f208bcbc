import { createHmac, timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type MonitorRun, startMonitor } from '../../src/app/index.ts';
import { type Stack, startStack } from '../service/stack.ts';
import { trial } from '../support/trials.ts';
import { eventually, type Received, startWebhookSink } from '../support/webhook-sink.ts';

const TOLERANCE_S = 5 * 60;

/**
 * The Standard Webhooks verification, written from the specification (standardwebhooks.com): the key is
 * the base64 after `whsec_`; the signed content is `<webhook-id>.<webhook-timestamp>.<body>`; a signature
 * is `v1,` + base64(HMAC-SHA256); the header may list several, space-separated; the timestamp must be
 * within five minutes. Written here by hand so our signer is not checked only by the library it uses.
 */
function verifyBySpec(secret: string, headers: Record<string, unknown>, body: string, nowS: number): boolean {
  const id = String(headers['webhook-id'] ?? '');
  const timestamp = String(headers['webhook-timestamp'] ?? '');
  const signatures = String(headers['webhook-signature'] ?? '').split(' ');
  if (!id || !/^\d+$/.test(timestamp) || Math.abs(nowS - Number(timestamp)) > TOLERANCE_S) return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  return signatures.some((entry) => {
    const [version, value] = entry.split(',');
    if (version !== 'v1' || !value) return false;
    const given = Buffer.from(value, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

describe('outbound webhook signatures', () => {
  let stack: Stack;
  let sink: Awaited<ReturnType<typeof startWebhookSink>>;
  let run: MonitorRun;
  let secret = '';
  let connectionId = '';

  beforeAll(async () => {
    stack = await startStack('pglite');
    sink = await startWebhookSink();
    const channel = await stack.services.notifications.addChannel({
      name: 'signed',
      kind: 'webhook',
      url: `${sink.url}/hook`,
    });
    secret = channel.signing_secret!;
    const advertiserIds = (await stack.emulator.control.state()).advertisers
      .filter((a) => a.app_ids.includes(stack.app.app_id))
      .slice(0, 1)
      .map((a) => a.advertiser_id);
    await stack.consent(`${stack.address}/connect/tiktok?app=${stack.app.app_id}`, { advertiserIds });
    connectionId = (await stack.services.connections.list())[0]!.id;
    run = await startMonitor(stack.services, { tickMs: 100, jobsSchema: 'pgboss_signatures' });
  }, 60_000);

  /** A library user's call refused for want of a permission: an incident, and a notification, at once. */
  const reportDenied = (endpoint: string) =>
    stack.services.monitor.observeInBand({
      connection_id: connectionId,
      code: 40001,
      message: `advertiser does not grant you ${endpoint}:GET permission`,
      endpoint,
    });

  afterAll(async () => {
    await run?.stop();
    await sink?.close();
    await stack?.close();
  });

  const verifiedBoth = (r: Received) => {
    const nowS = Math.floor(Date.now() / 1000);
    const headers = r.headers as Record<string, string>;
    const bySpec = verifyBySpec(secret, headers, r.body, nowS);
    let byLibrary = false;
    try {
      new Webhook(secret).verify(r.body, headers);
      byLibrary = true;
    } catch {}
    return { bySpec, byLibrary };
  };

  it('signs every delivery so that both the specification and the reference library verify it', async () => {
    const t = trial('security', {
      area: 'Webhook signatures',
      tried:
        'incident notifications (opened, then resolved) and a test message, each checked by a verifier written from the Standard Webhooks specification and by the reference library',
      expected: 'every signature verifies both ways; secrets are whsec_ + 24 random bytes',
    });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(24);
    await stack.services.notifications.test((await stack.services.notifications.listChannels())[0]!.id);
    await reportDenied('/campaign/get/');
    const received = await eventually(
      () => (sink.received.length >= 2 ? sink.received : null),
      'two deliveries',
    );
    expect(received.map((r) => r.json.type).sort()).toEqual(['incident.opened', 'incident.test']);
    for (const r of received) expect(verifiedBoth(r), r.json.type).toEqual({ bySpec: true, byLibrary: true });
    t.times(received.length);
  });

  it('refuses what an attacker could change: the body, the id, the timestamp, the secret', async () => {
    const t = trial('security', {
      area: 'Webhook signatures',
      tried:
        'a signed delivery with its body, webhook-id or timestamp altered, checked with another secret, or replayed 6 minutes later',
      expected: 'each is refused by both verifiers',
      times: 5,
    });
    const r = sink.received.find((x) => x.json.type === 'incident.opened')!;
    const headers = r.headers as Record<string, string>;
    const nowS = Number(headers['webhook-timestamp']);
    const attempts: Array<[string, () => { spec: boolean; library: boolean }]> = [
      ['body', () => both(secret, headers, r.body.replace('"opened"', '"resolved"'), nowS)],
      ['id', () => both(secret, { ...headers, 'webhook-id': 'ntf_forged' }, r.body, nowS)],
      ['timestamp', () => both(secret, { ...headers, 'webhook-timestamp': String(nowS + 1) }, r.body, nowS)],
      ['secret', () => both(`whsec_${Buffer.alloc(24, 1).toString('base64')}`, headers, r.body, nowS)],
      ['replayed late', () => both(secret, headers, r.body, nowS + TOLERANCE_S + 60, true)],
    ];
    for (const [what, attempt] of attempts) expect(attempt(), what).toEqual({ spec: false, library: false });
    t.figures({ refused: attempts.length });
  });

  it('keeps the webhook-id of a notification across retries, with a fresh signature each time', async () => {
    trial('security', {
      area: 'Webhook signatures',
      tried: 'a delivery the receiver refuses twice (503), then accepts',
      expected:
        'the same webhook-id on every attempt (receivers dedupe on it), each attempt signed and verifiable',
    });
    sink.failNext(2, 503);
    const before = sink.received.length;
    await reportDenied('/adgroup/get/');
    const delivered = await eventually(
      () => sink.received.slice(before).find((r) => r.json.data.incident.summary.includes('/adgroup/get/')),
      'the delivery after two refusals',
      60_000,
    );
    const outbox = (await stack.services.notifications.notifications()).find(
      (n) => n.id === delivered.headers['webhook-id'],
    );
    expect(outbox).toMatchObject({ status: 'delivered', attempts: 3 });
    const attempts = [...sink.refused.slice(-2), delivered];
    expect(attempts.map((a) => a.headers['webhook-id'])).toEqual(Array(3).fill(outbox!.id));
    for (const attempt of attempts) expect(verifiedBoth(attempt)).toEqual({ bySpec: true, byLibrary: true });
    expect(new Set(attempts.map((a) => a.headers['webhook-signature'])).size).toBe(3);
  });
});

/** Both verifiers at `nowS`; the library reads the clock itself, so a late replay moves the clock for it. */
function both(secret: string, headers: Record<string, string>, body: string, nowS: number, late = false) {
  let library = false;
  if (late) {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(nowS * 1000);
  }
  try {
    new Webhook(secret).verify(body, headers);
    library = true;
  } catch {
  } finally {
    if (late) vi.useRealTimers();
  }
  return { spec: verifyBySpec(secret, headers, body, nowS), library };
}
