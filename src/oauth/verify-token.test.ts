import { describe, expect, it } from 'vitest';
import { classify } from '../catalog/index.ts';
import { TikTokApiError, TikTokTransportError } from '../tiktok/errors.ts';
import { type TokenProbe, verifyToken } from './verify-token.ts';

const site = { method: 'GET', endpoint: '/user/info/' };
const api = (code: number, message: string) =>
  new TikTokApiError(classify({ code, message, request_id: 'r' }, { now: 0 }), site, 1);
const transport = (code: string) =>
  new TikTokTransportError(classify({ transport: { code } }, { now: 0 }), site, 1);

/** A probe whose calls answer as given: a value, or an error to throw. */
function probe(answers: { list?: unknown; same?: unknown; other?: unknown }): TokenProbe {
  const answer = async (a: unknown) => {
    if (a instanceof Error) throw a;
    return a;
  };
  return {
    environment: 'production',
    regime: 'advertiser',
    listAdvertisers: () => answer(answers.list) as Promise<Array<{ advertiserId: string; name: string }>>,
    whoAmI: (where) => answer(where === 'same' ? answers.same : answers.other),
  };
}

const revoked = api(40105, 'Access token is invalid or has been revoked.');

describe('verifyToken', () => {
  it.each([
    [
      'a token that lists its advertisers',
      { list: [{ advertiserId: '7001', name: 'Acme' }] },
      'valid',
      false,
    ],
    [
      'a refused token the other environment accepts',
      { list: revoked, other: { display_name: 'x' } },
      'wrong_environment',
      false,
    ],
    ['a refused token the other environment refuses too', { list: revoked, other: revoked }, 'revoked', true],
    [
      'a refused token, the other environment rate limited',
      { list: revoked, other: transport('ADW_DEADLINE_TIMEOUT') },
      'inconclusive',
      false,
    ],
    [
      'a refused token, the other environment unreachable',
      { list: revoked, other: transport('ECONNRESET') },
      'inconclusive',
      false,
    ],
    ['an outage', { list: api(50002, 'Internal service error.') }, 'inconclusive', false],
    ['a rate limit', { list: api(40100, 'Too many requests') }, 'inconclusive', false],
  ])('%s → %s', async (_, answers, status, needsReauth) => {
    const v = await verifyToken(probe(answers), { storedAdvertiserIds: ['7001'] });
    expect([v.status, v.needsReauth]).toEqual([status, needsReauth]);
  });
});
