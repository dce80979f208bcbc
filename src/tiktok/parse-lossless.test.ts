import { describe, expect, it } from 'vitest';
import { parseLossless } from './transport.ts';

describe('parseLossless', () => {
  it.each([
    // [JSON text, what a field reads as]
    ['{"advertiser_id":7000000000000000001}', '7000000000000000001'],
    ['{"advertiser_id": 7312345678901234567 }', '7312345678901234567'],
    ['{"ids":[7000000000000000001,7000000000000000002]}', ['7000000000000000001', '7000000000000000002']],
    ['{"advertiser_id":"7000000000000000001"}', '7000000000000000001'],
    ['{"budget":50.5}', 50.5],
    ['{"balance":123456789012345}', 123456789012345],
    ['{"x":1234567890123456.5}', 1234567890123456.5],
    [
      '{"message":"id 7000000000000000001 is 7000000000000000001"}',
      'id 7000000000000000001 is 7000000000000000001',
    ],
    [
      '{"s":"quote \\" then 7000000000000000001","n":7000000000000000003}',
      'quote " then 7000000000000000001',
    ],
  ])('%s', (text, expected) => {
    const value = Object.values(parseLossless(text) as Record<string, unknown>)[0];
    expect(value).toEqual(expected);
  });

  it('keeps every digit of a number the plain parser would round', () => {
    expect(JSON.parse('{"id":7000000000000000001}').id).not.toBe(7000000000000000001n.toString());
    expect((parseLossless('{"id":7000000000000000001}') as { id: string }).id).toBe('7000000000000000001');
  });
});
