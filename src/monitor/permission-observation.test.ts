import { describe, expect, it } from 'vitest';
import { classify } from '../catalog/index.ts';
import { advertiserSubject, permissionRefused, refusalOf } from './permission-observation.ts';

const subject = advertiserSubject(
  { id: '7001', name: 'Northwind' },
  { connectionId: 'con_1', appId: 'app_1' },
);
const observe = (message: string) =>
  permissionRefused(
    subject,
    refusalOf(classify({ code: 40001, message }), { method: 'GET', endpoint: '/campaign/get/' }),
    0,
    'campaign_watch',
  );

describe('permissionRefused', () => {
  it.each([
    // [TikTok's message, the first step of the fix, what the observation records]
    [
      'advertiser does not grant you /campaign/get/:GET permission',
      /lacks the permission for GET \/campaign\/get\//,
      { code: 40001, endpoint: '/campaign/get/' },
    ],
    [
      "Permission error: The access token lacks the required scope for endpoint '/campaign/get/(method=GET)'.",
      /app itself lacks the scope for GET \/campaign\/get\/.*re-auth link alone cannot/,
      { code: 40001, endpoint: '/campaign/get/', reason: 'app_scope_missing' },
    ],
  ])('"%s" → %s', (message, firstStep, facts) => {
    const observation = observe(message);
    expect(observation.fix![0]).toMatch(firstStep);
    expect(observation.facts).toMatchObject(facts);
    expect(observation.detail).toBe('GET /campaign/get/');
  });

  it('asks the developer before the owner when the app lacks the scope', () => {
    const fix = observe(
      "Permission error: The access token lacks the required scope for endpoint '/campaign/get/(method=GET)'.",
    ).fix!;
    expect(fix[1]).toMatch(/developer portal/);
    expect(fix[2]).toMatch(/re-authorizes/);
  });
});
