import { describe, expect, it } from 'vitest';
import { isConnectionError, persist } from './persist.ts';

describe('persist', () => {
  it('tells a lost database apart from a bad statement', () => {
    for (const error of [
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      new Error('Connection terminated unexpectedly'),
      Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
    ])
      expect(isConnectionError(error), error.message).toBe(true);
    for (const error of [
      Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }),
      Object.assign(new Error('syntax error at or near "selec"'), { code: '42601' }),
      new TypeError('x is not a function'),
    ])
      expect(isConnectionError(error), error.message).toBe(false);
  });

  it('retries a write until the database is back, and no other error', async () => {
    let calls = 0;
    const landed = await persist(async () => {
      calls++;
      if (calls < 3) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      return 'stored';
    });
    expect([landed, calls]).toEqual(['stored', 3]);
    let once = 0;
    await expect(
      persist(async () => {
        once++;
        throw Object.assign(new Error('duplicate key'), { code: '23505' });
      }),
    ).rejects.toThrow('duplicate key');
    expect(once).toBe(1);
    await expect(
      persist(async () => {
        throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      }, 300),
    ).rejects.toThrow('ECONNREFUSED');
  });
});
