import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classify } from './classify.ts';
import { FAILURE_KINDS } from './failure-kind.ts';

const KINDS = ['ok', ...FAILURE_KINDS];
const anything = fc.oneof(
  fc.jsonValue(),
  fc.string(),
  fc.uint8Array({ maxLength: 256 }),
  fc.integer(),
  fc.double(),
  fc.constantFrom(undefined, null, Number.NaN, Symbol('s'), () => 1, new Date(0), new Error('x')),
);

describe('classify (properties)', () => {
  it('never throws and always returns a diagnosis from the closed vocabulary', () => {
    fc.assert(
      fc.property(anything, (input) => {
        const d = classify(input, { now: 0 });
        expect(KINDS).toContain(d.kind);
        expect(Array.isArray(d.fix)).toBe(true);
        expect(typeof d.title).toBe('string');
      }),
      { numRuns: 2_000 },
    );
  });

  it('never throws on call facts built from arbitrary parts', () => {
    const facts = fc.record(
      {
        envelope: anything,
        http: fc.record(
          {
            status: fc.oneof(fc.integer(), anything),
            body: fc.oneof(fc.string(), fc.uint8Array(), anything),
          },
          { requiredKeys: [] },
        ),
        transport: fc.record({ code: anything, name: anything, message: anything }, { requiredKeys: [] }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(facts, (input) => KINDS.includes(classify(input).kind)),
      { numRuns: 2_000 },
    );
  });

  it('never reports success for a body without a zero code', () => {
    const notZero = fc
      .jsonValue()
      .filter(
        (v) =>
          !(
            typeof v === 'object' &&
            v !== null &&
            !Array.isArray(v) &&
            ('code' in v || 'envelope' in v || 'http' in v || 'transport' in v)
          ),
      );
    fc.assert(
      fc.property(
        notZero,
        (value) => classify({ http: { status: 200, body: JSON.stringify(value) } }).kind !== 'ok',
      ),
      { numRuns: 1_000 },
    );
  });

  it('gives a rate-limit or transient diagnosis a positive suggested wait', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(40100, 40016, 40133, 50000, 50002, 60001, 51017),
        fc.integer({ min: 0, max: 4_102_444_800_000 }),
        (code, now) => {
          const d = classify({ code, message: 'x' }, { now });
          expect(d.retryAfterMs).toBeGreaterThan(0);
        },
      ),
    );
  });
});
