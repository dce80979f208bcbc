import { describe, expect, it } from 'vitest';
import { wholeMsSeconds } from './postgres-limiter.ts';

describe('wholeMsSeconds', () => {
  it('rounds a spacing up to a whole millisecond that the store multiplies back exactly', () => {
    expect(wholeMsSeconds(1 / (10 * 0.98))).toBe(0.103);
    expect(wholeMsSeconds(0.05)).toBe(0.05);
    for (const qps of [1, 2, 5, 8, 10, 20, 30, 50])
      for (const seconds of [1 / (qps * 0.98), 1 / qps]) {
        const whole = wholeMsSeconds(seconds);
        expect(whole).toBeGreaterThanOrEqual(seconds);
        expect(Number.isInteger(whole * 1000)).toBe(true);
      }
  });
});
