import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Subject } from '../incidents/index.ts';
import { fingerprintOf } from '../incidents/index.ts';
import { pushObservation, readDelivery, verifySignature } from './push-signals.ts';

const SECRET = 'app-secret-1';
const NOW = Date.UTC(2026, 11, 3, 10);
const sign = (body: string, t = NOW / 1000, secret = SECRET) =>
  `t=${t},s=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;

describe('verifySignature', () => {
  const body = '{"subscription_id":"1"}';
  it.each([
    ['a good signature', sign(body), null],
    ['a good one among several s= (secret rotation)', `${sign(body)},s=${'0'.repeat(64)}`, null],
    ['no header', undefined, 'unsigned'],
    ['another secret', sign(body, NOW / 1000, 'other'), 'bad_signature'],
    ['a changed body', sign(`${body} `), 'bad_signature'],
    ['no timestamp', `s=${'a'.repeat(64)}`, 'bad_signature'],
    ['garbage', 'hello', 'bad_signature'],
    ['a short signature', `t=${NOW / 1000},s=abcd`, 'bad_signature'],
    ['six minutes old (a replay)', sign(body, NOW / 1000 - 360), 'stale'],
  ])('%s → %s', (_name, header, expected) => {
    expect(verifySignature(header, body, [SECRET], NOW)).toBe(expected);
  });
});

const advertiser: Subject = {
  type: 'advertiser',
  id: '7001',
  label: 'Northwind (7001)',
  connectionId: 'c1',
  appId: 'a1',
  advertiserId: '7001',
};
const delivery = (entity: string, content: unknown) =>
  JSON.stringify({ subscription_id: '75001', subscribe_entity: entity, event_time: NOW / 1000, content });

describe('readDelivery and pushObservation', () => {
  it('reads a suspension as the same account_status incident the sweep opens', () => {
    const read = readDelivery(
      delivery('AD_ACCOUNT_SUSPENSION', {
        advertiser_id: '7001',
        status: 'STATUS_LIMIT',
        suspension_reason: 'Unpaid invoice',
      }),
    )!;
    expect(read).toMatchObject({
      subscriptionId: '75001',
      at: NOW,
      signal: { kind: 'account_status', status: 'STATUS_LIMIT' },
    });
    const observation = pushObservation(read.signal, advertiser, NOW)!;
    expect(fingerprintOf(observation)).toBe('account_status|advertiser:7001');
    expect(observation).toMatchObject({ failing: true, severity: 'high', source: 'push' });
    expect(observation.summary).toBe(
      'The ad account Northwind (7001) cannot deliver: STATUS_LIMIT (Unpaid invoice).',
    );
    const lifted = readDelivery(
      delivery('AD_ACCOUNT_SUSPENSION', { advertiser_id: '7001', status: 'STATUS_ENABLE' }),
    )!;
    expect(pushObservation(lifted.signal, advertiser, NOW)!.failing).toBe(false);
  });

  it('reads an ad rejection as the campaign watch’s rejected-ad incident', () => {
    const read = readDelivery(
      delivery('AD', {
        advertiser_id: '7001',
        ad_id: '1790',
        ad_name: 'Promo',
        review_status: 'REJECTED',
        reject_reason: 'Unverified claim',
      }),
    )!;
    const observation = pushObservation(read.signal, advertiser, NOW)!;
    expect(fingerprintOf(observation)).toBe('delivery|ad:1790|rejected');
    expect(observation.summary).toBe(
      'Ad "Promo" (1790) of Northwind (7001) was rejected in review (Unverified claim).',
    );
    const approved = readDelivery(
      delivery('AD', { advertiser_id: '7001', ad_id: '1790', review_status: 'APPROVED' }),
    )!;
    expect(pushObservation(approved.signal, advertiser, NOW)!.failing).toBe(false);
  });

  it('reads TikTok’s status pushes and content sent as a JSON string', () => {
    const read = readDelivery(
      JSON.stringify({
        subscription_id: 9,
        subscribe_entity: 'API_SERVICE_STATUS',
        content: JSON.stringify({
          incident_id: 'i1',
          incident_level: 'MAJOR_DISRUPTION',
          incident_event_type: 'RESOLVE',
        }),
      }),
    )!;
    expect(read.signal).toMatchObject({ kind: 'platform', incidentId: 'i1', resolved: true });
    expect(pushObservation(read.signal, advertiser, NOW)).toBeNull();
  });

  it.each([
    ['not JSON', '<html>502</html>'],
    ['truncated JSON', '{"subscription_id":"1","subscribe_ent'],
    ['an array', '[1,2]'],
    ['no subscription', JSON.stringify({ subscribe_entity: 'AD' })],
  ])('refuses %s', (_name, body) => {
    expect(readDelivery(body)).toBeNull();
  });

  it('keeps an entity it does not act on as "other"', () => {
    expect(readDelivery(delivery('LEAD', { lead_id: 1 }))!.signal).toEqual({ kind: 'other' });
  });
});
