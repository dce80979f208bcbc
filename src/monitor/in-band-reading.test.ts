import { describe, expect, it } from 'vitest';
import { readInBand } from './in-band-reading.ts';

describe('readInBand', () => {
  it.each([
    // [code, message, action, kind]
    [40105, 'Access token is invalid or has expired.', 'verify', 'auth_invalid'],
    ['40105', null, 'verify', 'auth_invalid'],
    [40100, 'Requests too frequent', 'record', 'rate_limited'],
    [50002, 'Internal service error', 'record', 'transient'],
  ] as const)('%s (%s) → %s', (code, message, action, kind) => {
    const reading = readInBand({ connection_id: 'con_1', code, message }, 0);
    expect(reading.action).toBe(action);
    expect(reading.diagnosis.kind).toBe(kind);
  });

  it('reads a permission refusal as one, on the advertiser the call named', () => {
    const reading = readInBand(
      {
        connection_id: 'con_1',
        code: 40001,
        message: 'advertiser does not grant you /file/video/ad/search/:GET permission',
        endpoint: '/file/video/ad/search/',
        advertiser_id: '7001',
      },
      0,
    );
    expect(reading).toMatchObject({ action: 'permission', advertiserId: '7001' });
    if (reading.action === 'permission')
      expect(reading.refusal).toMatchObject({ endpoint: '/file/video/ad/search/', code: 40001 });
  });
});
