// TikTok's Subscription API as the emulator plays it: subscriptions, signed at-least-once deliveries
// with retries, and the status feed (fact sheet §5.7, §5.8, §10).
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Json, startEmulator } from './helpers.ts';

let t: Awaited<ReturnType<typeof startEmulator>>;
let receiver: Server;
let callbackUrl: string;
const received: Array<{ body: string; signature: string; logid: string }> = [];
let answer = 200;

beforeAll(async () => {
  t = await startEmulator();
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push({
        body,
        signature: String(request.headers['tiktok-signature']),
        logid: String(request.headers['x-tt-logid']),
      });
      response.statusCode = answer;
      response.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/tiktok`;
});
afterAll(async () => {
  await t.emulator.close();
  receiver.close();
});

const credentials = () => ({ app_id: t.production.app_id, secret: t.production.secret });
const until = async (check: () => boolean, ms = 5_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

async function subscribe(entity: string, detail?: Record<string, unknown>) {
  const { body } = await t.post('/subscription/subscribe/', {
    ...credentials(),
    subscribe_entity: entity,
    callback_url: callbackUrl,
    ...(detail ? { subscription_detail: detail } : {}),
  });
  return body as Json;
}

describe('Subscription API', () => {
  it('subscribes with a token and its advertisers, lists and unsubscribes', async () => {
    const token = t.productionToken;
    const made = await subscribe('AD_ACCOUNT_SUSPENSION', {
      access_token: token.access_token,
      advertiser_ids: token.advertiser_ids,
    });
    expect(made.code).toBe(0);
    expect(made.data.subscription_id).toMatch(/^\d+$/);
    const listed = await t.get(
      `/subscription/get/?app_id=${t.production.app_id}&secret=${t.production.secret}&subscribe_entity=AD_ACCOUNT_SUSPENSION`,
    );
    expect(listed.body.data.subscriptions.map((s: Json) => s.subscription_id)).toContain(
      made.data.subscription_id,
    );
    const gone = await t.post('/subscription/unsubscribe/', {
      ...credentials(),
      subscription_id: made.data.subscription_id,
    });
    expect(gone.body.code).toBe(0);
    const again = await t.post('/subscription/unsubscribe/', {
      ...credentials(),
      subscription_id: made.data.subscription_id,
    });
    expect(again.body.code).toBe(40002);
  });

  it('refuses a wrong secret, an unknown entity, an advertiser the token does not cover and a dead token', async () => {
    const token = t.productionToken;
    const wrong = await t.post('/subscription/subscribe/', {
      app_id: t.production.app_id,
      secret: 'nope',
      subscribe_entity: 'AD',
      callback_url: callbackUrl,
    });
    expect(wrong.body.code).toBe(40101);
    expect((await subscribe('EVERYTHING')).code).toBe(40002);
    expect((await subscribe('AD', { access_token: token.access_token, advertiser_ids: ['1'] })).code).toBe(
      40001,
    );
    expect(
      (await subscribe('AD', { access_token: 'x'.repeat(40), advertiser_ids: token.advertiser_ids })).code,
    ).toBe(40105);
  });

  it('delivers a signed suspension push, retries until the receiver answers 200, and sends duplicates when told', async () => {
    const token = t.productionToken;
    const advertiserId = token.advertiser_ids[1]!;
    await subscribe('AD_ACCOUNT_SUSPENSION', {
      access_token: token.access_token,
      advertiser_ids: token.advertiser_ids,
    });
    received.length = 0;
    answer = 500;
    await t.emulator.control.fault({ type: 'suspendAccount', advertiserId, status: 'STATUS_LIMIT' });
    await until(() => received.length >= 2);
    answer = 200;
    await until(() => t.emulator.control.pushes().some((p) => p.status === 200));
    const [first, second] = received;
    expect(first!.body).toBe(second!.body); // a retry carries the same delivery
    const body = JSON.parse(first!.body);
    expect(body).toMatchObject({
      subscribe_entity: 'AD_ACCOUNT_SUSPENSION',
      content: { advertiser_id: advertiserId, status: 'STATUS_LIMIT' },
    });
    const [, ts, sig] = /^t=(\d+),s=([0-9a-f]{64})$/.exec(first!.signature)!;
    expect(createHmac('sha256', t.production.secret).update(`${ts}.${first!.body}`).digest('hex')).toBe(sig);

    received.length = 0;
    await t.emulator.control.fault({ type: 'pushDeliveries', duplicate: true });
    await t.emulator.control.fault({ type: 'suspendAccount', advertiserId, status: 'STATUS_ENABLE' });
    await until(() => received.length >= 2);
    expect(received[0]!.body).toBe(received[1]!.body);
    await t.emulator.control.fault({ type: 'pushDeliveries', duplicate: false });
  });

  it('loses pushes when told, and a revoked token ends its subscriptions', async () => {
    const token = t.productionToken;
    received.length = 0;
    await t.emulator.control.fault({ type: 'pushDeliveries', lose: true });
    await t.emulator.control.fault({
      type: 'suspendAccount',
      advertiserId: token.advertiser_ids[2]!,
      status: 'STATUS_LIMIT',
    });
    await until(() => t.emulator.control.pushes().some((p) => p.error?.startsWith('lost')));
    expect(received).toHaveLength(0);
    await t.emulator.control.fault({ type: 'pushDeliveries', lose: false });
    await t.emulator.control.fault({ type: 'revokeToken', token: token.access_token });
    const listed = await t.get(
      `/subscription/get/?app_id=${t.production.app_id}&secret=${t.production.secret}`,
    );
    expect(listed.body.data.subscriptions).toEqual([]);
  });
});

describe('TikTok status', () => {
  it('lists incidents in the RSS feed and pushes API_SERVICE_STATUS', async () => {
    expect((await subscribe('API_SERVICE_STATUS')).code).toBe(0);
    received.length = 0;
    await t.emulator.control.fault({ type: 'statusIncident', id: 'inc-7', title: 'Reporting API delays' });
    const feed = await fetch(t.emulator.statusFeedUrl);
    expect(feed.headers.get('content-type')).toMatch(/rss\+xml/);
    const xml = await feed.text();
    expect(xml).toContain('<title>Reporting API delays</title>');
    expect(xml).toContain('<category>Major Disruption</category>');
    await until(() => received.some((r) => r.body.includes('API_SERVICE_STATUS')));
    const push = JSON.parse(received.find((r) => r.body.includes('API_SERVICE_STATUS'))!.body);
    expect(push.content).toMatchObject({
      incident_id: 'inc-7',
      incident_level: 'MAJOR_DISRUPTION',
      incident_event_type: 'CREATE',
    });
    await t.emulator.control.fault({
      type: 'statusIncident',
      id: 'inc-7',
      title: 'Reporting API delays',
      state: 'resolved',
    });
    expect(await (await fetch(t.emulator.statusFeedUrl)).text()).toContain('Resolved');
  });
});
