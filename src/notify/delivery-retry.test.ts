import { describe, expect, it } from 'vitest';
import { deliveryRetryAt, MAX_DELIVERY_ATTEMPTS } from './delivery-retry.ts';

describe('deliveryRetryAt', () => {
  it.each([
    // [attempts so far, permanent, wait before the next attempt (null: given up)]
    [1, false, 5_000],
    [2, false, 10_000],
    [5, false, 80_000],
    [7, false, 320_000],
    [MAX_DELIVERY_ATTEMPTS, false, null],
    [1, true, null],
  ])('after %i attempts (permanent: %s) waits %s ms', (attempts, permanent, wait) => {
    const at = deliveryRetryAt({ attempts, permanent }, 1_000);
    expect(at === null ? null : at - 1_000).toBe(wait);
  });

  it('never waits longer than an hour', () => {
    expect(deliveryRetryAt({ attempts: 7, permanent: false }, 0)).toBeLessThanOrEqual(3_600_000);
  });
});
