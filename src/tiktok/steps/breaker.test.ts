import { describe, expect, it } from 'vitest';
import { circuit } from './breaker.ts';

describe('circuit', () => {
  it('opens after the threshold of transient failures in a row; a success in between resets the count', () => {
    const c = circuit(3, 1_000);
    for (const outcome of ['transient', 'transient', 'success', 'transient', 'transient'] as const)
      expect(c.settle(outcome, false, 0)).toBeUndefined();
    expect(c.state).toBe('closed');
    expect(c.settle('transient', false, 10)).toBe('closed');
    expect(c.state).toBe('open');
  });

  it.each([
    // [probe outcome, state after the probe]
    ['success', 'closed'],
    ['transient', 'open'],
    ['abandoned', 'half-open'],
  ] as const)(
    'after the pause lets one probe through; a probe that ends %s leaves it %s',
    (outcome, after) => {
      const c = circuit(1, 1_000);
      c.settle('transient', false, 0);
      expect(c.admit(999)).toEqual({ ok: false, retryAfterMs: 1 });
      expect(c.admit(1_000)).toEqual({ ok: true, probe: true, from: 'open' });
      expect(c.admit(1_001)).toEqual({ ok: false, retryAfterMs: 1 }); // one probe at a time
      c.settle(outcome, true, 1_500);
      expect(c.state).toBe(after);
    },
  );

  it('pauses again for the whole interval after a failed probe', () => {
    const c = circuit(1, 1_000);
    c.settle('transient', false, 0);
    c.admit(1_000);
    c.settle('transient', true, 1_200);
    expect(c.admit(2_100)).toEqual({ ok: false, retryAfterMs: 100 });
    expect(c.admit(2_200)).toMatchObject({ ok: true, probe: true });
  });

  it('ignores calls admitted before it opened that end while it is open or half-open', () => {
    const c = circuit(1, 1_000);
    c.settle('transient', false, 0);
    expect(c.settle('transient', false, 10)).toBeUndefined();
    expect(c.settle('success', false, 20)).toBeUndefined();
    expect(c.state).toBe('open');
    c.admit(1_000);
    expect(c.settle('transient', false, 1_010)).toBeUndefined();
    expect(c.state).toBe('half-open');
  });
});
